package dev.recur.cli.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (the JVM's shutdown) into a stop request for a training loop: the shutdown hook sets the flag,
 * calls {@code onRequest}, then waits (up to two minutes) until {@link #close()} says the loop has left its
 * checkpoint, so the JVM does not exit in the middle of writing it.
 */
public final class StopOnShutdown implements AutoCloseable {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    /** Registers the hook; {@code onRequest} runs on the hook's thread when a stop is requested. */
    public StopOnShutdown(Runnable onRequest) {
        this.hook = new Thread(() -> {
            requested.set(true);
            onRequest.run();
            try {
                finished.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "recur-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether a stop has been requested. */
    public boolean requested() {
        return requested.get();
    }

    /** Releases a waiting hook and removes it (unless the JVM is already shutting down). */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it only waits for the latch released above
        }
    }
}
