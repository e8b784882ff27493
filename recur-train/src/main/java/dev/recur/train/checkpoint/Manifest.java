package dev.recur.train.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code MANIFEST.sha256}: one line per file, {@code <sha256 hex>  <name>}, the format {@code sha256sum -c}
 * checks, so a checkpoint can also be verified by hand.
 */
final class Manifest {
    static final String FILE = "MANIFEST.sha256";

    private Manifest() {}

    /** The manifest text for {@code names} inside {@code dir}, hashing the files as they are on disk. */
    static String compute(Path dir, List<String> names) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append(sha256(dir.resolve(name))).append("  ").append(name).append('\n');
        }
        return out.toString();
    }

    /**
     * Checks that the manifest in {@code dir} lists every one of {@code required} and that every listed file
     * has its hash; empty when it does, else the first problem found.
     */
    static Optional<String> verify(Path dir, List<String> required) {
        Path manifest = dir.resolve(FILE);
        Map<String, String> listed = new LinkedHashMap<>();
        try {
            if (!Files.isRegularFile(manifest)) {
                return Optional.of("no " + FILE);
            }
            List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.length() < 67 || !line.substring(64, 66).equals("  ")
                        || !line.substring(0, 64).matches("[0-9a-f]{64}")) {
                    return Optional.of(FILE + " has a malformed line: '" + shorten(line) + "'");
                }
                String name = line.substring(66);
                if (name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
                    return Optional.of(FILE + " lists a path outside the checkpoint: '" + shorten(name) + "'");
                }
                listed.put(name, line.substring(0, 64));
            }
            for (String name : required) {
                if (!listed.containsKey(name)) {
                    return Optional.of(FILE + " does not list " + name);
                }
            }
            for (Map.Entry<String, String> e : listed.entrySet()) {
                Path file = dir.resolve(e.getKey());
                if (!Files.isRegularFile(file)) {
                    return Optional.of(e.getKey() + " is missing");
                }
                String got = sha256(file);
                if (!got.equals(e.getValue())) {
                    return Optional.of(e.getKey() + " has sha256 " + got + ", the manifest says " + e.getValue());
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String shorten(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
