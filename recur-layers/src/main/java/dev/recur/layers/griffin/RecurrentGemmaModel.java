package dev.recur.layers.griffin;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.AttentionMixer;
import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.Params;
import dev.recur.layers.ffn.GatedMlp;
import dev.recur.layers.ffn.HfActivation;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.LmInputs;
import dev.recur.layers.lm.WeightSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A RecurrentGemma (Griffin) causal LM, numerically as transformers' {@code RecurrentGemmaForCausalLM}: the
 * embeddings times {@code sqrt(hidden_size)} rounded to bfloat16 (transformers keeps that factor in a bfloat16
 * buffer), a stack of {@link ResidualLayer}s whose temporal blocks follow {@code block_types}, a final RMSNorm,
 * the head (tied to the embeddings unless the config says otherwise) and the soft cap
 * {@code cap * tanh(logits / cap)}.
 *
 * <p>Attention layers see a sliding window of {@code attention_window_size} tokens (themselves included), as in
 * Griffin and in transformers' cached generation, in every path: whole forward, chunks and single tokens.
 */
public final class RecurrentGemmaModel implements CausalLm {
    /** Where parameters come from: a checkpoint ({@code HfWeights::take}) or freshly made tensors. */
    @FunctionalInterface
    public interface ParameterSource {
        /** The tensor {@code name}, of shape {@code shape}, requiring gradients. */
        Tensor take(String name, int... shape);
    }

    private final RecurrentGemmaConfig config;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Tensor embeddings; // [V, H]
    private final Tensor head; // [V, H]
    private final List<ResidualLayer> layers = new ArrayList<>();
    private final ResidualLayer.GemmaNorm finalNorm;
    private final float embeddingScale;

    /** Takes every parameter under transformers' names. */
    public RecurrentGemmaModel(RecurrentGemmaConfig config, ParameterSource source) {
        this.config = config;
        int h = config.hiddenSize();
        this.embeddings = take(source, "model.embed_tokens.weight", config.vocabSize(), h);
        for (int i = 0; i < config.layers(); i++) {
            String p = "model.layers." + i + ".";
            Params temporalBlock = Params.loaded(weights(source), p + "temporal_block.");
            Mixer temporal = config.blocks().get(i) == RecurrentGemmaConfig.BlockType.RECURRENT
                    ? GriffinMixer.load(mixerConfig(config), h, temporalBlock)
                    : AttentionMixer.load(attentionConfig(config), h, config.attentionBias(), true, temporalBlock);
            GatedMlp mlp = GatedMlp.loadWithBiases(h, config.mlpWidth(), p + "mlp_block.", weights(source),
                    config.exactGelu() ? HfActivation.GELU : HfActivation.GELU_TANH);
            layers.add(new ResidualLayer(norm(source, p + "temporal_pre_norm.weight"), temporal,
                    norm(source, p + "channel_pre_norm.weight"), mlp));
        }
        this.finalNorm = norm(source, "model.final_norm.weight");
        this.head = config.tieWordEmbeddings() ? embeddings : take(source, "lm_head.weight", config.vocabSize(), h);
        this.embeddingScale = bfloat16((float) Math.sqrt(h));
    }

    public RecurrentGemmaConfig config() {
        return config;
    }

    /** The attention layers' shape under this config. */
    public static AttentionConfig attentionConfig(RecurrentGemmaConfig c) {
        return new AttentionConfig(c.heads(), c.kvHeads(), c.headDim(), c.rotaryDims(), c.ropeTheta(), c.window());
    }

    @Override
    public String modelType() {
        return "recurrent_gemma";
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
        return RecurrentGemmaState.initial(config, batch);
    }

    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        LmInputs.requireIds("recurrent_gemma", ids);
        int batch = ids.dim(0);
        LmState start = state == null ? initialState(batch) : state;
        Map<String, Tensor> current = RecurrentGemmaState.check(config, start, batch);
        Map<String, Tensor> next = new LinkedHashMap<>();
        Tensor x = Arithmetic.mul(embed(ids), embeddingScale); // [B, T, H]
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x, RecurrentGemmaState.prefix(i), current, next, start.position());
        }
        Tensor logits = Linear.apply(finalNorm.apply(x), head); // [B, T, V]
        float cap = config.logitsSoftCap();
        logits = Arithmetic.mul(Activations.tanh(Arithmetic.div(logits, Tensor.scalar(cap))), cap);
        return new LmOutput(logits, new LmState(next, start.position() + ids.dim(1)));
    }

    /**
     * The embedding rows of {@code ids}; as PyTorch's {@code padding_idx}, lookups of the pad token add nothing
     * to its row's gradient (the tied head still does).
     */
    private Tensor embed(IntTensor ids) {
        return Embedding.embedding(embeddings, ids, config.padTokenId());
    }

    /** The recurrent layers' block: the griffin family's mixer. */
    static GriffinMixerConfig mixerConfig(RecurrentGemmaConfig c) {
        return new GriffinMixerConfig(c.lruWidth(), c.heads(), c.convWidth(), c.exactGelu());
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

    private ResidualLayer.GemmaNorm norm(ParameterSource source, String name) {
        return new ResidualLayer.GemmaNorm(take(source, name, config.hiddenSize()), config.rmsNormEps());
    }

    private Tensor take(ParameterSource source, String name, int... shape) {
        Tensor t = source.take(name, shape);
        Shapes.require("recurrent_gemma", "parameter '" + name + "'", shape, t.shape());
        parameters.put(name, t);
        return t;
    }

    /** {@code v} rounded to the nearest bfloat16 (ties to even), as a float. */
    static float bfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xFFFF0000);
    }
}
