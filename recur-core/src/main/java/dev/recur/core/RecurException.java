package dev.recur.core;

/**
 * An error caused by what the user gave Recur: a wrong shape, a malformed file, a bad option.
 *
 * <p>The message is one line that names where the problem is (the op, layer, file or option), what was
 * expected and what was found. The command-line tool prints it without a stack trace and exits with code 2.
 */
public class RecurException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecurException(String message) {
        super(message);
    }

    public RecurException(String message, Throwable cause) {
        super(message, cause);
    }
}
