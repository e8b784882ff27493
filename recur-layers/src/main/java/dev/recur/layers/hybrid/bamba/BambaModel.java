package dev.recur.layers.hybrid.bamba;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Norms;
import dev.recur.core.scan.ssd.SsdChunked;
import dev.recur.core.scan.ssd.SsdKernel;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.CausalAttention;
import dev.recur.layers.attention.KvCache;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.LmInputs;
import dev.recur.layers.ssm.mamba2.Mamba2Config;
import dev.recur.layers.ssm.mamba2.Mamba2Mixer;
import dev.recur.layers.ssm.mamba2.Mamba2Model.ParameterSource;
import dev.recur.layers.ssm.mamba2.Mamba2State;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Bamba causal LM, numerically as transformers' {@code BambaForCausalLM}: embeddings, then per layer
 * {@code x += mixer(rmsNorm(x))} (a Mamba-2 mixer, or causal grouped-query attention with partial rotary
 * embeddings on the layers of {@code attn_layer_indices}) and {@code x += mlp(rmsNorm(x))}, the final RMSNorm
 * and the output head (the embedding matrix when tied). The mixers' gated RMSNorm spans the whole inner width,
 * as transformers' {@code BambaRMSNormGated} does. As {@code nn.Embedding(padding_idx)}, lookups of the pad
 * token add nothing to its embedding row's gradient.
 */
public final class BambaModel implements CausalLm {
    static final String HEAD = "lm_head.weight";
    private static final String EMBEDDINGS = "model.embed_tokens.weight";

    /** One decoder layer: exactly one of {@code mixer} and {@code attention} is set. */
    private record Layer(Tensor inputNorm, Mamba2Mixer mixer, Tensor[] attention, Tensor ffNorm, GatedMlp mlp) {}

    private final BambaConfig config;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Tensor embeddings;
    private final List<Layer> layers = new ArrayList<>();
    private final Tensor finalNorm;
    private final Tensor head;

    /** Takes every parameter under transformers' names; a tied head reuses {@code model.embed_tokens.weight}. */
    public BambaModel(BambaConfig config, ParameterSource source) {
        this.config = config;
        int d = config.hiddenSize();
        int m = config.mlpSize();
        SsdKernel chunked = new SsdChunked(config.mamba().chunkSize());
        this.embeddings = take(source, EMBEDDINGS, config.vocabSize(), d);
        for (int i = 0; i < config.layers(); i++) {
            String p = "model.layers." + i + ".";
            Tensor inputNorm = take(source, p + "input_layernorm.weight", d);
            Mamba2Mixer mixer = config.isAttention(i) ? null : mixer(source, p + "mamba.", chunked);
            Tensor[] attention = config.isAttention(i) ? attention(source, p + "self_attn.") : null;
            Tensor ffNorm = take(source, p + "pre_ff_layernorm.weight", d);
            String f = p + "feed_forward.";
            GatedMlp mlp = new GatedMlp(take(source, f + "gate_proj.weight", m, d),
                    take(source, f + "up_proj.weight", m, d), take(source, f + "down_proj.weight", d, m),
                    config.activation());
            layers.add(new Layer(inputNorm, mixer, attention, ffNorm, mlp));
        }
        this.finalNorm = take(source, "model.final_layernorm.weight", d);
        this.head = config.tieWordEmbeddings() ? embeddings : take(source, HEAD, config.vocabSize(), d);
    }

    private Mamba2Mixer mixer(ParameterSource source, String p, SsdKernel chunked) {
        Mamba2Config c = config.mamba();
        int d = c.hiddenSize();
        return new Mamba2Mixer(c,
                take(source, p + "in_proj.weight", c.projectionSize(), d),
                c.useBias() ? take(source, p + "in_proj.bias", c.projectionSize()) : null,
                take(source, p + "conv1d.weight", c.convDim(), 1, c.convKernel()),
                c.useConvBias() ? take(source, p + "conv1d.bias", c.convDim()) : null,
                take(source, p + "dt_bias", c.heads()),
                take(source, p + "A_log", c.heads()),
                take(source, p + "D", c.heads()),
                take(source, p + "norm.weight", c.intermediateSize()),
                take(source, p + "out_proj.weight", d, c.intermediateSize()),
                c.useBias() ? take(source, p + "out_proj.bias", d) : null,
                chunked);
    }

