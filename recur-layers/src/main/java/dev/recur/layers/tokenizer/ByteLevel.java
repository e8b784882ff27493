package dev.recur.layers.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible map between the 256 byte values and 256 printable Unicode characters, so that BPE runs on
 * text that has no whitespace or control characters: the printable bytes {@code '!'..'~'}, {@code '¡'..'¬'} and
 * {@code '®'..'ÿ'} stand for themselves; every other byte b, taken in increasing order, maps to U+0100 + n where n
 * counts the bytes mapped that way before it (so the space 0x20 becomes {@code 'Ġ'} U+0120).
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    // Every mapped character is below U+0144, so a small table inverts the map.
    private static final int[] CHAR_TO_BYTE = new int[0x200];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + shifted++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** The character that stands for the byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte (0..255) that {@code c} stands for, or -1 when {@code c} is not in the map's image. */
    public static int byteOf(int c) {
        return c >= 0 && c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The text's UTF-8 bytes, one mapped character per byte. {@code text} must hold no unpaired surrogate. */
    public static String encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            out[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        }
        return new String(out);
    }
}
