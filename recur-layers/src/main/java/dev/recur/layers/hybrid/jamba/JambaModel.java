package dev.recur.layers.hybrid.jamba;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.AttentionMixer;
import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.layers.ffn.FeedForward;
import dev.recur.layers.ffn.GatedMlp;
import dev.recur.layers.ffn.SparseMoe;
import dev.recur.layers.ssm.mamba.MambaBlockMixer;
import dev.recur.layers.ssm.mamba.MambaMixerConfig;
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
 * A Jamba causal LM (Lieber et al. 2024, "Jamba: A Hybrid Transformer-Mamba Language Model"), as transformers'
 * {@code JambaForCausalLM}: embedding; {@code numLayers} layers, each two pre-norm residual blocks
 * {@code x += mixer(rmsNorm(x))} then {@code x += ffn(rmsNorm(x))}, where the mixer is attention (the attention
 * family's {@link AttentionMixer}, no positions) or a Mamba mixer (the mamba family's {@link MambaBlockMixer}, with
 * dt/B/C norms) per {@link JambaConfig#isAttention} and the feed-forward part a {@link GatedMlp} or a {@link SparseMoe}
 * ({@link JambaConfig#expertsAt}); a final RMSNorm and a linear head (tied to the embedding when
 * {@code tie_word_embeddings}). The router's auxiliary load-balancing loss is a training option of the reference
 * ({@code output_router_logits}) and not part of the logits; it is not computed here.
 *
 * <p>State: see {@link JambaState}. A forward over a whole sequence, over chunks passing the state, or token by
 * token gives the same logits.
 */
public final class JambaModel implements CausalLm {
    private record Layer(Tensor inputNorm, Mixer mixer, Tensor preFfNorm, FeedForward ffn) {}

    private final JambaConfig config;
    private final Tensor embedding; // [V, H]
    private final List<Layer> layers;
    private final Tensor finalNorm; // [H]
    private final Tensor lmHead;    // [V, H], the embedding itself when tied
    private final Map<String, Tensor> parameters;

    /** Takes every tensor from {@code source} under transformers' names, checking each shape. */
    public JambaModel(JambaConfig config, WeightSource source) {
        this.config = config;
        Map<String, Tensor> p = new LinkedHashMap<>();
        WeightSource take = source.recordingInto(p);
        int h = config.hiddenSize();
        embedding = take.apply("model.embed_tokens.weight", config.vocabSize(), h);
        List<Layer> built = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            String prefix = "model.layers." + i + ".";
            FeedForward ffn = feedForward(config, i, prefix + "feed_forward.", take);
            Tensor inputNorm = take.apply(prefix + "input_layernorm.weight", h);
            Mixer mixer = config.isAttention(i)
                    ? AttentionMixer.load(attentionConfig(config), h, false, false,
                            Params.loaded(take, prefix + "self_attn."))
                    : MambaBlockMixer.load(mambaConfig(config), h, Params.loaded(take, prefix + "mamba."));
            Tensor preFfNorm = take.apply(prefix + "pre_ff_layernorm.weight", h);
            built.add(new Layer(inputNorm, mixer, preFfNorm, ffn));
        }
        layers = List.copyOf(built);
        finalNorm = take.apply("model.final_layernorm.weight", h);
        lmHead = config.tieWordEmbeddings() ? embedding : take.apply("lm_head.weight", config.vocabSize(), h);
        parameters = Collections.unmodifiableMap(p);
    }

    private static FeedForward feedForward(JambaConfig config, int layer, String prefix, WeightSource take) {
        int h = config.hiddenSize();
        int inner = config.intermediateSize();
        int experts = config.expertsAt(layer);
        if (experts == 1) {
            return GatedMlp.load(h, inner, prefix, take);
        }
        Tensor router = take.apply(prefix + "router.weight", experts, h);
        return SparseMoe.load(router, h, inner, config.expertsPerToken(), false, prefix + "experts.", take);
    }

    /** The Mamba layers' mixer: the mamba family's, with Jamba's biases and weighted dt/B/C norms. */
    static MambaMixerConfig mambaConfig(JambaConfig config) {
        return new MambaMixerConfig(config.mambaInner(), config.mambaState(), config.mambaConv(),
                config.mambaDtRank(), config.mambaProjBias(), config.mambaConvBias(),
                MambaMixerConfig.DtBcNorm.WEIGHTED, config.rmsEps());
    }

    /** Grouped-query attention with no positional encoding (Lieber et al. 2024: the Mamba layers give position). */
    static AttentionConfig attentionConfig(JambaConfig config) {
        return new AttentionConfig(config.heads(), config.kvHeads(), config.headDim(), 0, 0.0, 0);
    }

    public JambaConfig config() {
        return config;
    }

    @Override
    public String modelType() {
        return "jamba";
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
        return JambaState.initial(config, batch);
    }

    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        LmInputs.requireIds("jamba", ids);
        int batch = ids.dim(0);
        LmState start = state == null ? initialState(batch) : state;
        Map<String, Tensor> current = JambaState.check(config, start, batch);
        Map<String, Tensor> next = new LinkedHashMap<>();
        float eps = config.rmsEps();
        Tensor x = Embedding.embedding(embedding, ids, config.padTokenId());                       // [B, T, H]
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String prefix = JambaState.prefix(i);
            MixerOutput mixed = layer.mixer().forward(Norms.rmsNorm(x, layer.inputNorm(), eps),
                    MixerState.under(prefix, current, start.position()));
            mixed.state().putUnder(prefix, next);
            x = Arithmetic.add(x, mixed.output());
            x = Arithmetic.add(x, layer.ffn().apply(Norms.rmsNorm(x, layer.preFfNorm(), eps)));
        }
        Tensor logits = Linear.apply(Norms.rmsNorm(x, finalNorm, eps), lmHead, null); // [B, T, V]
        return new LmOutput(logits, new LmState(next, start.position() + ids.dim(1)));
    }
}
