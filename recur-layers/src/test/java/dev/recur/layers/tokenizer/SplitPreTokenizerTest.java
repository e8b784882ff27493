package dev.recur.layers.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.layers.tokenizer.SplitPreTokenizer.Behavior;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SplitPreTokenizerTest {
    private static List<String> split(Behavior behavior, boolean invert, String text) {
        List<String> out = new ArrayList<>();
        new SplitPreTokenizer(Pattern.compile("-"), behavior, invert).split(text, out);
        return out;
    }

    @Test
    void eachBehaviorOnMatchesOfADash() {
        String text = "a-b--c";
        assertThat(split(Behavior.Isolated, false, text)).containsExactly("a", "-", "b", "-", "-", "c");
        assertThat(split(Behavior.Removed, false, text)).containsExactly("a", "b", "c");
        assertThat(split(Behavior.MergedWithPrevious, false, text)).containsExactly("a-", "b-", "-", "c");
        assertThat(split(Behavior.MergedWithNext, false, text)).containsExactly("a", "-b", "-", "-c");
        assertThat(split(Behavior.Contiguous, false, text)).containsExactly("a", "-", "b", "--", "c");
    }

    @Test
    void invertSwapsMatchesAndGaps() {
        // Inverted, each dash is a gap of its own and the letters are the matches.
        assertThat(split(Behavior.Removed, true, "a-b--c")).containsExactly("-", "-", "-");
        assertThat(split(Behavior.MergedWithPrevious, true, "a-b--c")).containsExactly("a", "-b", "-", "-c");
        assertThat(split(Behavior.MergedWithNext, true, "a-b--c")).containsExactly("a-", "b-", "-", "c");
        assertThat(split(Behavior.Isolated, true, "-a-")).containsExactly("-", "a", "-");
    }

    @Test
    void gpt2PatternCutsWordsAndLeavesTheLastSpaceOfARunToTheNextWord() {
        List<String> out = new ArrayList<>();
        new SplitPreTokenizer(Patterns.compile(ByteLevelPreTokenizer.GPT2_PATTERN), Behavior.Isolated, false)
                .split("I'll  pay 42€, ok?\u3000東京", out);
        assertThat(out).containsExactly("I", "'ll", " ", " pay", " 42", "€,", " ok", "?", "\u3000", "東京");
    }
}
