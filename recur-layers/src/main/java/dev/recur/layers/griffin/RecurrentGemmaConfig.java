package dev.recur.layers.griffin;

import dev.recur.core.RecurException;
import dev.recur.layers.lm.HfConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sizes and options of a RecurrentGemma causal LM, read as transformers' {@code RecurrentGemmaConfig} reads
 * them (absent fields take that class's defaults).
 *
 * @param vocabSize        tokens in the vocabulary
 * @param hiddenSize       width of the residual stream
 * @param mlpWidth         hidden width of each MLP: transformers builds it as {@code intermediate_size / 2}
 * @param blocks           the temporal block of each layer: {@code block_types} repeated over the layers
 * @param lruWidth         width of the recurrent blocks' RG-LRU
 * @param heads            attention heads, also the RG-LRU's gate blocks
 * @param kvHeads          key/value heads of the attention blocks
 * @param headDim          {@code hiddenSize / heads}
 * @param rotaryDims       rotated dimensions of each head: {@code headDim * partial_rotary_factor}
 * @param ropeTheta        the rotary base
 * @param window           {@code attention_window_size}: tokens each attention query sees, itself included
 * @param convWidth        taps of the recurrent blocks' causal convolution
 * @param rmsNormEps       epsilon of every RMSNorm
 * @param logitsSoftCap    logits become {@code cap * tanh(logits / cap)}
 * @param attentionBias    whether the query, key and value projections have biases
 * @param exactGelu        the exact GELU ({@code gelu}) rather than the tanh form ({@code gelu_pytorch_tanh})
 * @param padTokenId       the embedding row that receives no gradient from lookups (-1: none)
 * @param tieWordEmbeddings whether the output head is the embedding matrix (transformers' default) rather than
 *                         its own {@code lm_head.weight}
 */
public record RecurrentGemmaConfig(int vocabSize, int hiddenSize, int mlpWidth, List<BlockType> blocks,
                                   int lruWidth, int heads, int kvHeads, int headDim, int rotaryDims,
                                   double ropeTheta, int window, int convWidth, float rmsNormEps,
                                   float logitsSoftCap, boolean attentionBias, boolean exactGelu, int padTokenId,
                                   boolean tieWordEmbeddings) {
    /** The temporal mixing block of a layer. */
    public enum BlockType { RECURRENT, ATTENTION }

    public RecurrentGemmaConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size / 2", mlpWidth);
        positive("lru_width", lruWidth);
        positive("num_attention_heads", heads);
        positive("num_key_value_heads", kvHeads);
        positive("head_dim", headDim);
        positive("attention_window_size", window);
        positive("conv1d_width", convWidth);
        if (blocks == null || blocks.isEmpty()) {
            throw new RecurException("recurrent_gemma config: num_hidden_layers must be > 0");
        }
        blocks = List.copyOf(blocks);
        if (heads * headDim != hiddenSize) {
            throw new RecurException("recurrent_gemma config: num_attention_heads * head_dim must equal hidden_size,"
                    + " got " + heads + " * " + headDim + " != " + hiddenSize);
        }
        if (heads % kvHeads != 0) {
            throw new RecurException("recurrent_gemma config: num_attention_heads (" + heads
                    + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
        }
        if (lruWidth % heads != 0) {
            throw new RecurException("recurrent_gemma config: lru_width (" + lruWidth
                    + ") must be a multiple of num_attention_heads (" + heads + ")");
        }
        if (rotaryDims < 0 || rotaryDims > headDim || rotaryDims % 2 != 0) {
            throw new RecurException("recurrent_gemma config: head_dim * partial_rotary_factor must be an even"
                    + " number of dimensions in [0, " + headDim + "], got " + rotaryDims);
        }
        if (!(rmsNormEps >= 0) || !Float.isFinite(rmsNormEps)) {
            throw new RecurException("recurrent_gemma config: rms_norm_eps must be finite and >= 0, got " + rmsNormEps);
        }
        if (!(logitsSoftCap > 0) || !Float.isFinite(logitsSoftCap)) {
            throw new RecurException("recurrent_gemma config: logits_soft_cap must be a positive finite number, got "
                    + logitsSoftCap);
        }
    }

    public int layers() {
        return blocks.size();
    }

    /** Channels per RG-LRU gate block. */
    public int lruBlockWidth() {
        return lruWidth / heads;
    }

    /** Reads a transformers {@code config.json} of {@code model_type} {@code recurrent_gemma}. */
    public static RecurrentGemmaConfig from(HfConfig config) {
        String where = config.path() + ": ";
        int hidden = config.integer("hidden_size", 2560);
        int heads = config.integer("num_attention_heads", 10);
        if (heads <= 0 || hidden % heads != 0) {
            throw new RecurException(where + "hidden_size (" + hidden + ") must be a positive multiple of"
                    + " num_attention_heads (" + heads + ")");
        }
        // transformers derives head_dim from the two sizes, whatever the file says; a different value is an error.
        int headDim = hidden / heads;
        if (config.has("head_dim") && config.integer("head_dim") != headDim) {
            throw new RecurException(where + "head_dim " + config.integer("head_dim") + " disagrees with hidden_size / "
                    + "num_attention_heads = " + headDim);
        }
        HfConfig rope = ropeParameters(config);
        String ropeType = rope.string("rope_type", "default");
        if (!"default".equals(ropeType)) {
            throw new RecurException(where + "rope_type '" + ropeType + "' is not supported (only 'default')");
        }
        double factor = rope.number("partial_rotary_factor", config.number("partial_rotary_factor", 0.5));
        double theta = rope.number("rope_theta", config.number("rope_theta", 10000.0));
        String activation = config.string("hidden_activation", "gelu_pytorch_tanh");
        if (!activation.equals("gelu_pytorch_tanh") && !activation.equals("gelu")) {
            throw new RecurException(where + "hidden_activation '" + activation
                    + "' is not supported (gelu_pytorch_tanh or gelu)");
        }
        return new RecurrentGemmaConfig(
                config.integer("vocab_size", 256000),
                hidden,
                config.integer("intermediate_size", 3 * hidden) / 2,
                blockTypes(config),
                config.integer("lru_width", hidden),
                heads,
                config.integer("num_key_value_heads", heads),
                headDim,
                (int) (headDim * factor),
                theta,
                config.integer("attention_window_size", 2048),
                config.integer("conv1d_width", 4),
                (float) config.number("rms_norm_eps", 1e-6),
                (float) config.number("logits_soft_cap", 30.0),
                config.bool("attention_bias", false),
                activation.equals("gelu"),
                config.integer("pad_token_id", -1),
                config.bool("tie_word_embeddings", true));
    }

    /** {@code block_types} cycled over {@code num_hidden_layers}, as transformers' {@code layers_block_type}. */
    private static List<BlockType> blockTypes(HfConfig config) {
        int layers = config.integer("num_hidden_layers", 26);
        List<?> pattern = config.has("block_types") ? config.list("block_types")
                : List.of("recurrent", "recurrent", "attention");
        if (pattern.isEmpty()) {
            throw new RecurException(config.path() + ": block_types must not be empty");
        }
        List<BlockType> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Object name = pattern.get(i % pattern.size());
            if ("recurrent".equals(name)) {
                out.add(BlockType.RECURRENT);
            } else if ("attention".equals(name)) {
                out.add(BlockType.ATTENTION);
            } else {
                throw new RecurException(config.path() + ": block_types holds '" + name
                        + "', expected 'recurrent' or 'attention'");
            }
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
            throw new RecurException("recurrent_gemma config: " + field + " must be > 0, got " + value);
        }
    }
}
