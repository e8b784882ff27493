package dev.recur.core.io.json;

import dev.recur.core.RecurException;

/** Malformed JSON text: the message says what was expected and what was found, at which character offset. */
public final class JsonException extends RecurException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public JsonException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** The offset, in chars of the parsed text, where the problem was found. */
    public int offset() {
        return offset;
    }
}
