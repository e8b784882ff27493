package dev.recur.layers.stack;

import dev.recur.layers.block.BlockSpec;
import dev.recur.core.RecurException;
import dev.recur.layers.lm.HfConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a {@link StackLm}: its blocks (a {@link LayerSpec}), the residual width, the vocabulary, the
 * output head's width (the vocabulary for a language model; the class count for a token task), the SwiGLU MLP's
 * width (0: mixer-only blocks), whether the head is the embedding matrix, and the RMSNorm epsilon.
 *
 * @param blocks        the blocks, bottom first (1 to {@value LayerSpec#MAX_BLOCKS})
 * @param vocabSize     embedding rows ({@code vocab_size})
 * @param dModel        residual width ({@code hidden_size})
 * @param outputSize    head rows ({@code output_size})
 * @param mlpHidden     SwiGLU units per block, 0 for none ({@code intermediate_size})
 * @param tieEmbeddings whether the head is the embedding ({@code tie_word_embeddings}; needs output = vocab)
 * @param normEps       epsilon of every RMSNorm ({@code norm_eps})
 */
public record StackConfig(List<BlockSpec> blocks, int vocabSize, int dModel, int outputSize, int mlpHidden,
                          boolean tieEmbeddings, float normEps) {
    /** The {@code model_type} in config.json. */
    public static final String MODEL_TYPE = "recur_stack";

    public StackConfig {
        if (blocks == null || blocks.isEmpty() || blocks.size() > LayerSpec.MAX_BLOCKS) {
            throw new RecurException(MODEL_TYPE + " config: expected 1 to " + LayerSpec.MAX_BLOCKS + " blocks, got "
                    + (blocks == null ? "none" : blocks.size()));
        }
        blocks = List.copyOf(blocks);
        positive("vocab_size", vocabSize);
        positive("hidden_size", dModel);
        positive("output_size", outputSize);
        if (mlpHidden < 0) {
            throw new RecurException(MODEL_TYPE + " config: intermediate_size must be >= 0 (0: no MLP), got "
                    + mlpHidden);
        }
        if (tieEmbeddings && outputSize != vocabSize) {
            throw new RecurException(MODEL_TYPE + " config: a tied head needs output_size = vocab_size, got "
                    + outputSize + " and " + vocabSize);
        }
        if (!(normEps > 0f) || Float.isInfinite(normEps)) {
            throw new RecurException(MODEL_TYPE + " config: norm_eps must be a finite number > 0, got " + normEps);
        }
    }

    /** A language model (output = vocabulary, untied head, RMSNorm epsilon 1e-5) over the blocks of {@code spec}. */
    public static StackConfig of(String spec, int vocabSize, int dModel, int mlpHidden) {
        return new StackConfig(LayerSpec.parse(spec), vocabSize, dModel, vocabSize, mlpHidden, false, 1e-5f);
    }

    /** The same stack with a head of {@code classes} rows (untied). */
    public StackConfig withOutputSize(int classes) {
        return new StackConfig(blocks, vocabSize, dModel, classes, mlpHidden, false, normEps);
    }

    /** The canonical spec text of the blocks. */
    public String spec() {
        return LayerSpec.format(blocks);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new RecurException(MODEL_TYPE + " config: " + field + " must be >= 1, got " + value);
        }
    }

    /** Reads the fields {@link #toConfigFields()} writes. */
    public static StackConfig fromHf(HfConfig c) {
        if (!MODEL_TYPE.equals(c.modelType())) {
            throw new RecurException(c.path() + ": model_type '" + c.modelType() + "' is not " + MODEL_TYPE);
        }
        List<BlockSpec> blocks;
        try {
            Object spec = c.raw("layer_spec");
            blocks = spec instanceof List<?> ? LayerSpec.fromJson(spec) : LayerSpec.parse(c.string("layer_spec"));
        } catch (RecurException e) {
            throw new RecurException(c.path() + ": field 'layer_spec': " + e.getMessage(), e);
        }
        if (c.has("num_hidden_layers") && c.integer("num_hidden_layers") != blocks.size()) {
            throw new RecurException(c.path() + ": field 'num_hidden_layers' expected " + blocks.size()
                    + " (the blocks of layer_spec '" + LayerSpec.format(blocks) + "'), got "
                    + c.integer("num_hidden_layers"));
        }
        int vocab = c.integer("vocab_size");
        return new StackConfig(blocks, vocab, c.integer("hidden_size"), c.integer("output_size", vocab),
                c.integer("intermediate_size", 0), c.bool("tie_word_embeddings", false),
                (float) c.number("norm_eps", 1e-5));
    }

    /** The config.json fields, {@code model_type} first. */
    public Map<String, Object> toConfigFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", MODEL_TYPE);
        m.put("layer_spec", spec());
        m.put("vocab_size", vocabSize);
        m.put("hidden_size", dModel);
        m.put("output_size", outputSize);
        m.put("intermediate_size", mlpHidden);
        m.put("num_hidden_layers", blocks.size());
        m.put("tie_word_embeddings", tieEmbeddings);
        m.put("norm_eps", (double) normEps);
        return m;
    }
}
