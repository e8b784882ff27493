package dev.recur.core.io.pickle;

import java.util.List;

/** A Python tuple from a pickle: immutable, items in order. */
public record PickleTuple(List<Object> items) {
    public PickleTuple {
        items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }

    public int size() {
        return items.size();
    }

    public Object get(int i) {
        return items.get(i);
    }

    @Override
    public String toString() {
        return PickleValues.describe(this);
    }
}
