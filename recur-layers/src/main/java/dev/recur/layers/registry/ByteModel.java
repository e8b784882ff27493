package dev.recur.layers.registry;

import dev.recur.layers.lm.ModelFolder;
import dev.recur.layers.rnn.bytelm.ByteLstmConfig;
import dev.recur.layers.rnn.bytelm.ByteLstmLm;
import dev.recur.layers.ssm.mamba.MambaInit;
import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.ssm.mamba.MambaConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A byte-level model to train from scratch: its {@code config.json} fields and how to draw its initial weights.
 * {@link #create} writes both into a folder and loads it back with {@link HfModels#load}, so the model trained
 * is exactly what a later load of that folder gives.
 */
public final class ByteModel {
    private final String description;
    private final Map<String, Object> config;
    private final Function<Rng, Map<String, Tensor>> init;

    private ByteModel(String description, Map<String, Object> config, Function<Rng, Map<String, Tensor>> init) {
        this.description = description;
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        this.init = init;
    }

    /** An LSTM LM ({@code recur_lstm}) with an RMSNorm before the head. */
    public static ByteModel lstm(int embedSize, int hiddenSize, int numLayers) {
        ByteLstmConfig c = new ByteLstmConfig(embedSize, hiddenSize, numLayers, true, 1e-5f);
        return new ByteModel("lstm*" + numLayers + ", embed " + embedSize + ", hidden " + hiddenSize,
                c.toConfigFields(), rng -> ByteLstmLm.create(c, rng).parameters());
    }

    /** A Mamba LM (transformers' {@code mamba}) over bytes, expand 2, tied head, initialised by {@link MambaInit}. */
    public static ByteModel mamba(int hiddenSize, int numLayers, int stateSize) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", "mamba");
        m.put("vocab_size", ByteLstmConfig.VOCAB_SIZE);
        m.put(ModelFolder.TOKENIZER_FIELD, ModelFolder.BYTES);
        m.put("hidden_size", hiddenSize);
        m.put("intermediate_size", 2 * hiddenSize);
        m.put("state_size", stateSize);
        m.put("num_hidden_layers", numLayers);
        m.put("conv_kernel", 4);
        m.put("time_step_rank", (hiddenSize + 15) / 16);
        m.put("layer_norm_epsilon", 1e-5);
        m.put("use_bias", false);
        m.put("use_conv_bias", true);
        m.put("tie_word_embeddings", true);
        m.put("hidden_act", "silu");
        MambaConfig c = MambaConfig.fromHf(HfConfig.of("mamba byte model", m));
        return new ByteModel("mamba*" + numLayers + ", hidden " + hiddenSize + ", state " + stateSize, m,
                rng -> MambaInit.weights(c, rng));
    }

    /** A model by name: {@code lstm} (width = hidden size, embedding 64) or {@code mamba} (state 16). */
    public static ByteModel named(String kind, int width, int numLayers) {
        return switch (kind) {
            case "lstm" -> lstm(64, width, numLayers);
            case "mamba" -> mamba(width, numLayers, 16);
            default -> throw new RecurException("byte model: expected lstm or mamba, got '" + kind + "'");
        };
    }

    /** "lstm*1, embed 64, hidden 512". */
    public String description() {
        return description;
    }

    public Map<String, Object> config() {
        return config;
    }

    /** Initial weights drawn from {@code rng}, under the names the architecture loads. */
    public Map<String, Tensor> initialWeights(Rng rng) {
        return init.apply(rng);
    }

    /** Writes config.json and freshly drawn weights into {@code dir}, then loads the folder. */
    public CausalLm create(Path dir, Rng rng) throws IOException {
        ModelFolder.write(dir, config, initialWeights(rng));
        return HfModels.load(dir);
    }
}
