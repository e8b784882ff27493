package dev.recur.layers.griffin;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.LmInputs;
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
            TemporalBlock temporal = config.blocks().get(i) == RecurrentGemmaConfig.BlockType.RECURRENT
                    ? recurrent(source, i, p + "temporal_block.") : attention(source, i, p + "temporal_block.");
            String mlp = p + "mlp_block.";
            layers.add(new ResidualLayer(norm(source, p + "temporal_pre_norm.weight"), temporal,
                    norm(source, p + "channel_pre_norm.weight"),
                    projection(source, mlp + "gate_proj", config.mlpWidth(), h, true),
                    projection(source, mlp + "up_proj", config.mlpWidth(), h, true),
                    projection(source, mlp + "down_proj", h, config.mlpWidth(), true), config.exactGelu()));
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
        for (ResidualLayer layer : layers) {
            x = layer.forward(x, current, next, start.position());
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
        Tensor rows = Embedding.embedding(embeddings, ids);
        int pad = config.padTokenId();
        float[] isPad = new float[ids.size()];
        boolean any = false;
        for (int i = 0; i < isPad.length; i++) {
            if (ids.data()[i] == pad) {
                isPad[i] = 1f;
                any = true;
            }
        }
        if (!any) {
            return rows;
        }
        float[] notPad = new float[isPad.length];
        for (int i = 0; i < notPad.length; i++) {
            notPad[i] = 1f - isPad[i];
        }
        int[] mask = {ids.dim(0), ids.dim(1), 1};
        Tensor detached = Embedding.embedding(embeddings.detach(), ids);
        return Arithmetic.add(Arithmetic.mul(rows, Tensor.of(notPad, mask)), Arithmetic.mul(detached, Tensor.of(isPad, mask)));
    }

    private TemporalBlock recurrent(ParameterSource source, int index, String p) {
        int h = config.hiddenSize();
        int l = config.lruWidth();
        int heads = config.heads();
        int w = config.lruBlockWidth();
        String lru = p + "rg_lru.";
        RgLru rgLru = new RgLru(take(source, lru + "recurrent_param", l),
                take(source, lru + "input_gate_weight", heads, w, w), take(source, lru + "input_gate_bias", heads, w),
                take(source, lru + "recurrent_gate_weight", heads, w, w),
                take(source, lru + "recurrent_gate_bias", heads, w));
        return new RecurrentBlock(index, projection(source, p + "linear_x", l, h, true),
                projection(source, p + "linear_y", l, h, true), projection(source, p + "linear_out", h, l, true),
                take(source, p + "conv_1d.weight", l, 1, config.convWidth()), take(source, p + "conv_1d.bias", l),
                rgLru, config.exactGelu());
    }

    private TemporalBlock attention(ParameterSource source, int index, String p) {
        int h = config.hiddenSize();
        int kv = config.kvHeads() * config.headDim();
        boolean bias = config.attentionBias();
        return new AttentionBlock(index, attentionConfig(config),
                projection(source, p + "q_proj", config.heads() * config.headDim(), h, bias),
                projection(source, p + "k_proj", kv, h, bias), projection(source, p + "v_proj", kv, h, bias),
                projection(source, p + "o_proj", h, config.heads() * config.headDim(), true));
    }

    private Projection projection(ParameterSource source, String prefix, int out, int in, boolean bias) {
        return new Projection(take(source, prefix + ".weight", out, in), bias ? take(source, prefix + ".bias", out) : null);
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
