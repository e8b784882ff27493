package dev.recur.cli;

import dev.recur.cli.verify.ReferenceCase;
import dev.recur.cli.verify.ReferenceCases;
import dev.recur.cli.verify.TensorCheck;
import dev.recur.core.RecurException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code recur verify CASE_DIR...}: runs each reference case and prints one row per compared tensor (name, max
 * abs diff, relative error, tolerance, verdict). Exit code 0 when every tensor of every case passes, 1 when any
 * fails, 2 when a case is malformed (missing file, unknown module, shape mismatch), reported in one line on
 * stderr; the other cases still run.
 */
@Command(name = "verify",
        description = "Run reference cases (PyTorch outputs and gradients) and compare every tensor.",
        mixinStandardHelpOptions = true)
final class VerifyCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 1;

    @Parameters(arity = "1..*", paramLabel = "CASE_DIR",
            description = "Folders in the reference case format (config.json, model.safetensors, io.safetensors, "
                    + "optional grads.safetensors).")
    List<Path> cases;

    @Option(names = "--output-tolerance", defaultValue = "1e-4",
            description = "Largest relative error max|a-b|/max|b| allowed for outputs and states (default ${DEFAULT-VALUE}).")
    double outputTolerance;

    @Option(names = "--grad-tolerance", defaultValue = "1e-3",
            description = "Largest relative error allowed for gradients (default ${DEFAULT-VALUE}).")
    double gradientTolerance;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean malformed = false;
        boolean failed = false;
        for (Path dir : cases) {
            List<TensorCheck> checks;
            ReferenceCase c;
            try {
                c = ReferenceCases.load(dir);
                checks = c.run(outputTolerance, gradientTolerance);
            } catch (RecurException | IOException | UncheckedIOException e) {
                out.flush();
                err.println("recur: verify: " + ErrorHandler.oneLine(e));
                err.flush();
                malformed = true;
                continue;
            }
            out.println(dir + ": " + c.describe());
            out.println(String.format(Locale.ROOT, "  %-28s %13s %13s %10s  %s",
                    "tensor", "max abs diff", "rel error", "tolerance", "verdict"));
            int passed = 0;
            for (TensorCheck t : checks) {
                out.println(String.format(Locale.ROOT, "  %-28s %13.3e %13.3e %10.0e  %s", t.name(), t.maxAbsDiff(),
                        t.relativeError(), t.tolerance(), t.passed() ? "PASS" : "FAIL"));
                passed += t.passed() ? 1 : 0;
            }
            boolean ok = passed == checks.size();
            failed |= !ok;
            out.println(String.format(Locale.ROOT, "  %s: %d of %d tensors pass", ok ? "PASS" : "FAIL", passed,
                    checks.size()));
            out.flush();
        }
        return malformed ? Main.EXIT_USAGE : failed ? EXIT_FAILED : 0;
    }
}