    /** q, k, v and o projections, bias-free ({@code BambaConfig} fixes {@code attention_bias} to false). */
    private Tensor[] attention(ParameterSource source, String p) {
        AttentionConfig a = config.attention();
        int d = config.hiddenSize();
        return new Tensor[] {
            take(source, p + "q_proj.weight", a.heads() * a.headDim(), d),
            take(source, p + "k_proj.weight", a.kvHeads() * a.headDim(), d),
            take(source, p + "v_proj.weight", a.kvHeads() * a.headDim(), d),
            take(source, p + "o_proj.weight", d, a.heads() * a.headDim())
        };
    }

    public BambaConfig config() {
        return config;
    }

    @Override
    public String modelType() {
        return "bamba";
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
        return BambaState.initial(config, batch);
    }

    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        LmInputs.requireIds("bamba", ids);
        for (int id : ids.data()) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new RecurException("bamba: token ids must lie in [0, " + config.vocabSize() + "), got " + id);
            }
        }
        int batch = ids.dim(0);
        LmState start = state == null ? initialState(batch) : state;
        Map<String, Tensor> current = BambaState.check(config, start, batch);
        Map<String, Tensor> next = new LinkedHashMap<>();
        long position = start.position();
        float eps = config.rmsNormEps();
        Tensor x = embed(ids); // [B, T, D]
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Tensor h = Norms.rmsNorm(x, layer.inputNorm(), eps);
            if (layer.mixer() != null) {
                Mamba2Mixer.Result r = layer.mixer().forward(h, current.get(Mamba2State.conv(i)),
                        current.get(Mamba2State.ssm(i)));
                next.put(Mamba2State.conv(i), r.convState());
                next.put(Mamba2State.ssm(i), r.ssmState());
                h = r.output();
            } else {
                Tensor[] w = layer.attention();
                KvCache cache = new KvCache(current.get(BambaState.keys(i)), current.get(BambaState.values(i)));
                CausalAttention.Result r = CausalAttention.forward(config.attention(), Linear.apply(h, w[0]),
                        Linear.apply(h, w[1]), Linear.apply(h, w[2]), cache, position);
                next.put(BambaState.keys(i), r.cache().keys());
                next.put(BambaState.values(i), r.cache().values());
                h = Linear.apply(r.output(), w[3]);
            }
            x = Arithmetic.add(x, h);
            x = Arithmetic.add(x, layer.mlp().apply(Norms.rmsNorm(x, layer.ffNorm(), eps)));
        }
        Tensor logits = Linear.apply(Norms.rmsNorm(x, finalNorm, eps), head); // [B, T, V]
        return new LmOutput(logits, new LmState(next, position + ids.dim(1)));
    }

    /** The embedding rows of {@code ids}, pad-token lookups taken from a detached copy (no gradient). */
    private Tensor embed(IntTensor ids) {
        Tensor rows = Embedding.embedding(embeddings, ids); // [B, T, D]
        int pad = config.padTokenId();
        float[] keep = new float[ids.size()];
        boolean anyPad = false;
        for (int i = 0; i < keep.length; i++) {
            boolean isPad = ids.data()[i] == pad;
            keep[i] = isPad ? 0f : 1f;
            anyPad |= isPad;
        }
        if (!anyPad) {
            return rows;
        }
        float[] drop = new float[keep.length];
        for (int i = 0; i < drop.length; i++) {
            drop[i] = 1f - keep[i];
        }
        int[] mask = {ids.dim(0), ids.dim(1), 1};
        Tensor frozen = Embedding.embedding(embeddings.detach(), ids);
        return Arithmetic.add(Arithmetic.mul(rows, Tensor.of(keep, mask)),
                Arithmetic.mul(frozen, Tensor.of(drop, mask)));
    }

    private Tensor take(ParameterSource source, String name, int... shape) {
        Tensor t = source.take(name, shape);
        Shapes.require("bamba", "parameter '" + name + "'", shape, t.shape());
        parameters.put(name, t);
        return t;
    }
}
