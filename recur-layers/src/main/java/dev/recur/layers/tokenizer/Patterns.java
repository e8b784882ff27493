package dev.recur.layers.tokenizer;

import java.util.regex.Pattern;

/** Compiles the regular expressions of {@code tokenizer.json} files with Java's regex engine. */
final class Patterns {
    private Patterns() {
    }

    /**
     * Compiles {@code regex} so that it means what it means to the Oniguruma engine that wrote the file:
     * {@code \s}, {@code \w} and {@code \d} are Unicode classes (Java's are ASCII by default) and {@code (?i)}
     * folds case over all of Unicode.
     */
    static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE);
    }
}
