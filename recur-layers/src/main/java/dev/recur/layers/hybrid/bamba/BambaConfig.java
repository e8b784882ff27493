package dev.recur.layers.hybrid.bamba;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.ssm.mamba2.Mamba2Config;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sizes and options of a Bamba causal LM, as transformers' {@code BambaConfig} names them: Mamba-2 layers
 * everywhere except the indices in {@code attn_layer_indices}, which hold grouped-query attention with partial
 * rotary embeddings; every layer is followed by a gated MLP.
 *
 * @param vocabSize         tokens in the vocabulary
 * @param hiddenSize        width of the residual stream
 * @param mlpSize           width of the gated MLP ({@code intermediate_size})
 * @param layers            number of decoder layers
 * @param attentionLayers   indices of the attention layers, sorted (the others are Mamba-2 layers)
 * @param attention         the attention layers' heads, head size and rotary embeddings (no window)
 * @param mamba             the Mamba-2 mixers' sizes ({@code mamba_*} fields), epsilon and activation
 * @param rmsNormEps        epsilon of every RMSNorm
 * @param activation        {@code hidden_act}, used by the MLP and after the mixers' convolution
 * @param padTokenId        the embedding row that gets no gradient from lookups ({@code -1}: none)
 * @param tieWordEmbeddings whether the output head is the embedding matrix
 */
