package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.RecurException;
import dev.recur.layers.lm.HfConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The sizes and layout of a Qwen3-Next causal LM, as transformers' {@code Qwen3NextConfig} names them. Layer
 * {@code i} mixes tokens with gated full attention when {@code attention[i]} ({@code layer_types} says
 * {@code full_attention}) and with a Gated DeltaNet otherwise; its MLP is a sparse mixture of experts when
 * {@code numExperts > 0}, {@code i} is not in {@code mlp_only_layers} and {@code (i + 1) % decoder_sparse_step == 0},
 * and a dense gated MLP otherwise. Validated when built.
 *
 * @param vocabSize          V, rows of the embedding
 * @param hiddenSize         the residual stream width
 * @param intermediateSize   the dense MLP's width
 * @param attention          per layer: full attention (true) or Gated DeltaNet (false)
 * @param denseMlp           per layer: a dense MLP (true) or a mixture of experts (false)
 * @param heads              attention query heads
 * @param kvHeads            attention key/value heads (a divisor of {@code heads})
 * @param headDim            dimensions per attention head
 * @param rotaryDims         leading dimensions of each head that rotary embeddings turn
 *                           ({@code head_dim * partial_rotary_factor})
 * @param ropeTheta          the rotary base
 * @param linearKeyHeads     the DeltaNet's query/key heads
 * @param linearValueHeads   the DeltaNet's value heads (a multiple of the key heads)
 * @param linearKeyDim       dimensions per DeltaNet query/key head
 * @param linearValueDim     dimensions per DeltaNet value head
 * @param convKernel         taps of the DeltaNet's causal convolution
 * @param numExperts         routed experts of a mixture-of-experts layer (0: none)
 * @param expertsPerToken    experts each token is routed to (top-k)
 * @param moeIntermediate    each routed expert's width
 * @param sharedIntermediate the shared expert's width
 * @param normTopK           whether the picked router probabilities are renormalised to sum to one
 * @param rmsEps             epsilon of every RMSNorm
 * @param tieWordEmbeddings  whether the output head is the embedding matrix
 * @param padTokenId         the embedding row that gets no gradient from lookups ({@code pad_token_id}; -1: none),
 *                           as transformers builds {@code Qwen3NextModel}'s {@code nn.Embedding(padding_idx)}
 */
