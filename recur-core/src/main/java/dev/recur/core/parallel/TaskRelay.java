package dev.recur.core.parallel;

import dev.recur.core.RecurException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;

/**
 * Lets the tasks of one {@link ComputePool#parallelFor} call hand a result forward: task {@code t} may wait for
 * an earlier task {@code s < t} to {@link #publish} (a carry it computed first, before finishing its own work).
 * This cannot deadlock because {@code parallelFor} claims tasks in increasing order (and runs them in order when
 * it runs them inline), so the task waited for has always been claimed by a running thread, which itself waits
 * only for earlier tasks.
 *
 * <p>Run every task body through {@link #run}: a task that throws marks the relay failed, and a task waiting on
 * it then fails too instead of spinning forever.
 */
public final class TaskRelay {
    private static final long SPIN_NANOS = 100_000;

    private final AtomicIntegerArray published;
    private volatile boolean failed;

    /** A relay for {@code tasks} tasks, none published. */
    public TaskRelay(int tasks) {
        if (tasks < 0) {
            throw new RecurException("TaskRelay: expected a task count >= 0, got " + tasks);
        }
        this.published = new AtomicIntegerArray(tasks);
    }

    /** Runs {@code body.accept(task)}, marking the relay failed if it throws. */
    public void run(int task, IntConsumer body) {
        try {
            body.accept(task);
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    /** Makes everything {@code task} wrote before this call visible to the tasks that wait for it. */
    public void publish(int task) {
        published.set(task, 1);
    }

    /** Whether {@code task} has published already (a task may then take a path that needs no waiting). */
    public boolean isPublished(int task) {
        return published.get(task) != 0;
    }

    /** Returns once {@code task} has published (spinning, then yielding); throws if a task failed first. */
    public void await(int task) {
        long start = 0;
        int spins = 0;
        while (published.get(task) == 0) {
            if (failed) {
                throw new RecurException("TaskRelay: task " + task + " failed before publishing its result");
            }
            if ((++spins & 255) == 0) {
                long now = System.nanoTime();
                if (start == 0) {
                    start = now;
                } else if (now - start > SPIN_NANOS) {
                    Thread.yield();
                    continue;
                }
            }
            Thread.onSpinWait();
        }
    }
}
