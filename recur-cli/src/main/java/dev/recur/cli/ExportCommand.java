package dev.recur.cli;

import dev.recur.core.RecurException;
import dev.recur.onnx.OnnxSignature;
import dev.recur.onnx.export.ExportOptions;
import dev.recur.onnx.export.FolderExport;
import dev.recur.onnx.export.OnnxExport;
import dev.recur.onnx.proto.ModelProto;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recur export --model DIR --format onnx --out FILE [--opset N] [--no-state-inputs]}: writes a PyTorch
 * RNN/LSTM/GRU folder or a {@code recur_lstm} byte model as an ONNX file of the standard recurrent operators
 * (see docs/onnx.md), then prints its inputs and outputs. What ONNX cannot express, another model kind or
 * another format exits 2 with one line.
 */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = "Write a model as an ONNX file of LSTM/GRU/RNN operators, for ONNX Runtime or any ONNX backend.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A PyTorch module folder (config.json with \"module\": RNN, LSTM or GRU, and "
                    + "model.safetensors) or a recur_lstm byte model folder (what recur train --model lstm writes).")
    Path model;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "The file format: onnx.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Option(names = "--opset", defaultValue = "" + ExportOptions.DEFAULT_OPSET, paramLabel = "N",
            description = "ONNX opset, " + ExportOptions.MIN_OPSET + " to " + ExportOptions.MAX_OPSET
                    + " (default ${DEFAULT-VALUE}).")
    int opset;

    @Option(names = "--no-state-inputs",
            description = "Leave the initial states (h0, c0) out of the graph's inputs: every run starts from zeros. "
                    + "The final states stay outputs.")
    boolean noStateInputs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!"onnx".equals(format)) {
            throw new RecurException("export: --format '" + format + "' is not supported; expected onnx");
        }
        ExportOptions options = new ExportOptions(opset, !noStateInputs);
        ModelProto proto = FolderExport.export(model, options);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OnnxExport.write(proto, out);
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out + " (" + Files.size(out) + " bytes): ONNX opset " + opset + ", "
                + proto.getDocString());
        for (String line : OnnxSignature.lines(proto)) {
            o.println("  " + line);
        }
        o.flush();
        return 0;
    }
}
