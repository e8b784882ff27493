package dev.recur.layers.reservoir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved and loaded ESN has the same config, weights and readout, and predicts bit-identically; an unfitted
 * one round-trips too; damaged files are reported naming the file and the field or tensor.
 */
class EsnSaveLoadTest {
    private static final EsnConfig CONFIG = new EsnConfig(2, 30, 1, 0.15, 0.95, 0.3, 0.7, 0.1, 1234567890123L);

    @Test
    void loadedNetworkPredictsBitIdentically(@TempDir Path dir) throws IOException {
        EchoStateNetwork esn = new EchoStateNetwork(CONFIG);
        esn.fitRls(Tensor.randn(new Rng(1), 1f, 1, 80, 2), Tensor.randn(new Rng(2), 1f, 1, 80, 1), 10, 0.999, 1e-2);
        esn.save(dir);
        EchoStateNetwork back = EchoStateNetwork.load(dir);
        assertThat(back.config()).isEqualTo(CONFIG);
        assertThat(back.readout().data()).containsExactly(esn.readout().data());
        Tensor u = Tensor.randn(new Rng(3), 1f, 3, 25, 2);
        EsnOutput a = esn.forward(u, null);
        EsnOutput b = back.forward(u, null);
        assertThat(b.output().data()).containsExactly(a.output().data());
        assertThat(b.state().x().data()).containsExactly(a.state().x().data());
    }

    @Test
    void unfittedNetworkRoundTrips(@TempDir Path dir) throws IOException {
        EchoStateNetwork esn = new EchoStateNetwork(CONFIG);
        esn.save(dir);
        EchoStateNetwork back = EchoStateNetwork.load(dir);
        assertThat(back.isFitted()).isFalse();
        assertThat(back.reservoir().weight().indices()).containsExactly(esn.reservoir().weight().indices());
        Tensor u = Tensor.randn(new Rng(4), 1f, 1, 10, 2);
        assertThat(back.states(u, null).data()).containsExactly(esn.states(u, null).data());
    }

    @Test
    void damagedFilesAreReportedByFileAndField(@TempDir Path dir) throws IOException {
        EchoStateNetwork esn = new EchoStateNetwork(CONFIG);
        esn.save(dir);
        Path json = dir.resolve("esn.json");
        String text = Files.readString(json, StandardCharsets.UTF_8);
        Files.writeString(json, text.replace("\"leak_rate\":0.3", "\"leak_rate\":1.5"));
        assertThatThrownBy(() -> EchoStateNetwork.load(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("esn.json").hasMessageContaining("leakRate");
        Files.writeString(json, text.replace("\"fitted\":false", "\"fitted\":true"));
        assertThatThrownBy(() -> EchoStateNetwork.load(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("esn.safetensors").hasMessageContaining("'readout'");
        Files.writeString(json, text.replace("\"reservoir_size\":30", "\"reservoir_size\":31"));
        assertThatThrownBy(() -> EchoStateNetwork.load(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("'input_weight' expected shape [31, 3]");
        Files.writeString(json, text.replace("\"seed\"", "\"sede\""));
        assertThatThrownBy(() -> EchoStateNetwork.load(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("unexpected field 'sede'");
    }
}
