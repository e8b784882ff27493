package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.PtFile;
import dev.recur.core.io.PtResources;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.random.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's {@code torch.save} state dicts load into {@link RnnLayer} like safetensors ones: a reference case
 * whose weights are {@code model.pt} (an {@code nn.LSTM} of two layers, outputs and gradients computed by PyTorch
 * 1.13) passes, and a bidirectional LSTM's {@code .pt} loads the same parameters as its safetensors twin.
 */
class TorchPtCaseTest {
    @TempDir
    Path dir;

    @Test
    void theModelPtCaseFailsWithAnOutputAltered() throws Exception {
        Path caseDir = PtResources.lstmCase(dir.resolve("altered"));
        TorchCaseGoldenTest.rewrite(caseDir.resolve("io.safetensors"), "h_n", t -> t.data()[1] += 0.05f);
        assertThat(TorchCases.failures(TorchRnnCase.load(caseDir).run())).anyMatch(f -> f.startsWith("h_n "));
    }

    @Test
    void aCaseWithModelPtMatchesPyTorch() throws Exception {
        Path caseDir = PtResources.lstmCase(dir.resolve("case"));
        assertThat(caseDir.resolve("model.pt")).exists();
        assertThat(caseDir.resolve("model.safetensors")).doesNotExist();
        List<TorchRnnCase.Pair> pairs = TorchRnnCase.load(caseDir).run();
        // output, h_n, c_n, then gradients of input, h0, c0 and 8 parameters.
        assertThat(pairs).hasSize(14);
        for (TorchRnnCase.Pair p : pairs) {
            double tolerance = p.gradient() ? 1e-3 : 1e-4;
            assertThat(RnnGoldenTest.relativeError(p.actual(), p.expected())).as(p.name()).isLessThan(tolerance);
        }
    }

    @Test
    void aPtStateDictLoadsTheSameParametersAsItsSafetensorsTwin() throws Exception {
        RnnConfig config = config("LSTM");
        RnnLayer fromPt = new RnnLayer(config, new Rng(1));
        RnnLayer fromSafetensors = new RnnLayer(config, new Rng(2));
        try (PtFile pt = PtFile.open(PtResources.copy("lstm.pt", dir));
             SafetensorsFile twin = SafetensorsFile.open(PtResources.copy("lstm.safetensors", dir))) {
            fromPt.loadStateDict(pt);
            fromSafetensors.loadStateDict(twin);
        }
        assertThat(fromPt.parameters().keySet()).hasSize(16);
        fromPt.parameters().forEach((name, value) -> assertThat(value.data()).as(name)
                .containsExactly(fromSafetensors.parameters().get(name).data()));
    }

    @Test
    void aMismatchNamesThePtFile() throws Exception {
        RnnConfig config = config("GRU");
        Path file = PtResources.copy("lstm.pt", dir);
        try (PtFile pt = PtFile.open(file)) {
            assertThatThrownBy(() -> new RnnLayer(config, new Rng(1)).loadStateDict(pt))
                    .isInstanceOf(RecurException.class).hasMessageStartingWith(file + ": tensor 'weight_ih_l0'")
                    .hasMessageContaining("expected shape [12, 3], got [16, 3]");
        }
    }

    /** A two-layer bidirectional module of input 3 and hidden 4, read as a reference case's config.json. */
    private RnnConfig config(String module) throws Exception {
        Path json = dir.resolve(module + ".json");
        Files.writeString(json, "{\"module\": \"" + module + "\", \"input_size\": 3, \"hidden_size\": 4, "
                + "\"num_layers\": 2, \"bidirectional\": true, \"batch_first\": true}");
        return TorchRnnConfig.read(json);
    }
}
