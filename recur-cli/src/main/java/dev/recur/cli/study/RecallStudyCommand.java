package dev.recur.cli.study;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.layers.stack.MixerKinds;
import dev.recur.tasks.recall.MqarConfig;
import dev.recur.tasks.recall.MqarTask;
import dev.recur.train.tasks.StackTagger;
import dev.recur.train.tasks.TokenTaskTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recur study recall}: for each recurrent family and each linear:attention ratio, trains a stack of the same
 * depth and width on multi-query associative recall (MQAR) with the same seed and step budget, then writes
 * {@code results.csv}, {@code results.md} and {@code recall.png} (accuracy against the share of attention blocks)
 * into the run folder. It reproduces, at CPU scale, the finding of "A Systematic Analysis of Hybrid Linear
 * Attention" that pure linear models lose recall which a few attention layers restore. The defaults ask for more
 * pairs than a small state holds and finish in about a quarter of an hour on two cores.
 */
@Command(name = "recall", mixinStandardHelpOptions = true,
        description = "Train family x linear:attention ratio stacks on MQAR; write results.csv, results.md and a plot.")
public final class RecallStudyCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/recall-<time>).")
    Path out;

    @Option(names = "--families", split = ",", paramLabel = "KIND", defaultValue = "gla,gdn,mamba2",
            description = "Recurrent block kinds to compare (default: ${DEFAULT-VALUE}).")
    List<String> families;

    @Option(names = "--ratios", split = ",", paramLabel = "A:B", defaultValue = "1:0,3:1,1:1",
            description = "Linear:attention block ratios (default: ${DEFAULT-VALUE}).")
    List<String> ratios;

    @Option(names = "--depth", defaultValue = "4", paramLabel = "N", description = "Blocks per stack (default: 4).")
    int depth;

    @Option(names = "--width", defaultValue = "32", paramLabel = "D", description = "d_model (default: 32).")
    int width;

    @Option(names = "--attn-heads", defaultValue = "2", paramLabel = "N",
            description = "Heads of each attention block (default: 2).")
    int attnHeads;

    @Option(names = "--steps", defaultValue = "1000", paramLabel = "N", description = "Steps per stack (default: 1000).")
    int steps;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "Sequences per step (default: 32).")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-3", paramLabel = "LR", description = "AdamW learning rate (default: 3e-3).")
    double lr;

    @Option(names = "--seq-len", defaultValue = "64", paramLabel = "T", description = "MQAR length (default: 64).")
    int seqLen;

    @Option(names = "--pairs", defaultValue = "8", paramLabel = "N", description = "Key-value pairs (default: 8).")
    int pairs;

    @Option(names = "--vocab", defaultValue = "128", paramLabel = "V", description = "MQAR vocabulary (default: 128).")
    int vocab;

    @Option(names = "--eval-batches", defaultValue = "8", paramLabel = "N",
            description = "Held-out batches scored at the end (default: 8).")
    int evalBatches;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of data and weights (default: 1).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        List<AttentionRatio> parsedRatios = ratios.stream().map(AttentionRatio::parse).toList();
        for (String family : families) {
            if (!MixerKinds.of(family).isRecurrent()) {
                throw new RecurException("recall study: --families lists recurrent kinds to mix with attention, got"
                        + " 'attn'");
            }
        }
        if (depth < 1 || width < 1 || steps < 1 || batch < 1 || evalBatches < 1 || attnHeads < 1 || !(lr > 0)) {
            throw new RecurException("recall study: --depth, --width, --steps, --batch, --eval-batches, --attn-heads"
                    + " and --lr must be positive, got " + depth + ", " + width + ", " + steps + ", " + batch + ", "
                    + evalBatches + ", " + attnHeads + ", " + lr);
        }
        List<String> specs = new ArrayList<>();
        for (String family : families) {
            for (AttentionRatio r : parsedRatios) {
                specs.add(r.spec(family, "attn(heads=" + attnHeads + ")", depth));
            }
        }
        MqarConfig task = new MqarConfig(vocab, seqLen, pairs, 0.01);
        Path dir = out != null ? out : Path.of("runs", "recall-" + LocalDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        String heading = String.format(Locale.ROOT, "MQAR recall study, %s UTC, %d cores, Java %s: length %d, %d pairs,"
                + " vocabulary %d; %d blocks of d_model %d (attention: %d heads), no MLP; %d steps of %d sequences, AdamW lr %s; seed %d;"
                + " accuracy on %d held-out batches.", LocalDateTime.now(ZoneOffset.UTC).format(
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), seqLen, pairs, vocab, depth, width, attnHeads, steps, batch, lr, seed,
                evalBatches);
        console.println(heading);
        List<RecallResult> results = new ArrayList<>();
        int k = 0;
        for (String family : families) {
            for (AttentionRatio ratio : parsedRatios) {
                String stackSpec = specs.get(k++);
                results.add(train(family, ratio, stackSpec, task, console));
                RecallTables.write(dir.resolve("results.csv"), RecallTables.csv(results));
                RecallTables.write(dir.resolve("results.md"), RecallTables.markdown(heading, results));
            }
        }
        RecallPlot.write(results, dir.resolve("recall.png"), String.format(Locale.ROOT,
                "MQAR, length %d, %d pairs: %d blocks of d_model %d, %d steps", seqLen, pairs, depth, width, steps));
        console.println(RecallTables.markdown("", results).strip());
        console.println("wrote " + dir.resolve("results.csv") + ", results.md and recall.png");
        console.flush();
        return 0;
    }

    private RecallResult train(String family, AttentionRatio ratio, String stackSpec, MqarConfig config,
                               PrintWriter console) {
        MqarTask task = new MqarTask(config, seed);
        StackTagger model = StackTagger.create(stackSpec, task, width, 0, new Rng(seed));
        // A target above 1 never stops a run early: every stack gets the same budget.
        var training = new TokenTaskTraining.Config(steps, batch, lr, 1.0, Math.max(1, steps / 4), evalBatches, 2.0);
        long start = System.nanoTime();
        TokenTaskTraining.Result r = TokenTaskTraining.train(model, task, training, (step, loss, accuracy) -> {
            console.printf(Locale.ROOT, "%-8s %-4s step %5d/%d  loss %.4f  accuracy %6.2f%%  %.0f s%n", family, ratio,
                    step, steps, loss, 100 * accuracy, (System.nanoTime() - start) / 1e9);
            console.flush();
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return new RecallResult(family, ratio, model.model().config().spec(), model.model().parameterCount(),
                r.accuracy(), r.loss(), r.steps(), seconds);
    }
}
