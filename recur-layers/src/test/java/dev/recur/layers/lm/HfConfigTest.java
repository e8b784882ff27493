package dev.recur.layers.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HfConfigTest {
    private final HfConfig config = HfConfig.of("test/config.json",
            Map.of("model_type", "mamba", "hidden_size", 32, "eps", 1e-5, "tie", true, "name", "x", "half", 2.5));

    @Test
    void typedGettersReadValuesAndFallbacks() {
        assertThat(config.modelType()).isEqualTo("mamba");
        assertThat(config.integer("hidden_size")).isEqualTo(32);
        assertThat(config.integer("absent", 7)).isEqualTo(7);
        assertThat(config.number("eps")).isEqualTo(1e-5);
        assertThat(config.bool("tie", false)).isTrue();
    }

    @Test
    void readsNumbersFromARealFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("config.json");
        java.nio.file.Files.writeString(file,
                "{\"model_type\": \"rwkv\", \"hidden_size\": 64, \"eps\": 1e-5, \"ratio\": 2.0, \"odd\": 1.5}");
        HfConfig c = HfConfig.read(file);
        assertThat(c.integer("hidden_size")).isEqualTo(64);
        assertThat(c.integer("ratio")).isEqualTo(2);
        assertThat(c.number("eps")).isEqualTo(1e-5);
        assertThatThrownBy(() -> c.integer("odd")).isInstanceOf(RecurException.class)
                .hasMessageContaining("'odd'").hasMessageContaining("1.5");
    }

    @Test
    void wrongTypesAndMissingFieldsNameFileFieldAndValue() {
        assertThatThrownBy(() -> config.integer("half")).isInstanceOf(RecurException.class)
                .hasMessageContaining("test/config.json").hasMessageContaining("'half'")
                .hasMessageContaining("integer").hasMessageContaining("2.5");
        assertThatThrownBy(() -> config.integer("num_layers")).isInstanceOf(RecurException.class)
                .hasMessageContaining("missing field 'num_layers'");
        assertThatThrownBy(() -> config.bool("name", false)).isInstanceOf(RecurException.class)
                .hasMessageContaining("true or false");
    }
}
