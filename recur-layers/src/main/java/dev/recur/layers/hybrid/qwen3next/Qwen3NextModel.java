package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.hybrid.jamba.FeedForward;
import dev.recur.layers.hybrid.jamba.GatedMlp;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.lm.WeightSource;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.LmInputs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Qwen3-Next causal LM, as transformers' {@code Qwen3NextForCausalLM}: embedding; {@code numLayers} layers, each
 * two pre-norm residual blocks {@code x += mixer(norm(x))} then {@code x += mlp(norm(x))}, where the mixer is a
 * Gated DeltaNet ({@link GatedDeltaNet}) or gated full attention ({@link GatedAttention}) per {@code layer_types},
 * and the MLP a dense gated MLP or a mixture of experts with a gated shared expert ({@link SharedExpertMoe}); a
 * final norm and a linear head (tied to the embedding when {@code tie_word_embeddings}). Every block and final
 * norm is zero-centred ({@link OffsetRmsNorm}, weight {@code 1 + w}). The router's auxiliary loss is a training
 * option of the reference and not part of the logits; it is not computed here.
 *
 * <p>State: see {@link Qwen3NextState}. A forward over a whole sequence, over chunks passing the state, or token
 * by token gives the same logits.
 */
public final class Qwen3NextModel implements CausalLm {
    private record Layer(Tensor inputNorm, TokenMixer mixer, Tensor postNorm, FeedForward mlp) {}

    private final Qwen3NextConfig config;
    private final Tensor embedding; // [V, H]
    private final List<Layer> layers;
    private final Tensor finalNorm; // [H]
    private final Tensor lmHead;    // [V, H], the embedding itself when tied
    private final Map<String, Tensor> parameters;

    /** Takes every tensor from {@code source} under transformers' names, checking each shape. */
    public Qwen3NextModel(Qwen3NextConfig config, WeightSource source) {
        this.config = config;
        Map<String, Tensor> p = new LinkedHashMap<>();
        WeightSource take = source.recordingInto(p);
        int h = config.hiddenSize();
        embedding = take.apply("model.embed_tokens.weight", config.vocabSize(), h);
        List<Layer> built = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            String prefix = "model.layers." + i + ".";
            Tensor inputNorm = take.apply(prefix + "input_layernorm.weight", h);
            TokenMixer mixer = config.isAttention(i)
                    ? new GatedAttention(i, config, prefix + "self_attn.", take)
                    : new GatedDeltaNet(i, config, prefix + "linear_attn.", take);
            Tensor postNorm = take.apply(prefix + "post_attention_layernorm.weight", h);
            built.add(new Layer(inputNorm, mixer, postNorm, mlp(config, i, prefix + "mlp.", take)));
        }
        layers = List.copyOf(built);
        finalNorm = take.apply("model.norm.weight", h);
        lmHead = config.tieWordEmbeddings() ? embedding : take.apply("lm_head.weight", config.vocabSize(), h);
        parameters = Collections.unmodifiableMap(p);
    }

    private static FeedForward mlp(Qwen3NextConfig config, int layer, String prefix, WeightSource take) {
        if (config.isDense(layer)) {
            return dense(config.hiddenSize(), config.intermediateSize(), prefix, take);
        }
        return SharedExpertMoe.take(config, prefix, take, take.has(prefix + "experts.gate_up_proj"));
    }

    /** A bias-free SwiGLU MLP {@code H -> inner -> H} under {@code prefix} ({@code gate_proj}, ...). */
    static GatedMlp dense(int hidden, int inner, String prefix, WeightSource take) {
        return GatedMlp.of(take.apply(prefix + "gate_proj.weight", inner, hidden),
                take.apply(prefix + "up_proj.weight", inner, hidden),
                take.apply(prefix + "down_proj.weight", hidden, inner));
    }

    public Qwen3NextConfig config() {
        return config;
    }

    @Override
    public String modelType() {
        return "qwen3_next";
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    @Override
    public LmState initialState(int batch) {
        return Qwen3NextState.initial(config, batch);
    }

    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        LmInputs.requireIds("qwen3_next", ids);
        int batch = ids.dim(0);
        LmState start = state == null ? initialState(batch) : state;
        Map<String, Tensor> current = Qwen3NextState.check(config, start, batch);
        Map<String, Tensor> next = new LinkedHashMap<>();
        float eps = config.rmsEps();
        Tensor x = Embedding.embedding(embedding, ids);                       // [B, T, H]
        for (Layer layer : layers) {
            Tensor mixed = layer.mixer().forward(OffsetRmsNorm.apply(x, layer.inputNorm(), eps), current, next,
                    start.position());
            x = Arithmetic.add(x, mixed);
            x = Arithmetic.add(x, layer.mlp().apply(OffsetRmsNorm.apply(x, layer.postNorm(), eps)));
        }
        Tensor logits = Linear.apply(OffsetRmsNorm.apply(x, finalNorm, eps), lmHead, null); // [B, T, V]
        return new LmOutput(logits, new LmState(next, start.position() + ids.dim(1)));
    }
}
