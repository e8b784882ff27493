package dev.recur.layers.tokenizer;

import dev.recur.core.RecurException;
import java.nio.charset.StandardCharsets;

/** Byte-level text: each UTF-8 byte is one id in [0, 256); decoding replaces broken sequences with U+FFFD. */
public final class ByteCodec implements TextCodec {
    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] > 255) {
                throw new RecurException("byte codec: id " + ids[i] + " at position " + i + " is not a byte");
            }
            bytes[i] = (byte) ids[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
