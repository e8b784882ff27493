package dev.recur.cli.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * What general-purpose compressors achieve on a text, in bits per byte, as the bar a byte-level model should
 * clear: {@code xz -9e} and {@code bzip2 -9}, run as commands on the bytes. A compressor that is not installed,
 * fails or times out gives a result that says so instead of an error.
 */
public final class CompressionBaseline {
    /** The compressors measured by {@link #measure(byte[])}, as command lines that compress stdin to stdout. */
    public static final List<List<String>> COMMANDS = List.of(List.of("xz", "-9e", "-c"), List.of("bzip2", "-9",
            "-c"));
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /**
     * One compressor's outcome.
     *
     * @param compressor the command as run, e.g. "xz -9e"
     * @param compressedBytes -1 when not measured
     * @param note empty when measured, else why not ("not available", "failed: ...")
     */
    public record Result(String compressor, long inputBytes, long compressedBytes, String note) {
        /** Compressed bits per input byte, when measured. */
        public OptionalDouble bitsPerByte() {
            return compressedBytes < 0 || inputBytes == 0 ? OptionalDouble.empty()
                    : OptionalDouble.of(8.0 * compressedBytes / inputBytes);
        }

        /** "xz -9e: 2.103 bits/byte" or "bzip2 -9: not available". */
        public String describe() {
            OptionalDouble bpb = bitsPerByte();
            return compressor + ": " + (bpb.isPresent() ? String.format(Locale.ROOT, "%.3f bits/byte",
                    bpb.getAsDouble()) : note);
        }
    }

    private CompressionBaseline() {}

    /** Runs every compressor of {@link #COMMANDS} on {@code data}. */
    public static List<Result> measure(byte[] data) {
        List<Result> out = new ArrayList<>();
        for (List<String> command : COMMANDS) {
            out.add(measure(command, data, TIMEOUT));
        }
        return out;
    }

    /** Runs one compressor command (reading stdin, writing stdout) on {@code data}. */
    static Result measure(List<String> command, byte[] data, Duration timeout) {
        String label = String.join(" ", command.subList(0, command.size() - 1));
        try {
            byte[] compressed = compress(command, data, timeout);
            return new Result(label, data.length, compressed.length, "");
        } catch (MissingCommandException e) {
            return new Result(label, data.length, -1, "not available");
        } catch (IOException e) {
            return new Result(label, data.length, -1, "failed: " + e.getMessage());
        }
    }

    /** The command's output for {@code data} on its input. */
    static byte[] compress(List<String> command, byte[] data, Duration timeout) throws IOException {
        // Output goes to a file, so that the timeout holds even if the command stops reading or writing.
        Path output = Files.createTempFile("recur-baseline-", ".out");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .redirectOutput(output.toFile()).start();
            } catch (IOException e) {
                throw new MissingCommandException(command.get(0));
            }
            Thread feeder = new Thread(() -> {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(data);
                } catch (IOException e) {
                    // The process exited early; its exit code reports the failure.
                }
            }, "compression-baseline-stdin");
            feeder.setDaemon(true);
            feeder.start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("timed out after " + timeout.toSeconds() + " s");
                }
                feeder.join();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (process.exitValue() != 0) {
                throw new IOException("exit code " + process.exitValue());
            }
            return Files.readAllBytes(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The compressor's executable could not be started. */
    private static final class MissingCommandException extends IOException {
        private static final long serialVersionUID = 1L;

        MissingCommandException(String command) {
            super(command + " is not installed");
        }
    }
}
