package dev.recur.layers.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The hand-written {@code tiny-bpe.json} of the tests. Its vocabulary gives each byte-level character the id of
 * its byte (so unmerged text encodes to its UTF-8 bytes), then ids 256.. to the merges in rank order:
 * 256 Ġt, 257 he, 258 Ġthe, 259 lo, 260 ll, 261 llo, 262 hello, 263 Ġw, 264 or, 265 Ġwor, 266 ld, 267 Ġworld,
 * 268 's, 269 aa, 270 aaaa, 271 ĠĠ, 272 Ã© (é); added tokens: 273 {@code <|endoftext|>} (special, raw),
 * 274 four spaces (normalized), 275 {@code <mask>} (special, lstrip), 276 {@code cat} (single word). NFC normalizer,
 * ByteLevel pre-tokenizer without prefix space.
 */
final class TinyTokenizer {
    static final int HELLO = 262;
    static final int SPACE_WORLD = 267;
    static final int END_OF_TEXT = 273;
    static final int FOUR_SPACES = 274;
    static final int MASK = 275;
    static final int CAT = 276;

    private TinyTokenizer() {
    }

    static String json() {
        try (InputStream in = TinyTokenizer.class.getResourceAsStream("tiny-bpe.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tokenizer load() {
        return Tokenizer.parse(json(), "tiny-bpe.json");
    }

    /** The same file with {@code old} replaced by {@code replacement} (which must occur). */
    static Tokenizer variant(String old, String replacement) {
        String json = json();
        if (!json.contains(old)) {
            throw new IllegalArgumentException("tiny-bpe.json has no " + old);
        }
        return Tokenizer.parse(json.replace(old, replacement), "tiny-bpe-variant.json");
    }
}
