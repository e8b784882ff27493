package dev.recur.core.io.pickle;

/**
 * Thrown by {@link PickleHooks} (and inside the unpickler) when a pickle does something a state dict may not; its
 * message is the reason only, and {@link RestrictedUnpickler} turns it into a one-line
 * {@link dev.recur.core.RecurException} naming the file and the byte offset.
 */
public final class PickleRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PickleRefusal(String reason) {
        super(reason, null, false, false);
    }
}
