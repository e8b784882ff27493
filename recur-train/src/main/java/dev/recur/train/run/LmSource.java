package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.ModelFolder;
import dev.recur.layers.registry.ByteModel;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.rnn.bytelm.ByteLstmConfig;
import dev.recur.layers.stack.LayerSpec;
import dev.recur.layers.stack.StackConfig;
import dev.recur.layers.stack.StackLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a language-model run's model comes from: {@code --init DIR} (a folder {@link HfModels#load} reads,
 * fine-tuned as it is), {@code --model lstm} or {@code --model mamba} (the byte models of {@link ByteModel}, of
 * hidden size {@code --width} and {@code --layers} layers), or any other {@code --model} text, a layer spec for a
 * byte-level {@link StackLm} (vocabulary 256, d_model {@code --width}, {@code --mlp} SwiGLU units per block).
 * For a spec, {@code --layers N} repeats the whole spec N times; a spec with a repetition of its own
 * ({@code gdn*3+attn}) takes no {@code --layers} other than 1 (the count belongs in the spec).
 */
abstract sealed class LmSource {
    private LmSource() {}

    /** The source the settings name, checked (spec parsed, --init folder read) before anything is written. */
    static LmSource of(RunSettings s) throws IOException {
        Path init = s.path("init");
        if (init != null) {
            return new Init(init, InitFolder.check(init));
        }
        String model = s.model();
        if (model.equals("lstm") || model.equals("mamba")) {
            return new Byte(ByteModel.named(model, s.width(), s.layers()), initialWeights(s));
        }
        List<BlockSpec> blocks;
        try {
            blocks = LayerSpec.parse(model);
        } catch (RecurException e) {
            throw new RecurException("--model '" + model + "': expected lstm, mamba or a layer spec: " + e.getMessage(),
                    e);
        }
        if (s.layers() > 1) {
            if (model.contains("*")) {
                throw new RecurException("--layers " + s.layers() + " conflicts with the repetition in --model '"
                        + model + "'; write the count in the spec (e.g. (" + model + ")*" + s.layers() + ")");
            }
            List<BlockSpec> repeated = new ArrayList<>();
            for (int i = 0; i < s.layers(); i++) {
                repeated.addAll(blocks);
            }
            blocks = repeated;
        }
        StackConfig config = new StackConfig(blocks, ByteLstmConfig.VOCAB_SIZE, s.width(),
                ByteLstmConfig.VOCAB_SIZE, s.mlp(), false, 1e-5f);
        // Built here, in memory, so that a block whose options do not fit the width (heads that do not divide it,
        // say) fails before the run folder is made; create() then saves this model.
        return new Stack(StackLm.create(config, initialWeights(s)));
    }

    /** The generator a new model of {@code s} draws its initial weights from. */
    private static Rng initialWeights(RunSettings s) {
        return new Rng(s.seed()).derive(1);
    }

    /** The model in a few words. */
    abstract String description();

    /** The folder whose config.json and tokenizer.json say how text becomes ids (null: bytes). */
    abstract Path tokenFolder();

    /** Writes the initial model (config.json, weights, tokenizer files) into {@code runDir} and loads it. */
    abstract CausalLm create(Path runDir) throws IOException;

    /** Writes the trained weights of {@code model} into {@code runDir}. */
    void writeWeights(Path runDir, CausalLm model) throws IOException {
        ModelFolder.writeWeights(runDir, model);
    }

    /** One of the dedicated byte models. */
    static final class Byte extends LmSource {
        private final ByteModel model;
        private final Rng rng;

        Byte(ByteModel model, Rng rng) {
            this.model = model;
            this.rng = rng;
        }

        @Override
        String description() {
            return model.description();
        }

        @Override
        Path tokenFolder() {
            return null;
        }

        @Override
        CausalLm create(Path runDir) throws IOException {
            return model.create(runDir, rng);
        }
    }

    /** A byte-level layer-spec stack. */
    static final class Stack extends LmSource {
        private final StackLm initial;
        private final StackConfig config;

        Stack(StackLm initial) {
            this.initial = initial;
            this.config = initial.config();
        }

        @Override
        String description() {
            return StackConfig.MODEL_TYPE + " " + config.spec() + ", d_model " + config.dModel()
                    + (config.mlpHidden() > 0 ? ", mlp " + config.mlpHidden() : "");
        }

        @Override
        Path tokenFolder() {
            return null;
        }

        @Override
        CausalLm create(Path runDir) throws IOException {
            initial.save(runDir, Map.of(ModelFolder.TOKENIZER_FIELD, ModelFolder.BYTES));
            return HfModels.load(runDir);
        }
    }

    /** A loaded checkpoint to fine-tune, saved back in its own layout. */
    static final class Init extends LmSource {
        private final Path dir;
        private final HfConfig config;

        Init(Path dir, HfConfig config) {
            this.dir = dir;
            this.config = config;
        }

        HfConfig config() {
            return config;
        }

        @Override
        String description() {
            return config.modelType() + " from " + dir;
        }

        @Override
        Path tokenFolder() {
            return dir;
        }

        @Override
        CausalLm create(Path runDir) throws IOException {
            InitFolder.copy(dir, runDir);
            return HfModels.load(runDir);
        }

        @Override
        void writeWeights(Path runDir, CausalLm model) throws IOException {
            WeightFiles.rewrite(runDir, model.parameters());
        }
    }

    /** Whether {@code dir} holds files of a model folder (config.json). */
    static boolean isModelFolder(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json"));
    }
}
