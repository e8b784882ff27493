package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.core.io.AtomicFiles;
import dev.recur.tasks.Task;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.series.ForecastTask;
import dev.recur.tasks.series.TimeSeries;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The sha256 of the data a run trains on, saved as {@value #FILE} in the run folder and checked when
 * {@code recur eval} or {@code --resume} rebuilds the data: a text or CSV file edited since, or a generator that
 * no longer draws the same examples, is refused instead of scored. For a language model it is the hash of the
 * text (or token-id file); for a forecasting task, of the series values (float64, row-major); for a token task,
 * of training batch 0 (inputs, targets, mask).
 */
public final class DataFingerprint {
    /** The file in a run folder. */
    public static final String FILE = "data.sha256";

    private DataFingerprint() {}

    /** The fingerprint of {@code task}'s data ({@code batchSize}: the run's batch size, for token tasks). */
    public static String of(Task task, int batchSize) {
        if (task instanceof ForecastTask f) {
            TimeSeries s = f.windows().series();
            ByteBuffer buf = ByteBuffer.allocate(8 * s.values().length);
            for (double v : s.values()) {
                buf.putDouble(v);
            }
            return sha256(buf.array());
        }
        TokenBatch b = ((TokenTask) task).batch(batchSize, 0);
        int[] in = b.inputs().data();
        int[] t = b.targets().data();
        float[] m = b.mask().data();
        ByteBuffer buf = ByteBuffer.allocate(4 * (in.length + t.length + m.length));
        for (int v : in) {
            buf.putInt(v);
        }
        for (int v : t) {
            buf.putInt(v);
        }
        for (float v : m) {
            buf.putFloat(v);
        }
        return sha256(buf.array());
    }

    /** Writes {@code sha} into {@code runDir}. */
    public static void write(Path runDir, String sha) throws IOException {
        AtomicFiles.write(runDir.resolve(FILE), (sha + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Fails when {@code runDir} records another fingerprint than {@code sha} (a folder without one passes). */
    public static void check(Path runDir, String sha, String dataName) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        String saved = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!saved.equals(sha)) {
            throw new RecurException(file + ": the run trained on data with sha256 " + saved + ", " + dataName
                    + " now gives " + sha + " (changed since the run)");
        }
    }

    /** The fingerprint of a file's bytes (a language model's text or token ids). */
    public static String ofFile(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    /** SHA-256 as lowercase hex. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(e);
        }
    }
}
