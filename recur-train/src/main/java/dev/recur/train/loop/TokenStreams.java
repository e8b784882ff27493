package dev.recur.train.loop;

import dev.recur.core.RecurException;
import dev.recur.tasks.text.CorpusSplit;

/**
 * A language model's training and held-out token ids, read as {@code ByteBatcher} streams. Byte-level text
 * ({@code bytes}) is scored in bits per byte ({@value #BITS_PER_BYTE}), other tokens in bits per token
 * ({@value #BITS_PER_TOKEN}).
 *
 * @param training the ids trained on (not copied)
 * @param validation the held-out ids (not copied)
 * @param bytes whether the ids are the bytes of UTF-8 text
 */
public record TokenStreams(int[] training, int[] validation, boolean bytes) {
    /** The metrics key of held-out bits per byte. */
    public static final String BITS_PER_BYTE = "val_bpb";
    /** The metrics key of held-out bits per token. */
    public static final String BITS_PER_TOKEN = "val_bpt";

    public TokenStreams {
        if (training == null || validation == null) {
            throw new RecurException("token streams: expected training and held-out ids, got null");
        }
    }

    /** The bytes of a split text, as ids 0..255. */
    public static TokenStreams of(CorpusSplit split) {
        return new TokenStreams(ids(split.training()), ids(split.validation()), true);
    }

    private static int[] ids(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    /** The metrics key of this data's held-out score. */
    public String scoreKey() {
        return bytes ? BITS_PER_BYTE : BITS_PER_TOKEN;
    }

    /** The largest id, or -1 when there is none. */
    public int maxId() {
        int max = -1;
        for (int v : training) {
            max = Math.max(max, v);
        }
        for (int v : validation) {
            max = Math.max(max, v);
        }
        return max;
    }
}
