package dev.recur.cli;

import dev.recur.cli.train.TaskRunEval;
import dev.recur.core.RecurException;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.LayerPlan;
import dev.recur.layers.lm.ModelFolder;
import dev.recur.train.loop.Evaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recur eval --model RUN_DIR --text FILE...}: bits per byte of a byte-level model on text files. Each file
 * is one document, read as a single stream from an empty state: every byte but its first is scored with all
 * earlier bytes as context. One line per document, then, as the last line, {@code bits_per_byte <value>} over
 * all scored bytes of all documents. {@code recur eval --model RUN_DIR} on a run of {@code recur train --task}
 * or {@code --csv} prints the task's metrics on held-out data instead ({@link TaskRunEval}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Bits per byte of a byte-level model on text files (each file is one document), or the "
                + "held-out metrics of a task or forecasting run.")
final class EvalCommand implements Callable<Integer> {
    static final int CHUNK = 1024;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A model folder with \"tokenizer\": \"bytes\" in config.json (a recur train run folder).")
    Path model;

    @Option(names = "--text", arity = "1..*", paramLabel = "FILE",
            description = "Text files to score; each is one document (not for task runs).")
    List<Path> texts;

    @Option(names = "--layer-plan", paramLabel = "PLAN",
            description = "Apply the trained layers in this order: indices (0,1,1,2) or skip=I / repeat=IxK, "
                    + "joined by ';' (see docs/depth.md).")
    String layerPlan;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (TaskRunEval.isTaskRun(model)) {
            if (texts != null) {
                throw new RecurException("eval: " + model + " is a task run; it is scored on its task's held-out"
                        + " data, expected no --text");
            }
            TaskRunEval.run(model, out);
            return 0;
        }
        if (texts == null) {
            throw new RecurException("eval: expected --text FILE... to score a language model (" + model + ")");
        }
        for (Path t : texts) {
            if (!Files.isRegularFile(t)) {
                throw new NoSuchFileException(t.toString());
            }
        }
        Path configFile = model.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new NoSuchFileException(configFile.toString());
        }
        if (!ModelFolder.isByteLevel(HfConfig.read(configFile))) {
            throw new RecurException("eval: " + configFile + " expected \"tokenizer\": \"bytes\" (a byte-level"
                    + " model); this command scores bytes only");
        }
        CausalLm lm = HfModels.load(model);
        if (layerPlan != null) {
            lm = LayerPlan.parse(layerPlan).applyTo(lm);
        }
        double bits = 0;
        long bytes = 0;
        for (int i = 0; i < texts.size(); i++) {
            Path t = texts.get(i);
            Evaluation.Result r = Evaluation.documentBitsPerByte(lm, Files.readAllBytes(t), CHUNK);
            out.printf(Locale.ROOT, "[%d/%d] %s: %,d bytes scored, %.4f bits/byte%n", i + 1, texts.size(), t,
                    r.bytes(), r.bitsPerByte());
            out.flush();
            bits += r.bitsPerByte() * r.bytes();
            bytes += r.bytes();
        }
        out.printf(Locale.ROOT, "bits_per_byte %.6f%n", bits / bytes);
        out.flush();
        return 0;
    }
}