public record BambaConfig(int vocabSize, int hiddenSize, int mlpSize, int layers, List<Integer> attentionLayers,
                          AttentionConfig attention, Mamba2Config mamba, float rmsNormEps, String activation,
                          int padTokenId, boolean tieWordEmbeddings) {
    private static final String WHERE = "bamba config";
    private static final Set<String> ACTIVATIONS = Set.of("silu", "swish", "gelu", "relu", "tanh", "sigmoid");

    public BambaConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", mlpSize);
        positive("num_hidden_layers", layers);
        attentionLayers = List.copyOf(new TreeSet<>(attentionLayers));
        for (int i : attentionLayers) {
            if (i < 0 || i >= layers) {
                throw new RecurException(WHERE + ": attn_layer_indices must lie in [0, " + layers + "), got " + i);
            }
        }
        if (activation == null || !ACTIVATIONS.contains(activation)) {
            throw new RecurException(WHERE + ": hidden_act must be one of " + ACTIVATIONS + ", got " + activation);
        }
        if (!(rmsNormEps > 0) || !Float.isFinite(rmsNormEps)) {
            throw new RecurException(WHERE + ": rms_norm_eps must be a positive finite number, got " + rmsNormEps);
        }
        if (attention.window() != 0) {
            throw new RecurException(WHERE + ": Bamba attention sees every earlier token, got window "
                    + attention.window());
        }
        if (mamba.hiddenSize() != hiddenSize || mamba.vocabSize() != vocabSize || mamba.layers() != layers) {
            throw new RecurException(WHERE + ": the Mamba-2 sizes must share hidden_size, vocab_size and"
                    + " num_hidden_layers, got " + mamba);
        }
    }

    /** Whether layer {@code i} is an attention layer (otherwise a Mamba-2 layer). */
    public boolean isAttention(int layer) {
        return attentionLayers.contains(layer);
    }

    /** Reads a transformers {@code config.json} of {@code model_type} {@code bamba}; absent fields take defaults. */
    public static BambaConfig from(HfConfig config) {
        String where = config.path() + ": ";
        int vocab = config.integer("vocab_size", 128000);
        int hidden = config.integer("hidden_size", 4096);
        int layers = config.integer("num_hidden_layers", 32);
        int heads = config.integer("num_attention_heads", 32);
        int kvHeads = config.has("num_key_value_heads") ? config.integer("num_key_value_heads") : heads;
        if (heads <= 0 || hidden % heads != 0 && !config.has("head_dim")) {
            throw new RecurException(where + "hidden_size (" + hidden + ") must be a positive multiple of"
                    + " num_attention_heads (" + heads + ")");
        }
        int headDim = config.integer("head_dim", hidden / heads);

        HfConfig rope = ropeParameters(config);
        String ropeType = rope.string("rope_type", config.string("rope_type", "default"));
        if (!"default".equals(ropeType)) {
            throw new RecurException(where + "rope_type '" + ropeType + "' is not supported (only 'default')");
        }
        // BambaConfig sets partial_rotary_factor 0.5 and records it in rope_parameters; older files lack it.
        double factor = rope.number("partial_rotary_factor", config.number("partial_rotary_factor", 0.5));
        if (!(factor > 0 && factor <= 1)) {
            throw new RecurException(where + "partial_rotary_factor must be in (0, 1], got " + factor);
        }
        int rotaryDims = (int) (headDim * factor);
        if (rotaryDims % 2 != 0) {
            throw new RecurException(where + "head_dim x partial_rotary_factor must be an even number of rotated"
                    + " dimensions, got " + headDim + " x " + factor + " = " + rotaryDims);
        }
        double theta = rope.number("rope_theta", config.number("rope_theta", 10000.0));

        String activation = config.string("hidden_act", "silu");
        float eps = (float) config.number("rms_norm_eps", 1e-5);
        double[] limit = Mamba2Config.timeStepLimit(config);
        Mamba2Config mamba = mambaConfig(config, vocab, hidden, layers, eps, activation, limit);
        return new BambaConfig(vocab, hidden, config.integer("intermediate_size", 14336), layers,
                attentionLayers(config),
                new AttentionConfig(heads, kvHeads, headDim, rotaryDims, theta, 0),
                mamba, eps, activation,
                config.integer("pad_token_id", -1),
                config.bool("tie_word_embeddings", false));
    }

    /** The mixers' sizes under their {@code mamba_*} names, checked here so that errors name those fields. */
    private static Mamba2Config mambaConfig(HfConfig config, int vocab, int hidden, int layers, float eps,
                                            String activation, double[] limit) {
        String where = config.path() + ": ";
        int heads = config.integer("mamba_n_heads", 128);
        int groups = config.integer("mamba_n_groups", 1);
        // transformers: int(mamba_expand * hidden_size)
        int inner = (int) (config.number("mamba_expand", 2) * hidden);
        if (heads <= 0 || inner <= 0 || inner % heads != 0) {
            throw new RecurException(where + "mamba_n_heads (" + heads + ") must divide mamba_expand x hidden_size = "
                    + inner);
        }
        int headDim = "auto".equals(config.raw("mamba_d_head")) || !config.has("mamba_d_head")
                ? inner / heads : config.integer("mamba_d_head");
        if ((long) headDim * heads != inner) {
            throw new RecurException(where + "mamba_d_head x mamba_n_heads must equal mamba_expand x hidden_size = "
                    + inner + ", got " + headDim + " x " + heads);
        }
        if (groups <= 0 || heads % groups != 0) {
            throw new RecurException(where + "mamba_n_heads must be a multiple of mamba_n_groups, got mamba_n_heads="
                    + heads + " mamba_n_groups=" + groups);
        }
        return new Mamba2Config(vocab, hidden, layers, heads, headDim,
                config.integer("mamba_d_state", 256), groups, inner,
                config.integer("mamba_d_conv", 4),
                config.integer("mamba_chunk_size", 256),
                eps,
                config.bool("mamba_proj_bias", false),
                config.bool("mamba_conv_bias", true),
                activation, limit[0], limit[1], false);
    }

    /** {@code attn_layer_indices}: absent or null means no attention layer. */
    private static List<Integer> attentionLayers(HfConfig config) {
        List<Integer> out = new ArrayList<>();
        if (!config.has("attn_layer_indices")) {
            return out;
        }
        for (Object v : config.list("attn_layer_indices")) {
            BigDecimal d = v instanceof JsonNumber n ? n.toBigDecimal()
                    : v instanceof Integer || v instanceof Long ? BigDecimal.valueOf(((Number) v).longValue()) : null;
            Integer index = null;
            if (d != null) {
                try {
                    index = d.intValueExact();
                } catch (ArithmeticException notAnInt) {
                    // reported below
                }
            }
            if (index == null) {
                throw new RecurException(config.path() + ": field 'attn_layer_indices' expected integers, got " + v);
            }
            out.add(index);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static HfConfig ropeParameters(HfConfig config) {
        Object raw = config.raw("rope_parameters");
        if (raw == null) {
            return HfConfig.of(config.path() + " (rope_parameters)", Map.of());
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new RecurException(config.path() + ": field 'rope_parameters' expected an object, got " + raw);
        }
        return HfConfig.of(config.path() + " (rope_parameters)", (Map<String, ?>) map);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new RecurException(WHERE + ": " + field + " must be > 0, got " + value);
        }
    }
}
