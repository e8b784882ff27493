package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.DType;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur verify} on Recur's own PyTorch module cases (projections, ReLU, time-major, variable lengths,
 * cells): all pass with exit 0; a copy with one expected tensor altered fails with exit 1; a copy with a length
 * outside the sequence exits 2 with one line.
 */
class VerifyTorchCasesTest {
    @Test
    void everyTorchCasePasses() throws Exception {
        List<String> dirs = new ArrayList<>();
        for (Path p : TorchCaseFolders.all()) {
            dirs.add(p.toString());
        }
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(12);
        List<String> args = new ArrayList<>(List.of("verify"));
        args.addAll(dirs);
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).doesNotContain("FAIL")
                .contains("PyTorch LSTM, input 3, hidden 5, proj_size 2, 2 layers, bidirectional, batch_first false")
                .contains("PyTorch LSTMCell, input 3, hidden 5").contains("PyTorch RNNCell(relu)")
                .contains("grad weight_hr_l0_reverse").contains("grad c0").contains("grad weight_ih ");
        assertThat(r.out().lines().filter(l -> l.endsWith("PASS: 0 of 0 tensors pass"))).isEmpty();
    }

    @Test
    void alteredCopyFailsWithExitCodeOne(@TempDir Path tmp) throws Exception {
        Path dir = TorchCaseFolders.copy("lstm_lengths_bidir", tmp);
        Path io = dir.resolve("io.safetensors");
        TorchCaseFolders.rewrite(io, io, null, "c_n", t -> t.data()[2] -= 0.01f);
        CliRun r = CliRun.of("verify", dir.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).containsPattern("c_n .* FAIL").containsPattern("h_n .* PASS")
                .containsPattern("grad input .* PASS");
    }

    @Test
    void alteredCellWeightFailsWithExitCodeOne(@TempDir Path tmp) throws Exception {
        Path dir = TorchCaseFolders.copy("rnn_cell_relu", tmp);
        Path model = dir.resolve("model.safetensors");
        TorchCaseFolders.rewrite(model, model, null, "bias_ih", t -> {
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] += 0.05f;
            }
        });
        CliRun r = CliRun.of("verify", dir.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).containsPattern("output .* FAIL");
    }

    @Test
    void badLengthsExitTwoWithOneLine(@TempDir Path tmp) throws Exception {
        Path dir = TorchCaseFolders.copy("gru_lengths", tmp);
        Path io = dir.resolve("io.safetensors");
        TorchCaseFolders.replaceLengths(io, w -> w.add("lengths", Tensor.of(new float[] {2, 4, 4, 1}, 4)));
        CliRun floats = CliRun.of("verify", dir.toString());
        assertThat(floats.exitCode()).isEqualTo(2);
        assertThat(floats.err().strip().lines()).hasSize(1);
        assertThat(floats.err()).contains("'lengths'").contains("expected dtype I64 or I32, got F32")
                .doesNotContain("\tat ");
        TorchCaseFolders.replaceLengths(io, w -> w.add("lengths", IntTensor.of(new int[] {2, 5, 4, 1}, 4), DType.I64));
        CliRun tooLong = CliRun.of("verify", dir.toString());
        assertThat(tooLong.exitCode()).isEqualTo(2);
        assertThat(tooLong.err()).contains("lengths[1] = 5").contains("[1, 4]");
    }
}
