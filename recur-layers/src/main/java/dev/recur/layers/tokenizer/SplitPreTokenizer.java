package dev.recur.layers.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Split} pre-tokenizer: finds the matches of a pattern and keeps, drops or glues them to their
 * neighbours according to a {@link Behavior}; {@code invert} swaps the roles of matches and the text between them.
 */
final class SplitPreTokenizer implements PreTokenizer {
    /** What becomes of a match, named as in {@code tokenizer.json}. */
    enum Behavior {
        /** Dropped. */
        Removed,
        /** A piece of its own. */
        Isolated,
        /** Glued to the end of the piece before it. */
        MergedWithPrevious,
        /** Glued to the start of the piece after it. */
        MergedWithNext,
        /** Consecutive matches become one piece. */
        Contiguous
    }

    private final Pattern pattern;
    private final Behavior behavior;
    private final boolean invert;

    SplitPreTokenizer(Pattern pattern, Behavior behavior, boolean invert) {
        this.pattern = pattern;
        this.behavior = behavior;
        this.invert = invert;
    }

    @Override
    public void split(String text, List<String> out) {
        // Spans of text, each flagged as a match or not; empty matches make no span.
        List<int[]> spans = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        int prev = 0;
        while (m.find()) {
            if (m.end() == m.start()) {
                continue;
            }
            if (m.start() > prev) {
                spans.add(new int[] {prev, m.start(), invert ? 1 : 0});
            }
            spans.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
            prev = m.end();
        }
        if (prev < text.length()) {
            spans.add(new int[] {prev, text.length(), invert ? 1 : 0});
        }
        for (int[] span : combine(spans)) {
            out.add(text.substring(span[0], span[1]));
        }
    }

    private List<int[]> combine(List<int[]> spans) {
        List<int[]> result = new ArrayList<>();
        switch (behavior) {
            case Removed -> {
                for (int[] s : spans) {
                    if (s[2] == 0) {
                        result.add(s);
                    }
                }
            }
            case Isolated -> result.addAll(spans);
            case MergedWithPrevious -> {
                boolean previousMatch = false;
                for (int[] s : spans) {
                    if (s[2] == 1 && !previousMatch && !result.isEmpty()) {
                        result.get(result.size() - 1)[1] = s[1];
                    } else {
                        result.add(s);
                    }
                    previousMatch = s[2] == 1;
                }
            }
            case MergedWithNext -> {
                boolean previousMatch = false;
                for (int i = spans.size() - 1; i >= 0; i--) {
                    int[] s = spans.get(i);
                    if (s[2] == 1 && !previousMatch && !result.isEmpty()) {
                        result.get(result.size() - 1)[0] = s[0];
                    } else {
                        result.add(s);
                    }
                    previousMatch = s[2] == 1;
                }
                java.util.Collections.reverse(result);
            }
            case Contiguous -> {
                int previousFlag = -1;
                for (int[] s : spans) {
                    if (s[2] == previousFlag) {
                        result.get(result.size() - 1)[1] = s[1];
                    } else {
                        result.add(s);
                    }
                    previousFlag = s[2];
                }
            }
            default -> throw new IllegalStateException(behavior.name());
        }
        return result;
    }
}
