package dev.recur.layers.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a {@code pre_tokenizer}: cuts a piece of normalized text into smaller pieces (words) that BPE then
 * encodes one by one. A byte-level step also maps each piece to its {@link ByteLevel} characters.
 */
interface PreTokenizer {
    /** Appends the non-empty pieces of {@code text} to {@code out}, in order. */
    void split(String text, List<String> out);

    /** Steps applied one after the other, each to every piece the previous one produced. */
    static PreTokenizer sequence(List<PreTokenizer> steps) {
        return (text, out) -> {
            List<String> pieces = List.of(text);
            for (PreTokenizer step : steps) {
                List<String> next = new ArrayList<>();
                for (String piece : pieces) {
                    step.split(piece, next);
                }
                pieces = next;
            }
            out.addAll(pieces);
        };
    }
}
