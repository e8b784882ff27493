package dev.recur.core.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.recur.core.RecurException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskRelayTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** A running sum handed from task to task: each task adds its own term to what the previous one published. */
    private static long[] prefixSums(ComputePool pool, int tasks) {
        long[] sums = new long[tasks];
        TaskRelay relay = new TaskRelay(tasks);
        pool.parallelFor(tasks, task -> relay.run(task, t -> {
            long own = 0;
            for (int i = 0; i < 1000; i++) { // some work before the carry is needed
                own += (long) t * i % 7;
            }
            if (t > 0) {
                relay.await(t - 1);
                own += sums[t - 1];
            }
            sums[t] = own;
            relay.publish(t);
        }));
        return sums;
    }

    @Test
    void carriesReachEveryLaterTaskOnAnyThreadCount() {
        assertTimeoutPreemptively(LIMIT, () -> {
            long[] want = null;
            for (int threads = 1; threads <= 3; threads++) {
                try (ComputePool pool = new ComputePool(threads)) {
                    for (int call = 0; call < 200; call++) {
                        long[] got = prefixSums(pool, 1 + call % 41);
                        long expected = 0;
                        for (int t = 0; t < got.length; t++) {
                            for (int i = 0; i < 1000; i++) {
                                expected += (long) t * i % 7;
                            }
                            assertThat(got[t]).as("threads %d call %d task %d", threads, call, t).isEqualTo(expected);
                        }
                        if (call == 40) {
                            if (want == null) {
                                want = got;
                            }
                            assertThat(got).isEqualTo(want);
                        }
                    }
                }
            }
        });
    }

    @Test
    void aFailedTaskFailsItsWaitersInsteadOfHangingThem() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(2)) {
                TaskRelay relay = new TaskRelay(4);
                assertThatThrownBy(() -> pool.parallelFor(4, task -> relay.run(task, t -> {
                    if (t == 1) {
                        throw new IllegalStateException("task 1 broke");
                    }
                    if (t > 0) {
                        relay.await(t - 1);
                    }
                    relay.publish(t);
                }))).isInstanceOfAny(IllegalStateException.class, RecurException.class);
            }
        });
    }

    @Test
    void rejectsANegativeTaskCount() {
        assertThatThrownBy(() -> new TaskRelay(-1)).isInstanceOf(RecurException.class).hasMessageContaining("-1");
    }
}
