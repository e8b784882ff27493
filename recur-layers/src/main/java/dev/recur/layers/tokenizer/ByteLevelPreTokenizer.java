package dev.recur.layers.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code ByteLevel} pre-tokenizer: optionally puts a space before a piece that does not start with one
 * ({@code add_prefix_space}), optionally cuts it with GPT-2's word pattern ({@code use_regex}), and maps every
 * piece to its {@link ByteLevel} characters.
 */
final class ByteLevelPreTokenizer implements PreTokenizer {
    /**
     * GPT-2's word pattern: English contractions, an optional space then letters, digits or other symbols, and
     * whitespace runs that leave their last space to the word after them.
     */
    static final String GPT2_PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private final boolean addPrefixSpace;
    private final PreTokenizer words;

    ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) {
        this.addPrefixSpace = addPrefixSpace;
        this.words = useRegex
                ? new SplitPreTokenizer(Patterns.compile(GPT2_PATTERN), SplitPreTokenizer.Behavior.Isolated, false)
                : (text, out) -> out.add(text);
    }

    @Override
    public void split(String text, List<String> out) {
        String prefixed = addPrefixSpace && !text.startsWith(" ") ? " " + text : text;
        List<String> pieces = new ArrayList<>();
        words.split(prefixed, pieces);
        for (String piece : pieces) {
            out.add(ByteLevel.encode(piece));
        }
    }
}
