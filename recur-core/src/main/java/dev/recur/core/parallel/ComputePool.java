package dev.recur.core.parallel;

import dev.recur.core.RecurException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A fixed set of compute threads with a low-latency hand-off, for loops whose tasks take microseconds (a
 * matrix product per timestep). Idle workers spin with {@link Thread#onSpinWait()} for up to
 * {@value #SPIN_MICROS} microseconds before parking, so a hand-off costs well under a microsecond while work
 * keeps arriving; an {@code ExecutorService} round trip costs tens of microseconds.
 *
 * <p>{@link #parallelFor} runs {@code body.accept(0..tasks-1)}, each task exactly once, on the workers and the
 * calling thread, and returns when all are done. Which thread runs which task varies from call to call, so a
 * deterministic caller must make each task's result independent of the thread that computes it (partition
 * the output, never reduce across tasks in completion order). A call made from inside a task, or while another
 * thread is using the pool, runs its tasks inline on the calling thread.
 *
 * <p>The process-wide pool, {@link #shared()}, is sized by {@link #configure(int)} (the CLI's
 * {@code --threads}), else the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENV}, else the number of available processors. Worker threads are daemons.
 */
public final class ComputePool implements AutoCloseable {
    /** System property that sizes the shared pool. */
    public static final String PROPERTY = "recur.threads";
    /** Environment variable that sizes the shared pool when the property is absent. */
    public static final String ENV = "RECUR_THREADS";
    /** The largest pool accepted, a guard against a typo such as {@code --threads 20000}. */
    public static final int MAX_THREADS = 1024;

    static final long SPIN_MICROS = 200;
    private static final long SPIN_NANOS = SPIN_MICROS * 1000;

    private static final Object SHARED_LOCK = new Object();
    private static volatile ComputePool shared;

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock submitLock = new ReentrantLock();
    private volatile Job current;
    private volatile boolean closed;
    private long jobSeq;

    /** Starts a pool of {@code threads} threads in all: {@code threads - 1} workers plus the calling thread. */
    public ComputePool(int threads) {
        checkThreads(threads, "ComputePool");
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, i + 1);
            workers[i].start();
        }
    }

    /** The process-wide pool, created on first use with {@link #defaultThreads()} threads. */
    public static ComputePool shared() {
        ComputePool pool = shared;
        if (pool == null) {
            synchronized (SHARED_LOCK) {
                pool = shared;
                if (pool == null) {
                    pool = new ComputePool(defaultThreads());
                    shared = pool;
                }
            }
        }
        return pool;
    }

    /**
     * Sizes the process-wide pool to {@code threads} (the caller included); a previous shared pool is closed.
     * Call it at start-up, before work is submitted.
     */
    public static void configure(int threads) {
        checkThreads(threads, "--threads");
        synchronized (SHARED_LOCK) {
            ComputePool old = shared;
            if (old != null && old.threads == threads) {
                return;
            }
            shared = new ComputePool(threads);
            if (old != null) {
                old.close();
            }
        }
    }

    /** The size the shared pool gets without {@link #configure}: property, then environment, then cores. */
    public static int defaultThreads() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return parseThreads(prop, "-D" + PROPERTY);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return parseThreads(env, ENV);
        }
        return Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
    }

    static int parseThreads(String value, String source) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new RecurException(source + ": expected a thread count from 1 to " + MAX_THREADS + ", got '"
                    + value + "'");
        }
        checkThreads(n, source);
        return n;
    }

    private static void checkThreads(int n, String source) {
        if (n < 1 || n > MAX_THREADS) {
            throw new RecurException(source + ": expected a thread count from 1 to " + MAX_THREADS + ", got " + n);
        }
    }

    /** The number of threads that run tasks, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(t)} for every {@code t} in {@code [0, tasks)}, each exactly once, and returns when
     * all have finished. If a task throws, tasks not yet started are skipped and the first failure is rethrown
     * on the calling thread (same exception, with a suppressed note naming the task and thread).
     */
    public void parallelFor(int tasks, IntConsumer body) {
        if (tasks < 0) {
            throw new RecurException("parallelFor: expected a task count >= 0, got " + tasks);
        }
        if (body == null) {
            throw new RecurException("parallelFor: expected a task body, got null");
        }
        if (tasks == 0) {
            return;
        }
        run(tasks, body, false);
    }

    /**
     * Runs {@code body.accept(p)} for every part {@code p} in {@code [0, parts)}, with part {@code p} on the same
     * thread at every call (part 0 on the caller, part {@code p} on worker {@code p}), and returns when all have
     * finished. A loop that calls this once per timestep keeps each part's data (a slice of a weight matrix) in
     * the cache of the core that uses it, which {@link #parallelFor}'s first-come claiming does not. When the
     * pool is busy, closed or called from inside a task, the parts run inline on the caller, in order. Failures
     * are rethrown as by {@link #parallelFor}.
     *
     * @throws RecurException unless {@code 0 <= parts <= threads()}
     */
    public void runPinned(int parts, IntConsumer body) {
        if (parts < 0 || parts > threads) {
            throw new RecurException("runPinned: expected 0 to " + threads + " parts (one per thread), got " + parts);
        }
        if (body == null) {
            throw new RecurException("runPinned: expected a part body, got null");
        }
        if (parts == 0) {
            return;
        }
        run(parts, body, true);
    }

    /**
     * Runs a job of {@code count >= 1} tasks on the workers and the caller, or inline on the caller, in order,
     * when there is nothing to share, the pool is closed or busy, or the call comes from inside a task.
     */
    private void run(int count, IntConsumer body, boolean pinned) {
        if (count == 1 || workers.length == 0 || closed || Thread.currentThread() instanceof Worker
                || submitLock.isHeldByCurrentThread() || !submitLock.tryLock()) {
            for (int t = 0; t < count; t++) {
                body.accept(t);
            }
            return;
        }
        try {
            Job job = new Job(++jobSeq, count, body, pinned);
            current = job;
            // A pinned job needs only the workers that own one of its parts.
            int wake = pinned ? count - 1 : workers.length;
            for (int w = 0; w < wake; w++) {
                if (workers[w].parked) {
                    LockSupport.unpark(workers[w]);
                }
            }
            if (pinned) {
                job.workPart(0);
            } else {
                job.work();
            }
            job.awaitDone();
            current = null;
            job.rethrowFailure();
        } finally {
            submitLock.unlock();
        }
    }

    /** Work on the elements {@code [start, end)} of a range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into one chunk per thread, each chunk starting on a multiple of
     * {@code align}, in parallel; a caller whose chunks must line up with SIMD widths (so that each chunk's vector
     * body and scalar tail cover what one call would) passes a multiple of every width. Callers decide first
     * whether {@code n} is worth a hand-off.
     */
    public void forRanges(int n, int align, RangeBody body) {
        if (n < 0 || align < 1 || body == null) {
            throw new RecurException("forRanges: expected n >= 0, align >= 1 and a body, got n=" + n + ", align="
                    + align);
        }
        int chunk = (n / threads + align - 1) / align * align;
        if (chunk == 0 || chunk >= n) {
            body.run(0, n);
            return;
        }
        int chunks = (n + chunk - 1) / chunk;
        parallelFor(chunks, c -> body.run(c * chunk, Math.min(n, (c + 1) * chunk)));
    }

    /** Stops the workers once they are idle; later calls run inline on the caller. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /**
     * One {@code parallelFor} call, whose tasks are claimed from a shared counter by whoever is free, or one
     * {@code runPinned} call, whose part {@code p} only thread {@code p} runs.
     */
    private static final class Job {
        private static final VarHandle NEXT;
        private static final VarHandle DONE;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                NEXT = lookup.findVarHandle(Job.class, "next", int.class);
                DONE = lookup.findVarHandle(Job.class, "done", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long seq;
        final int count;
        final IntConsumer body;
        final boolean pinned;
        @SuppressWarnings("unused") private volatile int next;
        private volatile int done;
        private volatile Throwable failure;
        private volatile String failureWhere;

        Job(long seq, int count, IntConsumer body, boolean pinned) {
            this.seq = seq;
            this.count = count;
            this.body = body;
            this.pinned = pinned;
        }

        /** Runs part {@code part} of a pinned job, if it has one. */
        void workPart(int part) {
            if (part >= count) {
                return;
            }
            try {
                if (failure == null) {
                    body.accept(part);
                }
            } catch (Throwable e) {
                recordFailure(e, part);
            } finally {
                DONE.getAndAdd(this, 1);
            }
        }

        void work() {
            int t;
            while ((t = (int) NEXT.getAndAdd(this, 1)) < count) {
                try {
                    if (failure == null) {
                        body.accept(t);
                    }
                } catch (Throwable e) {
                    recordFailure(e, t);
                } finally {
                    DONE.getAndAdd(this, 1);
                }
            }
        }

        private synchronized void recordFailure(Throwable e, int task) {
            if (failure == null) {
                failureWhere = (pinned ? "runPinned: part " : "parallelFor: task ") + task + " of " + count
                        + " failed on thread " + Thread.currentThread().getName();
                failure = e;
            }
        }

        void awaitDone() {
            long start = System.nanoTime();
            int spins = 0;
            while (done < count) {
                // A worker holding the last task may have been descheduled: stop burning its core after a while.
                if ((++spins & 255) == 0 && System.nanoTime() - start > SPIN_NANOS) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        void rethrowFailure() {
            Throwable f = failure;
            if (f == null) {
                return;
            }
            f.addSuppressed(new TaskFailure(failureWhere));
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            }
            if (f instanceof Error) {
                throw (Error) f;
            }
            throw new IllegalStateException(failureWhere + ": " + f, f);
        }
    }

    /** Where a failed task ran; attached to the rethrown exception as a suppressed exception. */
    static final class TaskFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskFailure(String message) {
            super(message);
        }
    }

    /** A daemon thread that waits for jobs (spinning, then parked) and claims their tasks. */
    private static final class Worker extends Thread {
        private final ComputePool pool;
        private final int index;
        volatile boolean parked;

        Worker(ComputePool pool, int index) {
            super("recur-compute-" + index);
            this.pool = pool;
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                Job job = awaitJob(seen);
                if (job == null) {
                    return;
                }
                seen = job.seq;
                if (job.pinned) {
                    job.workPart(index);
                } else {
                    job.work();
                }
            }
        }

        /** The next job newer than {@code seen}, or null once the pool is closed. */
        private Job awaitJob(long seen) {
            long start = System.nanoTime();
            int spins = 0;
            while (true) {
                if (pool.closed) {
                    return null;
                }
                Job job = pool.current;
                if (job != null && job.seq != seen) {
                    return job;
                }
                if ((++spins & 63) == 0 && System.nanoTime() - start > SPIN_NANOS) {
                    // Publish 'parked' before the re-check so a submitter either sees it and unparks us, or we
                    // see its job: both sides write, then read, volatile fields.
                    parked = true;
                    Job again = pool.current;
                    if (!pool.closed && (again == null || again.seq == seen)) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    start = System.nanoTime();
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
