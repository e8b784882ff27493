package dev.recur.layers.depth;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.KvCache;
import dev.recur.layers.lm.LmState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link UniversalTransformer} carries between calls: for each depth step {@code n = 1..maxSteps}
 * ({@code depths.get(n - 1)}) the rotated keys and values {@code [B, heads, position, headDim]} that every
 * earlier token offered the attention at that step (computed from its state after step {@code n - 1}, or from
 * its frozen state once it had halted), plus the number of tokens seen. Per stream this is
 * {@code 2 * maxSteps * position * width} floats.
 *
 * <p>{@link #toBytes()} reuses {@link LmState}'s format, one tensor per cache named {@code depth.n.keys} and
 * {@code depth.n.values}.
 */
public record UniversalTransformerState(List<KvCache> depths, long position) {
    public UniversalTransformerState {
        if (depths == null || depths.isEmpty()) {
            throw new RecurException("universal transformer state: expected one key/value cache per depth step, got "
                    + (depths == null ? "null" : "none"));
        }
        depths = List.copyOf(depths);
        if (position < 0) {
            throw new RecurException("universal transformer state: position must be >= 0, got " + position);
        }
        int[] shape = depths.get(0).keys().shape();
        for (int n = 1; n <= depths.size(); n++) {
            Shapes.require("universal transformer state", "keys of depth step " + n + " (as step 1's)", shape,
                    depths.get(n - 1).keys().shape());
        }
        if (shape[2] != position) {
            throw new RecurException("universal transformer state: position " + position + " needs " + position
                    + " cached tokens, got " + shape[2]);
        }
    }

    /** The state before any token, for {@code batch} streams. */
    public static UniversalTransformerState initial(UniversalTransformerConfig config, int batch) {
        if (config == null) {
            throw new RecurException("universal transformer state: a config is required");
        }
        if (batch <= 0) {
            throw new RecurException("universal transformer state: batch must be > 0, got " + batch);
        }
        List<KvCache> depths = new ArrayList<>();
        for (int n = 0; n < config.maxSteps(); n++) {
            depths.add(new KvCache(Tensor.zeros(batch, config.heads(), 0, config.headDim()),
                    Tensor.zeros(batch, config.heads(), 0, config.headDim())));
        }
        return new UniversalTransformerState(depths, 0);
    }

    /** Streams held. */
    public int batch() {
        return depths.get(0).keys().dim(0);
    }

    /** Checks that this state fits {@code batch} streams of a transformer with {@code config}. */
    public void check(UniversalTransformerConfig config, int batch, String where) {
        if (depths.size() != config.maxSteps()) {
            throw new RecurException(where + ": expected a state with " + config.maxSteps()
                    + " depth steps (maxSteps), got " + depths.size());
        }
        // The constructor ties the cached length to the position, so it fits an int.
        int[] expected = {batch, config.heads(), (int) position, config.headDim()};
        Shapes.require(where, "cached keys at position " + position, expected, depths.get(0).keys().shape());
    }

    /** Cut from the autograd graph. */
    public UniversalTransformerState detach() {
        return new UniversalTransformerState(depths.stream().map(KvCache::detach).toList(), position);
    }

    /** {@link LmState}'s bytes of {@code depth.1.keys}, {@code depth.1.values}, ... and the position. */
    public byte[] toBytes() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int n = 1; n <= depths.size(); n++) {
            tensors.put(keysName(n), depths.get(n - 1).keys());
            tensors.put(valuesName(n), depths.get(n - 1).values());
        }
        return new LmState(tensors, position).toBytes();
    }

    /** Reads what {@link #toBytes()} wrote; malformed bytes or other tensors give a clear error. */
    public static UniversalTransformerState fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new RecurException("universal transformer state bytes: expected bytes, got null");
        }
        LmState read;
        try {
            read = LmState.fromBytes(bytes);
        } catch (RecurException e) {
            throw new RecurException("universal transformer state bytes: " + e.getMessage(), e);
        }
        Map<String, Tensor> tensors = read.tensors();
        int steps = tensors.size() / 2;
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= Math.max(steps, 1); n++) {
            expected.add(keysName(n));
            expected.add(valuesName(n));
        }
        if (!new ArrayList<>(tensors.keySet()).equals(expected)) {
            throw new RecurException("universal transformer state bytes: expected tensors " + expected + ", got "
                    + tensors.keySet());
        }
        List<KvCache> depths = new ArrayList<>();
        try {
            for (int n = 1; n <= steps; n++) {
                depths.add(new KvCache(tensors.get(keysName(n)), tensors.get(valuesName(n))));
            }
        } catch (RecurException e) {
            throw new RecurException("universal transformer state bytes: " + e.getMessage(), e);
        }
        return new UniversalTransformerState(depths, read.position());
    }

    private static String keysName(int n) {
        return "depth." + n + ".keys";
    }

    private static String valuesName(int n) {
        return "depth." + n + ".values";
    }
}
