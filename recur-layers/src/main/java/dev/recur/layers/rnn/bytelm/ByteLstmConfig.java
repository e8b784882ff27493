package dev.recur.layers.rnn.bytelm;

import dev.recur.core.RecurException;
import dev.recur.layers.lm.HfConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a {@link ByteLstmLm}: byte embedding {@code [256, embedSize]}, {@code numLayers} stacked LSTM
 * layers of {@code hiddenSize}, an optional RMSNorm, and a linear head to 256 logits.
 *
 * @param embedSize width of a byte's embedding ({@code embed_size})
 * @param hiddenSize LSTM hidden size ({@code hidden_size})
 * @param numLayers stacked LSTM layers ({@code num_hidden_layers}), 1 to 8
 * @param norm whether an RMSNorm sits between the LSTM and the head ({@code use_norm})
 * @param normEps that norm's epsilon ({@code norm_eps})
 */
public record ByteLstmConfig(int embedSize, int hiddenSize, int numLayers, boolean norm, float normEps) {
    /** The {@code model_type} in config.json. */
    public static final String MODEL_TYPE = "recur_lstm";
    /** One id per byte value. */
    public static final int VOCAB_SIZE = 256;

    public ByteLstmConfig {
        if (embedSize < 1 || hiddenSize < 1) {
            throw new RecurException(MODEL_TYPE + " config: embed_size and hidden_size must be >= 1, got "
                    + embedSize + " and " + hiddenSize);
        }
        if (numLayers < 1 || numLayers > 8) {
            throw new RecurException(MODEL_TYPE + " config: num_hidden_layers must be 1 to 8, got " + numLayers);
        }
        if (!(normEps > 0f) || Float.isInfinite(normEps)) {
            throw new RecurException(MODEL_TYPE + " config: norm_eps must be a finite number > 0, got " + normEps);
        }
    }

    /** Reads the fields {@link #toConfigFields()} writes; {@code vocab_size} must be 256. */
    public static ByteLstmConfig fromHf(HfConfig c) {
        if (!MODEL_TYPE.equals(c.modelType())) {
            throw new RecurException(c.path() + ": model_type '" + c.modelType() + "' is not " + MODEL_TYPE);
        }
        int vocab = c.integer("vocab_size");
        if (vocab != VOCAB_SIZE) {
            throw new RecurException(c.path() + ": field 'vocab_size' expected " + VOCAB_SIZE
                    + " (one id per byte), got " + vocab);
        }
        return new ByteLstmConfig(c.integer("embed_size"), c.integer("hidden_size"), c.integer("num_hidden_layers"),
                c.bool("use_norm", true), (float) c.number("norm_eps", 1e-5));
    }

    /** The config.json fields, {@code model_type} first. */
    public Map<String, Object> toConfigFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", MODEL_TYPE);
        m.put("vocab_size", VOCAB_SIZE);
        m.put("tokenizer", "bytes");
        m.put("embed_size", embedSize);
        m.put("hidden_size", hiddenSize);
        m.put("num_hidden_layers", numLayers);
        m.put("use_norm", norm);
        m.put("norm_eps", (double) normEps);
        return m;
    }
}