public record Qwen3NextConfig(int vocabSize, int hiddenSize, int intermediateSize, boolean[] attention,
                              boolean[] denseMlp, int heads, int kvHeads, int headDim, int rotaryDims,
                              double ropeTheta, int linearKeyHeads, int linearValueHeads, int linearKeyDim,
                              int linearValueDim, int convKernel, int numExperts, int expertsPerToken,
                              int moeIntermediate, int sharedIntermediate, boolean normTopK, float rmsEps,
                              boolean tieWordEmbeddings, int padTokenId) {
    public Qwen3NextConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", attention.length);
        positive("num_attention_heads", heads);
        positive("num_key_value_heads", kvHeads);
        positive("head_dim", headDim);
        positive("linear_num_key_heads", linearKeyHeads);
        positive("linear_num_value_heads", linearValueHeads);
        positive("linear_key_head_dim", linearKeyDim);
        positive("linear_value_head_dim", linearValueDim);
        positive("linear_conv_kernel_dim", convKernel);
        if (denseMlp.length != attention.length) {
            throw new RecurException("qwen3_next config: expected one MLP kind per layer (" + attention.length
                    + "), got " + denseMlp.length);
        }
        if (heads % kvHeads != 0) {
            throw new RecurException("qwen3_next config: num_attention_heads must be a multiple of"
                    + " num_key_value_heads, got " + heads + " and " + kvHeads);
        }
        if (linearValueHeads % linearKeyHeads != 0) {
            throw new RecurException("qwen3_next config: linear_num_value_heads must be a multiple of"
                    + " linear_num_key_heads, got " + linearValueHeads + " and " + linearKeyHeads);
        }
        if (rotaryDims < 0 || rotaryDims > headDim || rotaryDims % 2 != 0) {
            throw new RecurException("qwen3_next config: rotary dimensions (head_dim * partial_rotary_factor) must"
                    + " be even and in [0, " + headDim + "], got " + rotaryDims);
        }
        boolean anyMoe = false;
        boolean anyDense = false;
        for (boolean dense : denseMlp) {
            anyMoe |= !dense;
            anyDense |= dense;
        }
        if (anyDense) {
            positive("intermediate_size", intermediateSize);
        }
        if (anyMoe) {
            positive("moe_intermediate_size", moeIntermediate);
            positive("shared_expert_intermediate_size", sharedIntermediate);
            if (expertsPerToken < 1 || expertsPerToken > numExperts) {
                throw new RecurException("qwen3_next config: num_experts_per_tok must be in [1, num_experts = "
                        + numExperts + "], got " + expertsPerToken);
            }
        }
        if (!(rmsEps > 0f) || Float.isInfinite(rmsEps)) {
            throw new RecurException("qwen3_next config: rms_norm_eps must be a finite number > 0, got " + rmsEps);
        }
        attention = attention.clone();
        denseMlp = denseMlp.clone();
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new RecurException("qwen3_next config: " + field + " must be >= 1, got " + value);
        }
    }

    public int numLayers() {
        return attention.length;
    }

    /** Whether layer {@code i} mixes tokens with gated full attention (otherwise with a Gated DeltaNet). */
    public boolean isAttention(int layer) {
        return attention[layer];
    }

    /** Whether layer {@code i}'s MLP is dense (otherwise a mixture of experts with a shared expert). */
    public boolean isDense(int layer) {
        return denseMlp[layer];
    }

    /** The DeltaNet's query/key width, {@code linearKeyHeads * linearKeyDim}. */
    public int linearKeyWidth() {
        return linearKeyHeads * linearKeyDim;
    }

    /** The DeltaNet's value width, {@code linearValueHeads * linearValueDim}. */
    public int linearValueWidth() {
        return linearValueHeads * linearValueDim;
    }

    /** The channels of the DeltaNet's convolution: queries, keys and values. */
    public int convChannels() {
        return 2 * linearKeyWidth() + linearValueWidth();
    }

    @Override
    public boolean[] attention() {
        return attention.clone();
    }

    @Override
    public boolean[] denseMlp() {
        return denseMlp.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Qwen3NextConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Qwen3NextConfig[vocab=" + vocabSize + ", hidden=" + hiddenSize + ", intermediate=" + intermediateSize
                + ", attention=" + Arrays.toString(attention) + ", denseMlp=" + Arrays.toString(denseMlp)
                + ", heads=" + heads + ", kvHeads=" + kvHeads + ", headDim=" + headDim + ", rotaryDims=" + rotaryDims
                + ", ropeTheta=" + ropeTheta + ", linearHeads=" + linearKeyHeads + "/" + linearValueHeads
                + ", linearDims=" + linearKeyDim + "/" + linearValueDim + ", conv=" + convKernel + ", experts="
                + numExperts + " top " + expertsPerToken + ", moeIntermediate=" + moeIntermediate + ", shared="
                + sharedIntermediate + ", normTopK=" + normTopK + ", eps=" + rmsEps + ", tied=" + tieWordEmbeddings
                + ", pad=" + padTokenId + "]";
    }

    /** Reads a transformers config with {@code model_type} {@code qwen3_next}. */
    public static Qwen3NextConfig fromHf(HfConfig c) {
        if (!c.modelType().equals("qwen3_next")) {
            throw new RecurException(c.path() + ": model_type '" + c.modelType() + "' is not a Qwen3-Next model");
        }
        String act = c.string("hidden_act", "silu");
        if (!act.equals("silu") && !act.equals("swish")) {
            throw new RecurException(c.path() + ": field 'hidden_act' expected silu (the activation of Qwen3-Next's"
                    + " MLPs), got " + act);
        }
        if (c.bool("attention_bias", false)) {
            throw new RecurException(c.path() + ": field 'attention_bias' expected false (Qwen3-Next checkpoints"
                    + " have bias-free projections), got true");
        }
        int layers = c.integer("num_hidden_layers");
        boolean[] attention = layerTypes(c, layers);
        int hidden = c.integer("hidden_size");
        int heads = c.integer("num_attention_heads", 16);
        int headDim = c.integer("head_dim", hidden / heads);
        Map<?, ?> rope = c.raw("rope_parameters") instanceof Map<?, ?> m ? m : Map.of();
        Object type = rope.get("rope_type");
        if (type != null && !"default".equals(type)) {
            throw new RecurException(c.path() + ": field 'rope_parameters.rope_type' expected default, got " + type);
        }
        Object ropeTheta = rope.get("rope_theta");
        double theta = ropeTheta != null ? number(c, "rope_parameters.rope_theta", ropeTheta)
                : c.number("rope_theta", 10000.0);
        Object partial = rope.get("partial_rotary_factor");
        double factor = partial != null ? number(c, "rope_parameters.partial_rotary_factor", partial)
                : c.number("partial_rotary_factor", 0.25);
        int numExperts = c.integer("num_experts", 0);
        int step = c.integer("decoder_sparse_step", 1);
        if (step < 1) {
            throw new RecurException(c.path() + ": field 'decoder_sparse_step' expected >= 1, got " + step);
        }
        boolean[] dense = new boolean[layers];
        List<?> mlpOnly = c.has("mlp_only_layers") ? c.list("mlp_only_layers") : List.of();
        for (int i = 0; i < layers; i++) {
            dense[i] = numExperts == 0 || (i + 1) % step != 0;
        }
        for (Object o : mlpOnly) {
            int layer = (int) number(c, "mlp_only_layers", o);
            if (layer != number(c, "mlp_only_layers", o) || layer < 0 || layer >= layers) {
                throw new RecurException(c.path() + ": field 'mlp_only_layers' expected layer indices in [0, "
                        + layers + "), got " + o);
            }
            dense[layer] = true;
        }
        return new Qwen3NextConfig(c.integer("vocab_size"), hidden, c.integer("intermediate_size", 0), attention,
                dense, heads, c.integer("num_key_value_heads", 2), headDim, (int) (headDim * factor), theta,
                c.integer("linear_num_key_heads", 16), c.integer("linear_num_value_heads", 32),
                c.integer("linear_key_head_dim", 128), c.integer("linear_value_head_dim", 128),
                c.integer("linear_conv_kernel_dim", 4), numExperts, c.integer("num_experts_per_tok", 10),
                c.integer("moe_intermediate_size", 0), c.integer("shared_expert_intermediate_size", 0),
                c.bool("norm_topk_prob", true), (float) c.number("rms_norm_eps", 1e-6),
                c.bool("tie_word_embeddings", false), c.integer("pad_token_id", -1));
    }

    /** {@code layer_types}, or transformers' default (full attention every fourth layer) when absent. */
    private static boolean[] layerTypes(HfConfig c, int layers) {
        boolean[] attention = new boolean[layers];
        if (!c.has("layer_types")) {
            int interval = c.integer("full_attention_interval", 4);
            for (int i = 0; i < layers; i++) {
                attention[i] = (i + 1) % interval == 0;
            }
            return attention;
        }
        List<?> types = c.list("layer_types");
        if (types.size() != layers) {
            throw new RecurException(c.path() + ": field 'layer_types' expected " + layers
                    + " entries (num_hidden_layers), got " + types.size());
        }
        for (int i = 0; i < layers; i++) {
            Object t = types.get(i);
            if ("full_attention".equals(t)) {
                attention[i] = true;
            } else if (!"linear_attention".equals(t)) {
                throw new RecurException(c.path() + ": field 'layer_types[" + i + "]' expected linear_attention or"
                        + " full_attention, got " + t);
            }
        }
        return attention;
    }

    private static double number(HfConfig c, String field, Object value) {
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new RecurException(c.path() + ": field '" + field + "' expected a number, got " + value);
        }
    }
}
