package dev.recur.cli;

import dev.recur.core.RecurException;
import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.io.TensorEntry;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.NextTokenLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recur score --model DIR --input IN.safetensors --output OUT.safetensors}: runs a causal LM over
 * {@code input_ids} (I64 or I32, {@code [B, T]}) and writes {@code logits} (F32, {@code [B, T, V]}) and
 * {@code loss} (F32, {@code [1]}, the mean next-token cross-entropy; NaN when T is 1, as in PyTorch, since
 * no position has a next token). When DIR's {@code config.json} has a {@code module} field (a PyTorch module
 * folder, such as a reference case), runs that module over {@code input} instead ({@link TorchModuleScore}).
 */
@Command(name = "score",
        description = {"Run a causal LM over input_ids and write its logits and next-token loss.",
                "A PyTorch module folder (config.json with a 'module' field: RNN, LSTM, GRU or a cell) is run over"
                        + " 'input' (optional h0, c0, lengths I64 [batch]) and writes output, h_n, c_n."},
        mixinStandardHelpOptions = true)
final class ScoreCommand implements Callable<Integer> {
    static final String INPUT = "input_ids";

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "An HF model folder (config.json + model.safetensors), or a PyTorch module folder.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "IN",
            description = "A safetensors (or torch.save .pt) file holding input_ids, I64 or I32, [batch, seqLen]; for"
                    + " a module, input (and optionally h0, c0, lengths).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT",
            description = "The safetensors file to write: logits F32 [batch, seqLen, vocab] and loss F32 [1]; for a"
                    + " module, output, h_n, c_n.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (TorchModuleScore.isModuleFolder(model)) {
            TorchModuleScore.run(model, input, output, spec.commandLine().getOut());
            return 0;
        }
        IntTensor ids = readIds(input);
        CausalLm lm = HfModels.load(model);
        checkVocabulary(ids, lm.vocabSize());
        Tensor logits;
        Tensor loss;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput out = lm.forward(ids, null);
            logits = out.logits();
            loss = NextTokenLoss.of(logits, ids);
        }
        new SafetensorsWriter()
                .metadata("model_type", lm.modelType())
                .add("logits", logits)
                .add("loss", Tensor.of(new float[] {loss.item()}, 1))
                .write(output);
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "%s: logits %s, loss %.6f", output,
                Shapes.format(logits.shape()), loss.item()));
        return 0;
    }

    /** Reads {@code input_ids}, checking its presence, dtype and rank. */
    static IntTensor readIds(Path file) throws IOException {
        try (TensorFile in = TensorFiles.open(file)) {
            if (!in.contains(INPUT)) {
                throw new RecurException(file + ": no tensor '" + INPUT + "' (has " + in.names() + ")");
            }
            TensorEntry info = in.info(INPUT);
            if (info.dtype() != DType.I64 && info.dtype() != DType.I32) {
                throw new RecurException(file + ": tensor '" + INPUT + "' expected dtype I64 or I32, got "
                        + info.dtype());
            }
            long[] shape = info.shape();
            if (shape.length != 2 || shape[0] < 1 || shape[1] < 1) {
                throw new RecurException(file + ": tensor '" + INPUT + "' expected shape [batch, seqLen] with both"
                        + " >= 1, got " + Arrays.toString(shape));
            }
            return in.readInt(INPUT);
        }
    }

    private void checkVocabulary(IntTensor ids, int vocab) {
        int[] v = ids.data();
        int steps = ids.dim(1);
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= vocab) {
                throw new RecurException(input + ": " + INPUT + "[" + i / steps + ", " + i % steps + "] = " + v[i]
                        + " is outside the vocabulary [0, " + vocab + ") of " + model);
            }
        }
    }
}
