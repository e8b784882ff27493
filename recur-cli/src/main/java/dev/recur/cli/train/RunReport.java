package dev.recur.cli.train;

import dev.recur.cli.Version;
import dev.recur.cli.report.CompressionBaseline;
import dev.recur.cli.report.LossCurvePlot;
import dev.recur.cli.report.ModelCard;
import dev.recur.layers.lm.Generator;
import dev.recur.layers.lm.Sampling;
import dev.recur.train.loop.Evaluation;
import dev.recur.train.loop.LoopResult;
import dev.recur.train.run.LanguageModelRun;
import dev.recur.train.run.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code recur train} shows and writes once a run has finished: {@code loss.png} (with the run's score on
 * the right axis), the summary lines, for a language model the compressor baselines on the same held-out bytes,
 * the throughput and a sample, and {@code MODEL_CARD.md}.
 */
public final class RunReport {
    /** The sample's prompt. */
    public static final String PROMPT = "The sea was";
    /** New tokens in the sample. */
    public static final int SAMPLE_TOKENS = 200;

    private RunReport() {}

    public static void write(TrainingRun run, LoopResult result, PrintWriter console) throws IOException {
        List<String> score = run.plottedScore();
        String title = "recur train: " + run.architecture();
        if (score.isEmpty()) {
            LossCurvePlot.write(run.runDir().resolve("metrics.jsonl"), run.runDir().resolve("loss.png"), title);
        } else {
            LossCurvePlot.write(run.runDir().resolve("metrics.jsonl"), run.runDir().resolve("loss.png"), title,
                    score.get(0), score.get(1));
        }
        run.summary(result).forEach(console::println);
        List<CompressionBaseline.Result> baselines = List.of();
        if (run instanceof LanguageModelRun lm) {
            baselines = languageModel(lm, result, console);
        }
        new ModelCard(run.title(), run.architecture(), run.parameterCount(), run.dataSource(), run.dataSha256(),
                run.settings().seed(), run.settings().values(), run.finalMetrics(result), baselines, Instant.now(),
                Version.VERSION).write(run.runDir());
        console.println(run.wrote());
        console.flush();
    }

    private static List<CompressionBaseline.Result> languageModel(LanguageModelRun lm, LoopResult result,
                                                                 PrintWriter console) throws IOException {
        List<CompressionBaseline.Result> baselines = lm.data().validationText() == null ? List.of()
                : CompressionBaseline.measure(lm.data().validationText());
        for (CompressionBaseline.Result b : baselines) {
            console.println("  " + b.describe());
        }
        console.printf(Locale.ROOT, "throughput: %,.0f tokens/s (evaluations and checkpoints included)%n",
                result.unitsPerSecond());
        Optional<Evaluation.Result> other = lm.scoreOtherAuthors();
        if (other.isPresent()) {
            console.printf(Locale.ROOT, "other authors (State of the Union 1790s and 2020-21, Chesterton 1908): %.4f"
                    + " bits/byte (%,d bytes, one stream)%n", other.get().bitsPerByte(), other.get().bytes());
            for (CompressionBaseline.Result b : CompressionBaseline.measure(lm.data().otherAuthors())) {
                console.println("  " + b.describe());
            }
        }
        if (lm.data().codec() != null) {
            long seed = lm.settings().seed();
            int[] sample = Generator.generate(lm.model(), lm.data().codec().encode(PROMPT), SAMPLE_TOKENS,
                    new Sampling(0.8, 0, 1.0, seed));
            console.println("sample (temperature 0.8, seed " + seed + "):");
            console.println(PROMPT + lm.data().codec().decode(sample));
        }
        return baselines;
    }
}
