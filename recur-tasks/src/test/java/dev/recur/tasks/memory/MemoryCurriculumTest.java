package dev.recur.tasks.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import org.junit.jupiter.api.Test;

class MemoryCurriculumTest {
    @Test
    void singleHeadRaisesNOnlyWhenTheThresholdIsReached() {
        MemoryCurriculum c = new MemoryCurriculum(MemoryKind.PARITY, MemoryCurriculum.Mode.SINGLE, 2, 4, 50, 0.98);
        assertThat(c.update(new double[] {0.97})).isFalse();
        assertThat(c.n()).isEqualTo(2);
        assertThat(c.update(new double[] {0.98})).isTrue();
        assertThat(c.n()).isEqualTo(3);
        assertThat(c.config().ns()).containsExactly(3);
        c.update(new double[] {1.0});
        assertThat(c.atMax()).isTrue();
        assertThat(c.update(new double[] {1.0})).isFalse();
        assertThat(c.n()).isEqualTo(4);
    }

    @Test
    void multiHeadAddsAHeadWhenEveryHeadPasses() {
        MemoryCurriculum c = new MemoryCurriculum(MemoryKind.DMS, MemoryCurriculum.Mode.MULTI, 2, 10, 50, 0.9);
        assertThat(c.config().ns()).containsExactly(2);
        c.update(new double[] {0.95});
        assertThat(c.config().ns()).containsExactly(2, 3);
        assertThat(c.update(new double[] {0.5, 0.99})).isFalse();
        assertThat(c.update(new double[] {0.91, Double.NaN})).isFalse();
        assertThat(c.update(new double[] {0.91, 0.92})).isTrue();
        assertThat(c.task(1).batch(2, 0).targets().shape()).containsExactly(2, 50, 3);
        assertThatThrownBy(() -> c.update(new double[] {1.0})).isInstanceOf(RecurException.class)
                .hasMessageContaining("expected 3 head accuracies, got 1");
    }

    @Test
    void validatesItsBounds() {
        assertThatThrownBy(() -> new MemoryCurriculum(MemoryKind.DMS, MemoryCurriculum.Mode.SINGLE, 3, 2, 50, 0.9))
                .isInstanceOf(RecurException.class).hasMessageContaining("startN");
        assertThatThrownBy(() -> new MemoryCurriculum(MemoryKind.DMS, MemoryCurriculum.Mode.SINGLE, 2, 60, 50, 0.9))
                .isInstanceOf(RecurException.class).hasMessageContaining("seq_len");
        assertThatThrownBy(() -> new MemoryCurriculum(MemoryKind.DMS, MemoryCurriculum.Mode.SINGLE, 2, 6, 50, 1.5))
                .isInstanceOf(RecurException.class).hasMessageContaining("threshold");
    }
}
