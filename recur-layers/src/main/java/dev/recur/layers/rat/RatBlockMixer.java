package dev.recur.layers.rat;

import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;
import java.util.Map;

/**
 * {@code rat}: a {@link RatLayer} (gated recurrence inside chunks, softmax attention across them) over the
 * residual stream, with its own initialisation except that the output projection is scaled by the stack's
 * residual factor. Options: {@code heads} (default one per 32 channels) and {@code chunk} (the chunk length L,
 * default 16). State: {@code chunk_keys}, {@code chunk_values} {@code [B, heads, C, headDim]} (one entry per
 * completed chunk) and {@code running [B, 2 * d_model]}, as {@link RatState} holds them.
 */
final class RatBlockMixer extends AdapterMixer {
    private static final String[] STATE = {"chunk_keys", "chunk_values", "running"};
    private static final String[] PARAMS = {"wq", "wk", "wv", "wf", "bf", "wg", "wo"};

    private final RatConfig config;
    private final RatLayer layer;

    RatBlockMixer(MixerShape shape, Params p) {
        super(shape);
        int d = shape.dModel();
        int heads = shape.heads();
        this.config = new RatConfig(d, heads, d / heads, shape.positive("chunk", 16));
        Map<String, Tensor> drawn = p.drawing() ? new RatLayer(config, p.rng()).parameters() : Map.of();
        float scale = shape.outScale();
        int e = config.innerDim();
        for (String name : PARAMS) {
            int[] dims = name.equals("bf") ? new int[] {e} : name.equals("wo") ? new int[] {e, d} : new int[] {d, e};
            take(p, name, dims, rng -> name.equals("wo") ? Arithmetic.mul(drawn.get(name).detach(), scale)
                    : drawn.get(name).detach());
        }
        this.layer = RatLayer.fromParameters(config, parameters());
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        return of(RatState.initial(config, batch));
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        MixerState s = state == null ? initialState(batch) : state;
        String where = "stack block '" + shape.spec() + "'";
        RatState rat = new RatState(s.tensor(where, STATE[0]), s.tensor(where, STATE[1]), s.tensor(where, STATE[2]),
                s.position());
        rat.check(config, batch, where);
        RatOutput out = layer.forward(x, rat);
        return new MixerOutput(out.output(), of(out.state()));
    }

    private static MixerState of(RatState s) {
        return MixerState.of(s.position(), STATE, s.chunkKeys(), s.chunkValues(), s.running());
    }
}
