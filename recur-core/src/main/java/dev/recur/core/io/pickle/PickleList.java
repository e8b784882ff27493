package dev.recur.core.io.pickle;

import java.util.ArrayList;
import java.util.List;

/** A Python list from a pickle: mutable while the pickle runs ({@code APPEND}, {@code APPENDS}). */
public final class PickleList {
    private final List<Object> items = new ArrayList<>();

    void add(Object item) {
        items.add(item);
    }

    public List<Object> items() {
        return java.util.Collections.unmodifiableList(items);
    }

    public int size() {
        return items.size();
    }

    @Override
    public String toString() {
        return PickleValues.describe(this);
    }
}
