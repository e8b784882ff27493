package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.layers.ffn.FeedForward;
import dev.recur.layers.ffn.GatedMlp;
import dev.recur.layers.ffn.SharedExpertMoe;
import dev.recur.layers.ffn.SparseMoe;
import dev.recur.layers.linear.GatedDeltaNet;
import dev.recur.layers.linear.GatedDeltaNetConfig;
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
 * Gated DeltaNet (the linear family's {@link GatedDeltaNet}) or gated full attention ({@link GatedAttention}) per
 * {@code layer_types}, and the MLP a dense gated MLP or a mixture of experts with a gated shared expert ({@link
 * SharedExpertMoe}); a final norm and a linear head (tied to the embedding when {@code tie_word_embeddings}). Every
 * block and final norm is zero-centred ({@link OffsetRmsNorm}, weight {@code 1 + w}). The router's auxiliary loss is a
 * training option of the reference and not part of the logits; it is not computed here.
 *
 * <p>State: see {@link Qwen3NextState}. A forward over a whole sequence, over chunks passing the state, or token
 * by token gives the same logits.
 */
public final class Qwen3NextModel implements CausalLm {
    private record Layer(Tensor inputNorm, Mixer mixer, Tensor postNorm, FeedForward mlp) {}

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
            Mixer mixer = config.isAttention(i)
                    ? new GatedAttention(config, Params.loaded(take, prefix + "self_attn."))
                    : GatedDeltaNet.load(deltaNetConfig(config), h, Params.loaded(take, prefix + "linear_attn."));
            Tensor postNorm = take.apply(prefix + "post_attention_layernorm.weight", h);
            built.add(new Layer(inputNorm, mixer, postNorm, mlp(config, i, prefix + "mlp.", take)));
        }
        layers = List.copyOf(built);
        finalNorm = take.apply("model.norm.weight", h);
        lmHead = config.tieWordEmbeddings() ? embedding : take.apply("lm_head.weight", config.vocabSize(), h);
        parameters = Collections.unmodifiableMap(p);
    }

    private static FeedForward mlp(Qwen3NextConfig config, int layer, String prefix, WeightSource take) {
        int h = config.hiddenSize();
        if (config.isDense(layer)) {
            return GatedMlp.load(h, config.intermediateSize(), prefix, take);
        }
        Tensor router = take.apply(prefix + "gate.weight", config.numExperts(), h);
        SparseMoe routed = SparseMoe.load(router, h, config.moeIntermediate(), config.expertsPerToken(),
                config.normTopK(), prefix + "experts.", take);
        GatedMlp shared = GatedMlp.load(h, config.sharedIntermediate(), prefix + "shared_expert.", take);
        return new SharedExpertMoe(routed, shared, take.apply(prefix + "shared_expert_gate.weight", 1, h));
    }

    /** The linear-attention layers: the linear family's Gated DeltaNet in transformers' fused layout. */
    static GatedDeltaNetConfig deltaNetConfig(Qwen3NextConfig config) {
        return new GatedDeltaNetConfig(config.linearKeyHeads(), config.linearValueHeads(), config.linearKeyDim(),
                config.linearValueDim(), config.convKernel(), config.rmsEps(),
                GatedDeltaNetConfig.Layout.FUSED_PER_KEY_HEAD);
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
        Tensor x = Embedding.embedding(embedding, ids, config.padTokenId());                       // [B, T, H]
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String prefix = Qwen3NextState.prefix(i);
            MixerOutput mixed = layer.mixer().forward(OffsetRmsNorm.apply(x, layer.inputNorm(), eps),
                    MixerState.under(prefix, current, start.position()));
            mixed.state().putUnder(prefix, next);
            x = Arithmetic.add(x, mixed.output());
            x = Arithmetic.add(x, layer.mlp().apply(OffsetRmsNorm.apply(x, layer.postNorm(), eps)));
        }
        Tensor logits = Linear.apply(OffsetRmsNorm.apply(x, finalNorm, eps), lmHead, null); // [B, T, V]
        return new LmOutput(logits, new LmState(next, start.position() + ids.dim(1)));
    }
}
