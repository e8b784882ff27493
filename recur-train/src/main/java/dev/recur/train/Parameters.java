package dev.recur.train;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered, immutable set of uniquely named trainable tensors: what an optimiser updates and what gradient
 * clipping measures. The order is the order given, and fixes the order of every reduction over parameters, so
 * the same parameters always give the same bits.
 */
public final class Parameters implements Iterable<NamedParameter> {
    private final List<NamedParameter> list;
    private final Map<String, NamedParameter> byName;

    private Parameters(List<NamedParameter> params) {
        Map<String, NamedParameter> map = new LinkedHashMap<>();
        for (NamedParameter p : params) {
            if (p == null) {
                throw new RecurException("parameters: expected named parameters, got a null entry");
            }
            if (map.put(p.name(), p) != null) {
                throw new RecurException("parameters: name '" + p.name() + "' appears more than once");
            }
        }
        this.list = List.copyOf(params);
        this.byName = Collections.unmodifiableMap(map);
    }

    /** Parameters in the given order. */
    public static Parameters of(List<NamedParameter> params) {
        if (params == null) {
            throw new RecurException("parameters: expected a list, got null");
        }
        return new Parameters(params);
    }

    /** Parameters from a name-to-tensor map, in the map's iteration order (use a {@link LinkedHashMap}). */
    public static Parameters of(Map<String, Tensor> params) {
        if (params == null) {
            throw new RecurException("parameters: expected a map, got null");
        }
        List<NamedParameter> list = new ArrayList<>(params.size());
        params.forEach((name, value) -> list.add(new NamedParameter(name, value)));
        return new Parameters(list);
    }

    public List<NamedParameter> list() {
        return list;
    }

    public int size() {
        return list.size();
    }

    /** The parameter with this name, or null. */
    public NamedParameter get(String name) {
        return byName.get(name);
    }

    /** Total number of scalar values over all parameters. */
    public long numel() {
        long n = 0;
        for (NamedParameter p : list) {
            n += p.value().size();
        }
        return n;
    }

    /** Forgets every parameter's accumulated gradient (before the next backward pass). */
    public void zeroGrad() {
        for (NamedParameter p : list) {
            p.value().zeroGrad();
        }
    }

    @Override
    public Iterator<NamedParameter> iterator() {
        return list.iterator();
    }
}
