package dev.recur.layers.rwkv;

import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmInputs;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RWKV-4 causal LM (Peng et al. 2023, "RWKV: Reinventing RNNs for the Transformer Era"), numerically as
 * transformers' {@code RwkvForCausalLM} in inference mode: embeddings, a stack of {@link RwkvBlock}s, the final
 * LayerNorm {@code ln_out} (epsilon 1e-5, PyTorch's default, whatever the config says) and the output head.
 *
 * <p>With {@code rescale_every = N > 0}, transformers halves the residual stream after every N-th block and
 * divides block i's two output projections by {@code 2^(i / N)} when it switches to inference; this model does
 * the same on the fly, so its gradients are those of the checkpoint's (unscaled) weights.
 */
public final class RwkvModel implements CausalLm {
    /** Where parameters come from: a checkpoint ({@code HfWeights::take}) or freshly made tensors. */
    @FunctionalInterface
    public interface ParameterSource {
        /** The tensor {@code name}, of shape {@code shape}, requiring gradients. */
        Tensor take(String name, int... shape);
    }

    private static final float LN_OUT_EPS = 1e-5f;

    private final RwkvConfig config;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Tensor embeddings;
    private final List<RwkvBlock> blocks = new ArrayList<>();
    private final RwkvBlock.Norm lnOut;
    private final Tensor head;

    /** Takes every parameter under transformers' names; a tied head reuses {@code rwkv.embeddings.weight}. */
    public RwkvModel(RwkvConfig config, ParameterSource source) {
        this.config = config;
        int h = config.hiddenSize();
        int a = config.attentionSize();
        int f = config.intermediateSize();
        this.embeddings = take(source, "rwkv.embeddings.weight", config.vocabSize(), h);
        for (int i = 0; i < config.layers(); i++) {
            String p = "rwkv.blocks." + i + ".";
            RwkvBlock.Norm pre = i == 0 ? norm(source, p + "pre_ln", h) : null;
            RwkvBlock.Norm ln1 = norm(source, p + "ln1", h);
            RwkvBlock.Norm ln2 = norm(source, p + "ln2", h);
            float scale = (float) Math.scalb(1.0, -config.rescaleExponent(i));
            String at = p + "attention.";
            RwkvTimeMix timeMix = new RwkvTimeMix(
                    take(source, at + "time_decay", a), take(source, at + "time_first", a),
                    take(source, at + "time_mix_key", 1, 1, h), take(source, at + "time_mix_value", 1, 1, h),
                    take(source, at + "time_mix_receptance", 1, 1, h),
                    take(source, at + "key.weight", a, h), take(source, at + "value.weight", a, h),
                    take(source, at + "receptance.weight", a, h), take(source, at + "output.weight", h, a), scale);
            String ff = p + "feed_forward.";
            RwkvChannelMix channelMix = new RwkvChannelMix(
                    take(source, ff + "time_mix_key", 1, 1, h), take(source, ff + "time_mix_receptance", 1, 1, h),
                    take(source, ff + "key.weight", f, h), take(source, ff + "receptance.weight", h, h),
                    take(source, ff + "value.weight", h, f), scale);
            blocks.add(new RwkvBlock(i, pre, ln1, ln2, timeMix, channelMix, config.layerNormEps(),
                    config.halvesAfter(i)));
        }
        this.lnOut = norm(source, "rwkv.ln_out", h);
        this.head = config.tieWordEmbeddings() ? embeddings : take(source, "head.weight", config.vocabSize(), h);
    }

    public RwkvConfig config() {
        return config;
    }

    @Override
    public String modelType() {
        return "rwkv";
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public LmState initialState(int batch) {
        return RwkvState.initial(config, batch);
    }

    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        LmInputs.requireIds("rwkv", ids);
        int batch = ids.dim(0);
        LmState start = state == null ? initialState(batch) : state;
        Map<String, Tensor> current = RwkvState.check(config, start, batch);
        Map<String, Tensor> next = new LinkedHashMap<>();
        Tensor x = Embedding.embedding(embeddings, ids); // [B, T, H]
        for (RwkvBlock block : blocks) {
            x = block.forward(x, current, next);
        }
        Tensor logits = TokenShift.linear(Norms.layerNorm(x, lnOut.weight(), lnOut.bias(), LN_OUT_EPS), head);
        return new LmOutput(logits, new LmState(next, start.position() + ids.dim(1)));
    }

    private Tensor take(ParameterSource source, String name, int... shape) {
        Tensor t = source.take(name, shape);
        Shapes.require("rwkv", "parameter '" + name + "'", shape, t.shape());
        parameters.put(name, t);
        return t;
    }

    private RwkvBlock.Norm norm(ParameterSource source, String prefix, int width) {
        return new RwkvBlock.Norm(take(source, prefix + ".weight", width), take(source, prefix + ".bias", width));
    }
}
