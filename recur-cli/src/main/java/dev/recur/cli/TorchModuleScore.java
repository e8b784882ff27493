package dev.recur.cli;

import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.TorchModule;
import dev.recur.layers.rnn.TorchRnnConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code recur score} on a PyTorch module folder ({@code config.json} with a {@code module} field, and
 * {@code model.safetensors} or {@code model.pt}; see docs/reference-cases.md): runs the module ({@link TorchModule})
 * over the input file's {@code input} with its optional {@code h0}, {@code c0} and {@code lengths}, and writes
 * {@code output}, {@code h_n} and {@code c_n} (a cell: {@code output}) as F32.
 */
final class TorchModuleScore {
    private TorchModuleScore() {}

    /** Whether {@code dir} holds a PyTorch module rather than an HF model: its config.json has a module field. */
    static boolean isModuleFolder(Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        return Files.isRegularFile(config) && TorchRnnConfig.readJson(config).containsKey("module");
    }

    static void run(Path model, Path input, Path output, PrintWriter out) throws IOException {
        TorchModule module = TorchModule.load(model);
        Map<String, Tensor> results;
        try (TensorFile in = TensorFiles.open(input);
             GradMode.Scope ignored = GradMode.noGrad()) {
            results = module.run(module.readInputs(in, false));
        }
        SafetensorsWriter writer = new SafetensorsWriter().metadata("module", module.module());
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : results.entrySet()) {
            writer.add(e.getKey(), e.getValue());
            written.add(e.getKey() + " " + Shapes.format(e.getValue().shape()));
        }
        writer.write(output);
        out.println(output + ": " + String.join(", ", written));
    }
}
