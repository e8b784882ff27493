package dev.recur.layers.lm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import org.junit.jupiter.api.Test;

class LmInputsTest {
    @Test
    void acceptsANonEmptyBatchOfSequences() {
        assertThatCode(() -> LmInputs.requireIds("m", IntTensor.of(new int[] {1, 2, 3, 4}, 2, 2)))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsOtherShapesNamingTheModelAndTheShape() {
        assertThatThrownBy(() -> LmInputs.requireIds("rwkv", IntTensor.of(new int[] {1, 2}, 2)))
                .isInstanceOf(RecurException.class).hasMessageContaining("rwkv.forward").hasMessageContaining("[2]");
        assertThatThrownBy(() -> LmInputs.requireIds("mamba", IntTensor.of(new int[0], 0, 3)))
                .isInstanceOf(RecurException.class).hasMessageContaining("[0, 3]");
        assertThatThrownBy(() -> LmInputs.requireIds("bamba", IntTensor.of(new int[0], 2, 0)))
                .isInstanceOf(RecurException.class).hasMessageContaining("[2, 0]");
        assertThatThrownBy(() -> LmInputs.requireIds("jamba", null))
                .isInstanceOf(RecurException.class).hasMessageContaining("null");
    }
}
