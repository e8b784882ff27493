package dev.recur.tasks.text;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches a package tarball by running {@code npm pack <spec>} in a fresh temporary folder, the way a user would,
 * so that npm's own configuration (mirror, proxy, cache) applies. Nothing else of npm's is used: the caller
 * verifies the tarball and extracts it in Java.
 */
final class NpmPack implements TarballFetcher {
    private final String spec;
    private final Duration timeout;

    NpmPack(String spec, Duration timeout) {
        this.spec = spec;
        this.timeout = timeout;
    }

    @Override
    public String describe() {
        return "npm package " + spec;
    }

    @Override
    public byte[] fetch() throws IOException {
        Path dir = Files.createTempDirectory("recur-npm-pack-");
        try {
            Path log = dir.resolve("npm.log");
            List<String> command = List.of("npm", "pack", spec, "--ignore-scripts", "--loglevel=error");
            Process process;
            try {
                process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                        .start();
            } catch (IOException e) {
                throw new IOException("cannot run npm (" + e.getMessage() + ")");
            }
            boolean done;
            try {
                done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while npm was running");
            }
            if (!done) {
                process.destroyForcibly();
                throw new IOException("npm pack did not finish within " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("npm pack exited with code " + process.exitValue() + ": " + summary(log));
            }
            List<Path> tarballs = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".tgz")).forEach(tarballs::add);
            }
            if (tarballs.size() != 1) {
                throw new IOException("npm pack expected to leave one .tgz file, left " + tarballs.size());
            }
            return Files.readAllBytes(tarballs.get(0));
        } finally {
            deleteTree(dir);
        }
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /**
     * npm's error in a few words: its error code and the failure's reason when it prints them, else its last line
     * that is not the pointer to the debug log.
     */
    static String summary(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "no readable output";
        }
        String code = null;
        String reason = null;
        String last = null;
        for (String raw : lines) {
            String line = raw.replaceFirst("^npm (error|ERR!)\\s*", "").strip();
            if (line.isEmpty() || line.startsWith("A complete log of this run")) {
                continue;
            }
            if (code == null && line.startsWith("code ")) {
                code = line.substring(5).strip();
            }
            int r = line.indexOf("reason: ");
            if (reason == null && r >= 0) {
                reason = line.substring(r + 8).strip();
            }
            last = line;
        }
        String out = code != null && reason != null ? code + " (" + reason + ")"
                : code != null ? code : reason != null ? reason : last != null ? last : "no output";
        return out.length() > 200 ? out.substring(0, 200) + "..." : out;
    }

    /** Best effort: a temporary folder left behind is harmless, and must not hide the fetch's own error. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            return;
        }
    }
}
