package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/reference_cases.py}, the script that writes PyTorch reference cases: the user documentation shows
 * it whole, and, where PyTorch is importable by {@code /usr/bin/python3} (or {@code $RECUR_PYTHON}), a case it
 * writes afresh passes.
 */
class ReferenceCaseScriptTest {
    private static Path docs() {
        Path docs = Path.of("").toAbsolutePath().getParent().resolve("docs");
        Assumptions.assumeTrue(Files.isRegularFile(docs.resolve("reference_cases.py")),
                "docs/reference_cases.py is not beside this module; skipping");
        return docs;
    }

    @Test
    void theDocumentationShowsTheWholeScript() throws IOException {
        String script = Files.readString(docs().resolve("reference_cases.py"), StandardCharsets.UTF_8);
        String doc = Files.readString(docs().resolve("reference-cases.md"), StandardCharsets.UTF_8);
        assertThat(doc).contains("```python\n" + script + "```\n");
    }

    @Test
    void aFreshlyWrittenCasePasses(@TempDir Path tmp) throws Exception {
        String python = System.getenv().getOrDefault("RECUR_PYTHON", "/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(python)), python + " is not there; skipping");
        Process probe = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                python + " cannot import torch; skipping the regeneration of a reference case");
        Process run = new ProcessBuilder(python, docs().resolve("reference_cases.py").toString(), tmp.toString(),
                "lstm_proj_lengths", "gru_cell").redirectErrorStream(true).start();
        String log = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(log).isZero();
        for (String name : List.of("lstm_proj_lengths", "gru_cell")) {
            List<TorchRnnCase.Pair> pairs = TorchRnnCase.load(tmp.resolve(name)).run();
            assertThat(pairs).anyMatch(TorchRnnCase.Pair::gradient);
            assertThat(TorchCases.failures(pairs)).as(name).isEmpty();
        }
    }
}
