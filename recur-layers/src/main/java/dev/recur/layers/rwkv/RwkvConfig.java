package dev.recur.layers.rwkv;

import dev.recur.core.RecurException;
import dev.recur.layers.lm.HfConfig;

/**
 * The sizes and options of an RWKV-4 causal LM, as transformers' {@code RwkvConfig} names them; absent fields
 * take that class's defaults (attention size = hidden size, intermediate size = 4 x hidden size,
 * {@code rescale_every} 6, untied head).
 *
 * @param vocabSize          tokens in the vocabulary
 * @param hiddenSize         width of the residual stream
 * @param attentionSize      width of the time-mixing keys, values and WKV state
 * @param intermediateSize   width of the channel-mixing hidden layer
 * @param layers             number of blocks
 * @param layerNormEps       epsilon of the blocks' LayerNorms (the final {@code ln_out} uses PyTorch's 1e-5)
 * @param rescaleEvery       halve the residual stream after every this many blocks at inference; 0 disables
 * @param tieWordEmbeddings  whether the output head is the embedding matrix
 */
public record RwkvConfig(int vocabSize, int hiddenSize, int attentionSize, int intermediateSize, int layers,
                         float layerNormEps, int rescaleEvery, boolean tieWordEmbeddings) {
    public RwkvConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("attention_hidden_size", attentionSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", layers);
        if (!(layerNormEps > 0) || !Float.isFinite(layerNormEps)) {
            throw new RecurException("rwkv config: layer_norm_epsilon must be a positive finite number, got "
                    + layerNormEps);
        }
        if (rescaleEvery < 0) {
            throw new RecurException("rwkv config: rescale_every must be >= 0, got " + rescaleEvery);
        }
    }

    /** Reads a transformers {@code config.json} of {@code model_type} {@code rwkv}. */
    public static RwkvConfig from(HfConfig config) {
        int hidden = config.integer("hidden_size");
        return new RwkvConfig(
                config.integer("vocab_size"),
                hidden,
                config.integer("attention_hidden_size", hidden),
                config.integer("intermediate_size", 4 * hidden),
                config.integer("num_hidden_layers"),
                (float) config.number("layer_norm_epsilon", 1e-5),
                config.integer("rescale_every", 6),
                config.bool("tie_word_embeddings", false));
    }

    /**
     * The power of two that block {@code layer}'s output projections are divided by at inference, matching the
     * residual stream that was halved after every {@code rescaleEvery} blocks before it.
     */
    public int rescaleExponent(int layer) {
        return rescaleEvery > 0 ? layer / rescaleEvery : 0;
    }

    /** Whether the residual stream is halved after block {@code layer}. */
    public boolean halvesAfter(int layer) {
        return rescaleEvery > 0 && (layer + 1) % rescaleEvery == 0;
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new RecurException("rwkv config: " + field + " must be > 0, got " + value);
        }
    }
}
