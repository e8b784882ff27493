package dev.recur.layers.hybrid.jamba;

import dev.recur.core.RecurException;
import dev.recur.layers.lm.HfConfig;

/**
 * The sizes and layout of a Jamba causal LM, as transformers' {@code JambaConfig} names them. Layer {@code i} mixes
 * tokens with attention when {@code i % attnLayerPeriod == attnLayerOffset} and with a Mamba mixer otherwise; its
 * feed-forward part is a mixture of {@code numExperts} experts when {@code i % expertLayerPeriod ==
 * expertLayerOffset} and {@code numExperts > 1}, and one dense gated MLP otherwise. Validated when built.
 *
 * @param vocabSize         V, rows of the embedding
 * @param hiddenSize        the residual stream width
 * @param intermediateSize  the width of the gated MLP and of each expert
 * @param numLayers         decoder layers
 * @param attnLayerPeriod   attention layers repeat with this period
 * @param attnLayerOffset   ... at this offset (smaller than the period)
 * @param expertLayerPeriod mixture-of-experts layers repeat with this period
 * @param expertLayerOffset ... at this offset (smaller than the period)
 * @param numExperts        experts in a mixture-of-experts layer (1: every layer is dense)
 * @param expertsPerToken   experts each token is routed to (top-k), in {@code [1, numExperts]}
 * @param heads             attention query heads
 * @param kvHeads           attention key/value heads (a divisor of {@code heads})
 * @param headDim           dimensions per attention head
 * @param mambaInner        the Mamba mixer's inner width ({@code mamba_expand * hidden_size})
 * @param mambaState        N, the SSM state size per channel
 * @param mambaConv         K, the causal convolution's width
 * @param mambaDtRank       R, the rank of the step-size projection
 * @param mambaConvBias     whether the convolution has a bias
 * @param mambaProjBias     whether in_proj and out_proj have biases
 * @param rmsEps            epsilon of every RMSNorm (blocks, final, and the mixer's dt/B/C norms)
 * @param tieWordEmbeddings whether the output head is the embedding matrix
 * @param padTokenId        the embedding row that gets no gradient from lookups ({@code pad_token_id}; -1: none), as
 *                          transformers builds {@code JambaModel}'s {@code nn.Embedding(padding_idx)}
 */
public record JambaConfig(int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int attnLayerPeriod,
                          int attnLayerOffset, int expertLayerPeriod, int expertLayerOffset, int numExperts,
                          int expertsPerToken, int heads, int kvHeads, int headDim, int mambaInner, int mambaState,
                          int mambaConv, int mambaDtRank, boolean mambaConvBias, boolean mambaProjBias, float rmsEps,
                          boolean tieWordEmbeddings, int padTokenId) {
    public JambaConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("attn_layer_period", attnLayerPeriod);
        positive("expert_layer_period", expertLayerPeriod);
        positive("num_experts", numExperts);
        positive("num_attention_heads", heads);
        positive("num_key_value_heads", kvHeads);
        positive("head_dim", headDim);
        positive("mamba inner width (mamba_expand * hidden_size)", mambaInner);
        positive("mamba_d_state", mambaState);
        positive("mamba_d_conv", mambaConv);
        positive("mamba_dt_rank", mambaDtRank);
        if (attnLayerOffset < 0 || attnLayerOffset >= attnLayerPeriod) {
            throw new RecurException("jamba config: attn_layer_offset must be in [0, attn_layer_period = "
                    + attnLayerPeriod + "), got " + attnLayerOffset);
        }
        if (expertLayerOffset < 0 || expertLayerOffset >= expertLayerPeriod) {
            throw new RecurException("jamba config: expert_layer_offset must be in [0, expert_layer_period = "
                    + expertLayerPeriod + "), got " + expertLayerOffset);
        }
        if (expertsPerToken < 1 || expertsPerToken > numExperts) {
            throw new RecurException("jamba config: num_experts_per_tok must be in [1, num_experts = " + numExperts
                    + "], got " + expertsPerToken);
        }
        if (heads % kvHeads != 0) {
            throw new RecurException("jamba config: num_attention_heads must be a multiple of num_key_value_heads,"
                    + " got " + heads + " and " + kvHeads);
        }
        if (!(rmsEps > 0f) || Float.isInfinite(rmsEps)) {
            throw new RecurException("jamba config: rms_norm_eps must be a finite number > 0, got " + rmsEps);
        }
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new RecurException("jamba config: " + field + " must be >= 1, got " + value);
        }
    }

    /** Whether layer {@code i} mixes tokens with attention (otherwise with a Mamba mixer). */
    public boolean isAttention(int layer) {
        return layer % attnLayerPeriod == attnLayerOffset;
    }

    /** The experts of layer {@code i}'s feed-forward part: 1 means a dense gated MLP. */
    public int expertsAt(int layer) {
        return layer % expertLayerPeriod == expertLayerOffset ? numExperts : 1;
    }

    /** Reads a transformers config with {@code model_type} {@code jamba}. */
    public static JambaConfig fromHf(HfConfig c) {
        if (!c.modelType().equals("jamba")) {
            throw new RecurException(c.path() + ": model_type '" + c.modelType() + "' is not a Jamba model");
        }
        String act = c.string("hidden_act", "silu");
        if (!act.equals("silu") && !act.equals("swish")) {
            throw new RecurException(c.path() + ": field 'hidden_act' expected silu (the activation of Jamba's MLPs"
                    + " and Mamba mixers), got " + act);
        }
        int hidden = c.integer("hidden_size");
        int heads = c.integer("num_attention_heads", 32);
        if (!c.has("head_dim") && hidden % heads != 0) {
            throw new RecurException(c.path() + ": hidden_size " + hidden + " is not a multiple of "
                    + "num_attention_heads " + heads);
        }
        Object rank = c.raw("mamba_dt_rank");
        int dtRank = rank == null || "auto".equals(rank) ? (hidden + 15) / 16 : c.integer("mamba_dt_rank");
        return new JambaConfig(c.integer("vocab_size"), hidden, c.integer("intermediate_size"),
                c.integer("num_hidden_layers"), c.integer("attn_layer_period", 8), c.integer("attn_layer_offset", 4),
                c.integer("expert_layer_period", 2), c.integer("expert_layer_offset", 1), c.integer("num_experts", 16),
                c.integer("num_experts_per_tok", 2), heads, c.integer("num_key_value_heads", 8),
                c.integer("head_dim", hidden / heads), c.integer("mamba_expand", 2) * hidden,
                c.integer("mamba_d_state", 16), c.integer("mamba_d_conv", 4), dtRank,
                c.bool("mamba_conv_bias", true), c.bool("mamba_proj_bias", false),
                (float) c.number("rms_norm_eps", 1e-6), c.bool("tie_word_embeddings", false),
                c.integer("pad_token_id", -1));
    }
}
