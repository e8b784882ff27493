package dev.recur.layers.block;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.LmState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one block's mixer carries between calls: named tensors ({@code conv}, {@code ssm}, {@code keys}, ...)
 * and the number of tokens consumed. Immutable. Its bytes are {@link LmState}'s self-describing format, so a
 * block's state and a whole stack's state are written and read the same way.
 *
 * @param tensors  the state's tensors by name, in the mixer's order
 * @param position tokens consumed so far
 */
public record MixerState(Map<String, Tensor> tensors, long position) {
    public MixerState {
        if (tensors == null) {
            throw new RecurException("mixer state: tensors are required");
        }
        if (position < 0) {
            throw new RecurException("mixer state: position must be >= 0, got " + position);
        }
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** A state holding {@code tensors[i]} under {@code names[i]}, in that order. */
    public static MixerState of(long position, String[] names, Tensor... tensors) {
        if (names.length != tensors.length) {
            throw new RecurException("mixer state: " + names.length + " names for " + tensors.length + " tensors");
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], tensors[i]);
        }
        return new MixerState(m, position);
    }

    /**
     * The tensors of a model's state that lie under {@code prefix} ({@code layers.3.}), the prefix removed, at
     * {@code position}: one layer's mixer state inside a whole model's.
     */
    public static MixerState under(String prefix, Map<String, Tensor> all, long position) {
        Map<String, Tensor> mine = new LinkedHashMap<>();
        all.forEach((name, t) -> {
            if (name.startsWith(prefix)) {
                mine.put(name.substring(prefix.length()), t);
            }
        });
        return new MixerState(mine, position);
    }

    /** Puts this state's tensors into a model's state {@code all}, each name prefixed by {@code prefix}. */
    public void putUnder(String prefix, Map<String, Tensor> all) {
        tensors.forEach((name, t) -> all.put(prefix + name, t));
    }

    /** The tensor named {@code name}; a clear error naming {@code mixer} when absent. */
    public Tensor tensor(String mixer, String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new RecurException(mixer + " state: no tensor named '" + name + "' (has " + tensors.keySet() + ")");
        }
        return t;
    }

    /** The same values cut from the autograd graph. */
    public MixerState detach() {
        Map<String, Tensor> d = new LinkedHashMap<>();
        tensors.forEach((k, v) -> d.put(k, v.detach()));
        return new MixerState(d, position);
    }

    public byte[] toBytes() {
        return new LmState(tensors, position).toBytes();
    }

    /** Reads what {@link #toBytes()} wrote. */
    public static MixerState fromBytes(byte[] bytes) {
        LmState s = LmState.fromBytes(bytes);
        return new MixerState(s.tensors(), s.position());
    }
}
