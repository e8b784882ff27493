package dev.recur.core.io.pickle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Python {@code dict} or {@code collections.OrderedDict} from a pickle: entries in insertion order, keys that
 * are strings, integers, booleans or None (what Python can hash without running code), and the state a
 * {@code BUILD} gave it (PyTorch sets a state dict's {@code _metadata} attribute that way), kept apart from the
 * entries.
 */
public final class PickleDict {
    private final Map<Object, Object> entries = new LinkedHashMap<>();
    private final boolean ordered;
    private Object state;

    public PickleDict(boolean ordered) {
        this.ordered = ordered;
    }

    void put(Object key, Object value) {
        if (!(key instanceof String || key instanceof Long || key instanceof Boolean || key == PickleValues.NONE)) {
            throw new PickleRefusal("a dict key must be a str, an int, a bool or None, got "
                    + PickleValues.describe(key));
        }
        entries.put(key, value);
    }

    /** The entries, in insertion order. */
    public Map<Object, Object> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** True for an {@code OrderedDict}. */
    public boolean ordered() {
        return ordered;
    }

    /** The state a {@code BUILD} set (null when none). */
    public Object state() {
        return state;
    }

    public void setState(Object state) {
        this.state = state;
    }

    @Override
    public String toString() {
        return PickleValues.describe(this);
    }
}
