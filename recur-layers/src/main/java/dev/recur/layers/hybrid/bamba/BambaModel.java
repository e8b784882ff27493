package dev.recur.layers.hybrid.bamba;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionMixer;
import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.layers.ffn.GatedMlp;
import dev.recur.layers.ffn.HfActivation;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.LmInputs;
import dev.recur.layers.lm.WeightSource;
import dev.recur.layers.ssm.mamba2.Mamba2BlockMixer;
import dev.recur.layers.ssm.mamba2.Mamba2Model.ParameterSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Bamba causal LM, numerically as transformers' {@code BambaForCausalLM}: embeddings, then per layer
 * {@code x += mixer(rmsNorm(x))} (the mamba2 family's {@link Mamba2BlockMixer}, or the attention family's
 * {@link AttentionMixer}: causal grouped-query attention with partial rotary embeddings on the layers of
 * {@code attn_layer_indices}) and {@code x += mlp(rmsNorm(x))} (a {@link GatedMlp}), the final RMSNorm
 * and the output head (the embedding matrix when tied). The mixers' gated RMSNorm spans the whole inner width,
 * as transformers' {@code BambaRMSNormGated} does. As {@code nn.Embedding(padding_idx)}, lookups of the pad
 * token add nothing to its embedding row's gradient.
 */
public final class BambaModel implements CausalLm {
    static final String HEAD = "lm_head.weight";
    private static final String EMBEDDINGS = "model.embed_tokens.weight";

    /** One decoder layer: its token mixer (Mamba-2 or attention) and its MLP, each after its RMSNorm. */
    private record Layer(Tensor inputNorm, Mixer mixer, Tensor ffNorm, GatedMlp mlp) {}

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
        this.embeddings = take(source, EMBEDDINGS, config.vocabSize(), d);
        for (int i = 0; i < config.layers(); i++) {
            String p = "model.layers." + i + ".";
            Tensor inputNorm = take(source, p + "input_layernorm.weight", d);
            // BambaConfig fixes attention_bias to false.
            Mixer mixer = config.isAttention(i)
                    ? AttentionMixer.load(config.attention(), d, false, false,
                            Params.loaded(weights(source), p + "self_attn."))
                    : Mamba2BlockMixer.load(config.mamba(), Params.loaded(weights(source), p + "mamba."));
            Tensor ffNorm = take(source, p + "pre_ff_layernorm.weight", d);
            // BambaConfig fixes mlp_bias to false.
            GatedMlp mlp = GatedMlp.load(d, m, p + "feed_forward.", weights(source),
                    HfActivation.named(config.activation(), "bamba"));
            layers.add(new Layer(inputNorm, mixer, ffNorm, mlp));
        }
        this.finalNorm = take(source, "model.final_layernorm.weight", d);
        this.head = config.tieWordEmbeddings() ? embeddings : take(source, HEAD, config.vocabSize(), d);
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
            String prefix = BambaState.prefix(i);
            MixerOutput mixed = layer.mixer().forward(h, MixerState.under(prefix, current, position));
            mixed.state().putUnder(prefix, next);
            h = mixed.output();
            x = Arithmetic.add(x, h);
            x = Arithmetic.add(x, layer.mlp().apply(Norms.rmsNorm(x, layer.ffNorm(), eps)));
        }
        Tensor logits = Linear.apply(Norms.rmsNorm(x, finalNorm, eps), head); // [B, T, V]
        return new LmOutput(logits, new LmState(next, position + ids.dim(1)));
    }

    /** The embedding rows of {@code ids}; lookups of the pad token add nothing to its row's gradient. */
    private Tensor embed(IntTensor ids) {
        return Embedding.embedding(embeddings, ids, config.padTokenId());
    }

    /** {@code source} as a weight source, each tensor checked and recorded as a parameter. */
    private WeightSource weights(ParameterSource source) {
        return new WeightSource() {
            @Override
            public Tensor apply(String name, int... shape) {
                return take(source, name, shape);
            }

            @Override
            public boolean has(String name) {
                return true;
            }
        };
    }

    private Tensor take(ParameterSource source, String name, int... shape) {
        Tensor t = source.take(name, shape);
        Shapes.require("bamba", "parameter '" + name + "'", shape, t.shape());
        parameters.put(name, t);
        return t;
    }
}
