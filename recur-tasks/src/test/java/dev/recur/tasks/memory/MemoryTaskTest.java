package dev.recur.tasks.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.tasks.TokenBatch;
import org.junit.jupiter.api.Test;

class MemoryTaskTest {
    /** Parity by XOR over a window, written independently of the generator's sum. */
    private static int xorWindow(int[] bits, int off, int t, int n) {
        int p = 0;
        for (int k = 0; k < n; k++) {
            p ^= bits[off + t - k];
        }
        return p;
    }

    @Test
    void parityTargetsAreTheXorOfTheLastNBits() {
        MemoryTask task = new MemoryTask(MemoryConfig.single(MemoryKind.PARITY, 3, 40), 11);
        TokenBatch batch = task.batch(5, 1);
        int[] x = batch.inputs().data();
        for (int b = 0; b < 5; b++) {
            for (int t = 0; t < 40; t++) {
                int k = b * 40 + t;
                assertThat(x[k]).isIn(0, 1);
                if (t < 2) {
                    assertThat(batch.mask().data()[k]).isZero();
                } else {
                    assertThat(batch.mask().data()[k]).isEqualTo(1f);
                    assertThat(batch.targets().data()[k]).isEqualTo(xorWindow(x, b * 40, t, 3));
                }
            }
        }
    }

    @Test
    void multiHeadDmsAnswersEveryLengthOnItsOwnHead() {
        MemoryConfig c = MemoryConfig.multi(MemoryKind.DMS, 2, 5, 30);
        TokenBatch batch = new MemoryTask(c, 4).batch(3, 0);
        assertThat(batch.targets().shape()).containsExactly(3, 30, 4);
        int[] x = batch.inputs().data();
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 30; t++) {
                for (int h = 0; h < 4; h++) {
                    int n = 2 + h;
                    int k = (b * 30 + t) * 4 + h;
                    if (t < n) {
                        assertThat(batch.mask().data()[k]).isZero();
                    } else {
                        int expected = x[b * 30 + t] == x[b * 30 + t - n] ? 1 : 0;
                        assertThat(batch.targets().data()[k]).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void deterministicAndBitsAreBalanced() {
        MemoryConfig c = MemoryConfig.single(MemoryKind.DMS, 4, 200);
        TokenBatch a = new MemoryTask(c, 9).batch(50, 0);
        assertThat(new MemoryTask(c, 9).batch(50, 0).inputs().data()).isEqualTo(a.inputs().data());
        long ones = 0;
        for (int v : a.inputs().data()) {
            ones += v;
        }
        // 10000 fair bits: mean 5000, sd 50
        assertThat(ones).isBetween(4750L, 5250L);
    }

    @Test
    void rejectsLengthsTheSequenceCannotHold() {
        assertThatThrownBy(() -> MemoryConfig.single(MemoryKind.DMS, 10, 10)).isInstanceOf(RecurException.class)
                .hasMessageContaining("dms").hasMessageContaining("seq_len");
        assertThatThrownBy(() -> MemoryConfig.single(MemoryKind.PARITY, 0, 10)).isInstanceOf(RecurException.class)
                .hasMessageContaining("N >= 1");
    }
}
