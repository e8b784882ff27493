package dev.recur.layers.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LmStateTest {
    @Test
    void bytesRoundTripKeepsNamesShapesValuesAndPosition() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("layers.0.conv", Tensor.of(new float[] {1, -2, Float.NaN, Float.MIN_VALUE, 5, 6}, 1, 2, 3));
        m.put("layers.0.ssm", Tensor.scalar(3.5f));
        LmState s = new LmState(m, 42);
        LmState back = LmState.fromBytes(s.toBytes());
        assertThat(back.position()).isEqualTo(42);
        assertThat(back.tensors().keySet()).containsExactly("layers.0.conv", "layers.0.ssm");
        assertThat(back.tensor("layers.0.conv").shape()).containsExactly(1, 2, 3);
        assertThat(Arrays.equals(back.tensor("layers.0.conv").data(), m.get("layers.0.conv").data())).isTrue();
        assertThat(back.tensor("layers.0.ssm").item()).isEqualTo(3.5f);
    }

    @Test
    void truncatedOrForeignBytesAreClearErrors() {
        byte[] good = new LmState(Map.of("h", Tensor.zeros(4)), 1).toBytes();
        assertThatThrownBy(() -> LmState.fromBytes(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(RecurException.class).hasMessageContaining("LmState");
        assertThatThrownBy(() -> LmState.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(RecurException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> new LmState(Map.of(), 0).tensor("missing"))
                .isInstanceOf(RecurException.class).hasMessageContaining("missing");
    }
}
