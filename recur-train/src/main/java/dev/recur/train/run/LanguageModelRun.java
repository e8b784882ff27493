package dev.recur.train.run;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.rnn.bytelm.ByteLstmConfig;
import dev.recur.tasks.text.ByteBatcher;
import dev.recur.train.loop.Evaluation;
import dev.recur.train.loop.LanguageModelWork;
import dev.recur.train.loop.LoopResult;
import dev.recur.train.loop.StepWork;
import dev.recur.train.loop.TokenStreams;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A language model ({@link LmSource}: a byte model, a layer-spec stack, or an {@code --init} folder to
 * fine-tune) trained on text or token ids ({@link LmData}) by the {@link LanguageModelWork}. The run folder is a
 * model folder from the start ({@code config.json}, the weights, the tokenizer files of an {@code --init}
 * folder), so the model trained is exactly what a later {@link HfModels#load} of the folder gives, and a resumed
 * run loads it from there before its checkpoint.
 */
public final class LanguageModelRun extends TrainingRun {
    private final LmSource source;
    private final LmData data;
    private final CausalLm model;
    private final LanguageModelWork work;

    private LanguageModelRun(RunSettings settings, Path runDir, boolean resume, LmSource source, LmData data,
                             CausalLm model) {
        super(settings, runDir, resume);
        this.source = source;
        this.data = data;
        this.model = model;
        this.work = new LanguageModelWork(model, data.streams(), settings.batch(), settings.seqLen(),
                RunSettings.EVAL_BATCH, settings.seed());
    }

    /** A new run of {@code settings}: everything is checked before its folder is made. */
    static LanguageModelRun start(RunSettings settings) throws IOException {
        settings.loopConfig();
        LmSource source = LmSource.of(settings);
        int vocab = source instanceof LmSource.Init init ? init.config().integer("vocab_size")
                : ByteLstmConfig.VOCAB_SIZE;
        LmData data = LmData.read(settings, source.tokenFolder(), vocab);
        checkShapes(settings, data.streams());
        Path runDir = TrainingRuns.openFolder(settings);
        RunSettings saved = settings.with("out", runDir);
        saved.write(runDir);
        DataFingerprint.write(runDir, data.sha256());
        CausalLm model = source.create(runDir);
        return new LanguageModelRun(saved, runDir, false, source, data, model);
    }

    /** The run saved in {@code runDir}, continued from its newest verified checkpoint. */
    static LanguageModelRun resume(RunSettings settings, Path runDir) throws IOException {
        settings.loopConfig();
        LmSource source = settings.present("init") ? new LmSource.Init(settings.path("init"),
                dev.recur.layers.lm.HfConfig.read(runDir.resolve("config.json"))) : LmSource.of(settings);
        CausalLm model = HfModels.load(runDir);
        LmData data = LmData.read(settings, source instanceof LmSource.Init ? runDir : null, model.vocabSize());
        DataFingerprint.check(runDir, data.sha256(), data.source());
        return new LanguageModelRun(settings, runDir, true, source, data, model);
    }

    private static void checkShapes(RunSettings s, TokenStreams streams) {
        ByteBatcher.ofIds(streams.training(), s.batch(), s.seqLen(), s.seed());
        ByteBatcher.evaluationOfIds(streams.validation(), RunSettings.EVAL_BATCH, s.seqLen());
    }

    public CausalLm model() {
        return model;
    }

    public LmData data() {
        return data;
    }

    @Override
    public String headline() {
        String unit = data.bytes() ? "bytes" : "tokens";
        return String.format(Locale.ROOT, "recur train: %s, %,d parameters, on %s (%,d training %s, %,d held out)",
                source.description(), parameterCount(), data.name(), data.streams().training().length, unit,
                data.streams().validation().length);
    }

    @Override
    public String title() {
        String kind = data.bytes() ? "Byte-level " : "";
        return kind + (settings().present("init") ? source.description() : settings().model()) + " on " + data.name();
    }

    @Override
    public String architecture() {
        return source.description();
    }

    @Override
    public String dataSource() {
        return data.source();
    }

    @Override
    public String dataSha256() {
        return data.sha256();
    }

    @Override
    public List<String> plottedScore() {
        return List.of();
    }

    /** Chunk length of the single-stream pass over {@link LmData#otherAuthors()}, as {@code recur eval} reads. */
    private static final int OTHER_AUTHORS_CHUNK = 1024;

    /**
     * The trained model's bits per byte on prose by other authors ({@link LmData#otherAuthors()}, read as one
     * stream as {@code recur eval} reads a document); empty when the run's data has none.
     */
    public Optional<Evaluation.Result> scoreOtherAuthors() {
        if (data.otherAuthors() == null) {
            return Optional.empty();
        }
        return Optional.of(Evaluation.documentBitsPerByte(model, data.otherAuthors(), OTHER_AUTHORS_CHUNK));
    }

    /** The held-out score's metrics key: bits per byte, or per token. */
    public String scoreKey() {
        return data.streams().scoreKey();
    }

    @Override
    public Map<String, Double> finalMetrics(LoopResult r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(data.bytes() ? "val_bits_per_byte" : "val_bits_per_token", r.score(scoreKey()));
        m.put("train_loss", r.lastLoss());
        m.put("steps", (double) r.step());
        m.put("tokens_seen", (double) r.units());
        m.put("tokens_per_s", r.unitsPerSecond());
        return m;
    }

    @Override
    public List<String> summary(LoopResult r) {
        var last = work.lastEvaluation();
        return List.of(String.format(Locale.ROOT, "validation: %.4f bits/%s (%,d held-out %s)", r.score(scoreKey()),
                data.bytes() ? "byte" : "token", last == null ? 0 : last.bytes(), data.bytes() ? "bytes" : "tokens"));
    }

    @Override
    public String wrote() {
        return "wrote " + runDir() + " (config.json, " + WEIGHTS + ", " + RunSettings.FILE + ", metrics.jsonl, "
                + "loss.png, MODEL_CARD.md, " + DataFingerprint.FILE + ", checkpoints/)";
    }

    @Override
    protected StepWork work() {
        return work;
    }

    @Override
    protected void writeModel() throws IOException {
        source.writeWeights(runDir(), model);
    }
}
