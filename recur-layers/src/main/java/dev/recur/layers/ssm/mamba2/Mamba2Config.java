package dev.recur.layers.ssm.mamba2;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.layers.lm.HfConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The sizes and options of a Mamba-2 causal LM, as transformers' {@code Mamba2Config} names them. The sizes
 * ({@code vocab_size}, {@code hidden_size}, {@code num_hidden_layers}, {@code num_heads}, {@code head_dim},
 * {@code state_size}) are required; absent options take that class's defaults ({@code n_groups} 8,
 * {@code expand} 2, {@code conv_kernel} 4, {@code chunk_size} 256, {@code layer_norm_epsilon} 1e-5, no
 * projection biases, a convolution bias, {@code silu}, {@code time_step_limit} (0, inf), untied head).
 *
 * @param vocabSize          tokens in the vocabulary
 * @param hiddenSize         width of the residual stream
 * @param layers             number of blocks
 * @param heads              SSM heads
 * @param headDim            channels per head (heads x headDim = intermediate size)
 * @param stateSize          SSM state size N per channel
 * @param groups             groups of B and C shared by {@code heads / groups} heads each
 * @param intermediateSize   width of the SSM input and of the gate, {@code expand x hiddenSize}
 * @param convKernel         width of the causal depthwise convolution
 * @param chunkSize          chunk length of the chunked scan
 * @param layerNormEps       epsilon of every RMSNorm (blocks, gated norm, final norm)
 * @param useBias            whether {@code in_proj} and {@code out_proj} have biases
 * @param useConvBias        whether the convolution has a bias
 * @param activation         the activation after the convolution ({@code silu}, {@code swish}, {@code gelu},
 *                           {@code relu}, {@code tanh}, {@code sigmoid})
 * @param timeStepMin        lower clamp of the step size after softplus
 * @param timeStepMax        upper clamp of the step size after softplus (may be infinite)
 * @param tieWordEmbeddings  whether the output head is the embedding matrix
 */
public record Mamba2Config(int vocabSize, int hiddenSize, int layers, int heads, int headDim, int stateSize,
                           int groups, int intermediateSize, int convKernel, int chunkSize, float layerNormEps,
                           boolean useBias, boolean useConvBias, String activation, double timeStepMin,
                           double timeStepMax, boolean tieWordEmbeddings) {
    private static final String WHERE = "mamba2 config";
    private static final Set<String> ACTIVATIONS = Set.of("silu", "swish", "gelu", "relu", "tanh", "sigmoid");

    public Mamba2Config {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", layers);
        positive("num_heads", heads);
        positive("head_dim", headDim);
        positive("state_size", stateSize);
        positive("n_groups", groups);
        positive("intermediate size (expand x hidden_size)", intermediateSize);
        positive("conv_kernel", convKernel);
        positive("chunk_size", chunkSize);
        if ((long) heads * headDim != intermediateSize) {
            throw new RecurException(WHERE + ": num_heads x head_dim must equal expand x hidden_size = "
                    + intermediateSize + ", got " + heads + " x " + headDim + " = " + (long) heads * headDim);
        }
        if (heads % groups != 0) {
            throw new RecurException(WHERE + ": num_heads must be a multiple of n_groups, got num_heads=" + heads
                    + " n_groups=" + groups);
        }
        if (!(layerNormEps > 0) || !Float.isFinite(layerNormEps)) {
            throw new RecurException(WHERE + ": layer_norm_epsilon must be a positive finite number, got "
                    + layerNormEps);
        }
        if (activation == null || !ACTIVATIONS.contains(activation)) {
            throw new RecurException(WHERE + ": hidden_act must be one of " + ACTIVATIONS + ", got " + activation);
        }
        if (Double.isNaN(timeStepMin) || Double.isNaN(timeStepMax) || timeStepMin > timeStepMax) {
            throw new RecurException(WHERE + ": time_step_limit must be [low, high] with low <= high, got ["
                    + timeStepMin + ", " + timeStepMax + "]");
        }
    }

    /** Width of the convolved {@code xBC} part: the SSM input, then B and C of every group. */
    public int convDim() {
        return intermediateSize + 2 * groups * stateSize;
    }

    /** Rows of {@code in_proj}: the gate z, then xBC, then one step size per head. */
    public int projectionSize() {
        return intermediateSize + convDim() + heads;
    }

    /** Whether the step size is clamped at all (softplus output is already positive: (0, inf) changes nothing). */
    public boolean clampsTimeStep() {
        return timeStepMin > 0 || timeStepMax != Double.POSITIVE_INFINITY;
    }

    /** Reads a transformers {@code config.json} of {@code model_type} {@code mamba2}. */
    public static Mamba2Config from(HfConfig config) {
        int hidden = config.integer("hidden_size");
        double expand = config.number("expand", 2);
        double[] limit = timeStepLimit(config);
        return new Mamba2Config(
                config.integer("vocab_size"),
                hidden,
                config.integer("num_hidden_layers"),
                config.integer("num_heads"),
                config.integer("head_dim"),
                config.integer("state_size"),
                config.integer("n_groups", 8),
                // transformers truncates: int(expand * hidden_size)
                (int) (expand * hidden),
                config.integer("conv_kernel", 4),
                config.integer("chunk_size", 256),
                (float) config.number("layer_norm_epsilon", 1e-5),
                config.bool("use_bias", false),
                config.bool("use_conv_bias", true),
                config.string("hidden_act", "silu"),
                limit[0],
                limit[1],
                config.bool("tie_word_embeddings", false));
    }

    /**
     * {@code time_step_limit} as two doubles; transformers writes infinity as {@code {"__float__": "Infinity"}},
     * which is read here as well as plain numbers.
     */
    public static double[] timeStepLimit(HfConfig config) {
        if (!config.has("time_step_limit")) {
            return new double[] {0.0, Double.POSITIVE_INFINITY};
        }
        List<?> values = config.list("time_step_limit");
        if (values.size() != 2) {
            throw new RecurException(config.path() + ": field 'time_step_limit' expected [low, high], got " + values);
        }
        return new double[] {limitValue(config, values.get(0)), limitValue(config, values.get(1))};
    }

    private static double limitValue(HfConfig config, Object v) {
        if (v instanceof JsonNumber n) {
            return n.toBigDecimal().doubleValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        Object text = v instanceof Map<?, ?> m ? m.get("__float__") : v;
        if (text instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "infinity", "inf", "+infinity", "+inf":
                    return Double.POSITIVE_INFINITY;
                case "-infinity", "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new RecurException(config.path() + ": field 'time_step_limit' expected numbers or infinities, got "
                + v);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new RecurException(WHERE + ": " + field + " must be > 0, got " + value);
        }
    }
}
