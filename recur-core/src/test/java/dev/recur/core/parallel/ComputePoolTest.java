package dev.recur.core.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.recur.core.RecurException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ComputePoolTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void everyTaskRunsExactlyOnceAcrossManyHandOffs() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(3)) {
                for (int call = 0; call < 3000; call++) {
                    int tasks = 1 + call % 37;
                    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                    pool.parallelFor(tasks, runs::incrementAndGet);
                    for (int t = 0; t < tasks; t++) {
                        assertThat(runs.get(t)).as("call %d task %d of %d", call, t, tasks).isEqualTo(1);
                    }
                }
            }
        });
    }

    @Test
    void resultsWrittenByWorkersAreVisibleToTheCaller() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(2)) {
                for (int call = 0; call < 200; call++) {
                    int[] out = new int[1000];
                    int base = call;
                    pool.parallelFor(out.length, t -> out[t] = t + base);
                    for (int t = 0; t < out.length; t++) {
                        assertThat(out[t]).isEqualTo(t + base);
                    }
                }
            }
        });
    }

    @Test
    void parkedWorkersWakeForNewWork() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(2)) {
                for (int round = 0; round < 3; round++) {
                    // Longer than the spin window, so the worker has parked.
                    Thread.sleep(20);
                    CountDownLatch bothStarted = new CountDownLatch(2);
                    AtomicInteger sawOther = new AtomicInteger();
                    pool.parallelFor(2, t -> {
                        bothStarted.countDown();
                        try {
                            if (bothStarted.await(10, TimeUnit.SECONDS)) {
                                sawOther.incrementAndGet();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    assertThat(sawOther.get()).as("both tasks ran at the same time, on two threads").isEqualTo(2);
                }
            }
        });
    }

    @Test
    void aFailingTaskPropagatesToTheCallerAndThePoolStaysUsable() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(3)) {
                AtomicInteger ran = new AtomicInteger();
                assertThatThrownBy(() -> pool.parallelFor(64, t -> {
                    ran.incrementAndGet();
                    if (t == 5) {
                        throw new IllegalStateException("boom in task five");
                    }
                }))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("boom in task five")
                        .satisfies(e -> assertThat(e.getSuppressed()).anySatisfy(s -> assertThat(s.getMessage())
                                .contains("parallelFor: task 5 of 64 failed")));
                assertThat(ran.get()).isBetween(1, 64);
                AtomicIntegerArray runs = new AtomicIntegerArray(10);
                pool.parallelFor(10, runs::incrementAndGet);
                for (int t = 0; t < 10; t++) {
                    assertThat(runs.get(t)).isEqualTo(1);
                }
            }
        });
    }

    @Test
    void nestedCallsRunInlineWithoutDeadlock() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(3)) {
                AtomicIntegerArray runs = new AtomicIntegerArray(8 * 5);
                pool.parallelFor(8, outer -> pool.parallelFor(5, inner -> runs.incrementAndGet(outer * 5 + inner)));
                for (int i = 0; i < runs.length(); i++) {
                    assertThat(runs.get(i)).isEqualTo(1);
                }
            }
        });
    }

    @Test
    void concurrentCallersBothComplete() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(2)) {
                AtomicIntegerArray[] runs = {new AtomicIntegerArray(100), new AtomicIntegerArray(100)};
                Set<Throwable> errors = ConcurrentHashMap.newKeySet();
                Thread[] callers = new Thread[2];
                for (int c = 0; c < 2; c++) {
                    AtomicIntegerArray mine = runs[c];
                    callers[c] = new Thread(() -> {
                        try {
                            for (int call = 0; call < 500; call++) {
                                pool.parallelFor(100, mine::incrementAndGet);
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    });
                    callers[c].start();
                }
                for (Thread t : callers) {
                    t.join();
                }
                assertThat(errors).isEmpty();
                for (AtomicIntegerArray r : runs) {
                    for (int t = 0; t < 100; t++) {
                        assertThat(r.get(t)).isEqualTo(500);
                    }
                }
            }
        });
    }

    @Test
    void closedPoolRunsInlineOnTheCaller() {
        ComputePool pool = new ComputePool(2);
        pool.close();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        pool.parallelFor(16, t -> threads.add(Thread.currentThread()));
        assertThat(threads).containsExactly(Thread.currentThread());
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        try (ComputePool pool = new ComputePool(1)) {
            assertThatThrownBy(() -> pool.parallelFor(-1, t -> { }))
                    .isInstanceOf(RecurException.class).hasMessageContaining("task count >= 0, got -1");
            assertThatThrownBy(() -> pool.parallelFor(3, null))
                    .isInstanceOf(RecurException.class).hasMessageContaining("task body");
        }
        assertThatThrownBy(() -> new ComputePool(0))
                .isInstanceOf(RecurException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> ComputePool.parseThreads("four", "-Drecur.threads"))
                .isInstanceOf(RecurException.class).hasMessageContaining("-Drecur.threads").hasMessageContaining("'four'");
        assertThatThrownBy(() -> ComputePool.parseThreads("0", "RECUR_THREADS"))
                .isInstanceOf(RecurException.class).hasMessageContaining("RECUR_THREADS");
        assertThat(ComputePool.parseThreads(" 3 ", "RECUR_THREADS")).isEqualTo(3);
        assertThatThrownBy(() -> ComputePool.configure(-2))
                .isInstanceOf(RecurException.class).hasMessageContaining("--threads");
    }

    @Test
    void configureSizesTheSharedPoolAndThePropertyIsTheDefault() {
        ComputePool.configure(2);
        assertThat(ComputePool.shared().threads()).isEqualTo(2);
        ComputePool.configure(1);
        assertThat(ComputePool.shared().threads()).isEqualTo(1);
        String old = System.getProperty(ComputePool.PROPERTY);
        try {
            System.setProperty(ComputePool.PROPERTY, "5");
            assertThat(ComputePool.defaultThreads()).isEqualTo(5);
        } finally {
            if (old == null) {
                System.clearProperty(ComputePool.PROPERTY);
            } else {
                System.setProperty(ComputePool.PROPERTY, old);
            }
        }
    }

    @Test
    void pinnedPartsRunOncePerCallAlwaysOnTheSameThread() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(3)) {
                String caller = Thread.currentThread().getName();
                for (int call = 0; call < 2000; call++) {
                    int parts = 1 + call % 3;
                    AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                    String[] where = new String[parts];
                    pool.runPinned(parts, p -> {
                        runs.incrementAndGet(p);
                        where[p] = Thread.currentThread().getName();
                    });
                    for (int p = 0; p < parts; p++) {
                        assertThat(runs.get(p)).as("call %d part %d", call, p).isEqualTo(1);
                        assertThat(where[p]).as("call %d part %d", call, p)
                                .isEqualTo(p == 0 ? caller : "recur-compute-" + p);
                    }
                }
            }
        });
    }

    @Test
    void pinnedPartsRunInlineWhenNestedAndRethrowFailures() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(2)) {
                AtomicInteger inner = new AtomicInteger();
                pool.parallelFor(4, t -> pool.runPinned(2, p -> inner.incrementAndGet()));
                assertThat(inner.get()).isEqualTo(8);
                assertThatThrownBy(() -> pool.runPinned(2, p -> {
                    if (p == 1) {
                        throw new IllegalStateException("part one");
                    }
                })).isInstanceOf(IllegalStateException.class).hasMessage("part one");
                AtomicInteger after = new AtomicInteger();
                pool.runPinned(2, p -> after.incrementAndGet());
                assertThat(after.get()).isEqualTo(2);
                assertThatThrownBy(() -> pool.runPinned(3, p -> { }))
                        .isInstanceOf(RecurException.class).hasMessageContaining("runPinned").hasMessageContaining("3");
            }
        });
    }

    @Test
    void rangesCoverEveryIndexOnceStartingOnTheAlignment() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ComputePool pool = new ComputePool(3)) {
                for (int n : new int[] {0, 1, 63, 64, 65, 1000, 100_003}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
                    pool.forRanges(n, 64, (start, end) -> {
                        assertThat(start % 64).as("start of a range of %d", n).isZero();
                        for (int i = start; i < end; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertThat(hits.get(i)).as("index %d of %d", i, n).isEqualTo(1);
                    }
                }
                assertThatThrownBy(() -> pool.forRanges(5, 0, (a, b) -> { }))
                        .isInstanceOf(RecurException.class).hasMessageContaining("forRanges");
            }
        });
    }
}
