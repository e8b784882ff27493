package dev.recur.tasks.text;

import dev.recur.core.RecurException;
import dev.recur.core.io.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A text extracted from a tarball pinned by its sha256, cached as a file.
 *
 * <p>{@link #load(Path)} returns the cached text when the cache file's sha256 is the pinned text hash; otherwise
 * it fetches the tarball, checks the tarball hash (a mismatch is an error, never a silent re-download), extracts
 * the text in Java, checks the text hash and writes the cache file atomically (temporary file, fsync, rename).
 */
final class PinnedText {
    /** Largest tar entry read into memory. */
    private static final long MAX_ENTRY_BYTES = 64L << 20;

    private final String name;
    private final TarballFetcher fetcher;
    private final String tarballSha256;
    private final String textSha256;
    private final Predicate<String> entries;
    private final Function<Map<String, byte[]>, byte[]> extract;

    /**
     * @param name the corpus name, also the cache file's stem
     * @param entries which tar entries {@code extract} needs
     * @param extract builds the text from those entries (name to bytes)
     */
    PinnedText(String name, TarballFetcher fetcher, String tarballSha256, String textSha256,
               Predicate<String> entries, Function<Map<String, byte[]>, byte[]> extract) {
        this.name = name;
        this.fetcher = fetcher;
        this.tarballSha256 = tarballSha256;
        this.textSha256 = textSha256;
        this.entries = entries;
        this.extract = extract;
    }

    /** The cache file for this text under {@code cacheDir}. */
    Path cacheFile(Path cacheDir) {
        return cacheDir.resolve("corpora").resolve(name + ".txt");
    }

    /** The text, from the cache when it verifies, else fetched, verified and cached. */
    byte[] load(Path cacheDir) {
        Path cached = cacheFile(cacheDir);
        if (Files.isRegularFile(cached)) {
            try {
                byte[] text = Files.readAllBytes(cached);
                if (Sha256.hex(text).equals(textSha256)) {
                    return text;
                }
            } catch (IOException e) {
                // An unreadable cache file is replaced below, like a corrupted one.
            }
        }
        byte[] tarball;
        try {
            tarball = fetcher.fetch();
        } catch (IOException e) {
            throw new RecurException("corpus " + name + ": cannot fetch " + fetcher.describe() + ": "
                    + e.getMessage() + "; pass --text FILE to train on a local UTF-8 text instead", e);
        }
        byte[] text = extract(tarball);
        try {
            Files.createDirectories(cached.toAbsolutePath().getParent());
            AtomicFiles.write(cached, text);
        } catch (IOException e) {
            throw new RecurException("corpus " + name + ": cannot write the cache file " + cached + ": "
                    + e.getMessage() + " (set RECUR_CACHE to a writable folder)", e);
        }
        return text;
    }

    /** Verifies a fetched tarball and extracts the text from it. */
    byte[] extract(byte[] tarball) {
        String got = Sha256.hex(tarball);
        if (!got.equals(tarballSha256)) {
            throw new RecurException("corpus " + name + ": " + fetcher.describe() + " tarball sha256 expected "
                    + tarballSha256 + ", got " + got + "; refusing to use it (pass --text FILE to train on a"
                    + " local UTF-8 text instead)");
        }
        Map<String, byte[]> files;
        try {
            files = TarGz.readFiles(fetcher.describe(), new ByteArrayInputStream(tarball), entries,
                    MAX_ENTRY_BYTES);
        } catch (IOException e) {
            throw new RecurException("corpus " + name + ": cannot read " + fetcher.describe() + ": "
                    + e.getMessage(), e);
        }
        byte[] text = extract.apply(files);
        String textGot = Sha256.hex(text);
        if (!textGot.equals(textSha256)) {
            throw new RecurException("corpus " + name + ": text extracted from " + fetcher.describe()
                    + " has sha256 " + textGot + ", expected " + textSha256);
        }
        return text;
    }
}
