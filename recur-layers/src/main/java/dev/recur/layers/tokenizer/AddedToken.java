package dev.recur.layers.tokenizer;

/**
 * One entry of {@code added_tokens}: a string matched in the text before BPE runs and encoded as one id.
 *
 * @param id the id it encodes to
 * @param content the exact text matched
 * @param special a control token ({@code <|endoftext|>}) that {@code decode(ids, true)} leaves out
 * @param singleWord matched only when no letter, digit or underscore touches it on either side
 * @param lstrip the match also takes the whitespace before it
 * @param rstrip the match also takes the whitespace after it
 * @param normalized matched in the normalized text rather than in the raw text
 */
public record AddedToken(int id, String content, boolean special, boolean singleWord, boolean lstrip,
        boolean rstrip, boolean normalized) {
}
