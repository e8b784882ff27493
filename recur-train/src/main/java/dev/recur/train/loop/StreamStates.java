package dev.recur.train.loop;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-row operations on a {@link CausalLm}'s carried state, whatever its layout. A state tensor's batch axis
 * is found by comparing the model's initial states for two batch sizes: it is the one axis whose size follows
 * the batch (an LSTM keeps {@code [layers, B, H]}, a Mamba {@code [B, D, N]}).
 *
 * <p>A state that grows with the tokens seen (an attention layer's key/value cache) is not carried from one
 * batch to the next: its rows would need caches of different lengths after a partial reset, and a cache carried
 * over a whole run would make every step slower than the last. Such a model trains and is scored on independent
 * windows of {@code seq_len} bytes.
 */
final class StreamStates {
    private StreamStates() {}

    /**
     * {@code state} with the rows flagged in {@code reset} replaced by the model's initial state; null
     * {@code state} gives the initial state.
     */
    static LmState reset(CausalLm model, LmState state, boolean[] reset) {
        int batch = reset.length;
        LmState initial = model.initialState(batch);
        if (state == null || grows(initial, state)) {
            return initial;
        }
        boolean any = false;
        boolean all = true;
        for (boolean r : reset) {
            any |= r;
            all &= r;
        }
        if (!any) {
            return state;
        }
        if (all) {
            return new LmState(initial.tensors(), state.position());
        }
        LmState other = model.initialState(batch + 1);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
            String name = e.getKey();
            Tensor cur = e.getValue();
            Tensor init = initial.tensor(name);
            int axis = batchAxis(name, init.shape(), other.tensor(name).shape(), batch);
            out.put(name, copyRows(cur, init, axis, reset));
        }
        return new LmState(out, state.position());
    }

    /** Whether some tensor of {@code state} differs in shape from the initial state's (a cache that grows). */
    private static boolean grows(LmState initial, LmState state) {
        for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
            if (!Arrays.equals(e.getValue().shape(), initial.tensor(e.getKey()).shape())) {
                return true;
            }
        }
        return false;
    }

    private static int batchAxis(String name, int[] a, int[] b, int batch) {
        int axis = -1;
        for (int i = 0; i < a.length && a.length == b.length; i++) {
            if (a[i] == batch && b[i] == batch + 1) {
                if (axis >= 0) {
                    axis = -2;
                    break;
                }
                axis = i;
            } else if (a[i] != b[i]) {
                axis = -2;
                break;
            }
        }
        if (axis < 0) {
            throw new RecurException("stream reset: state tensor '" + name + "' has no single batch axis (shapes "
                    + Arrays.toString(a) + " for batch " + batch + " and " + Arrays.toString(b)
                    + " for batch " + (batch + 1) + ")");
        }
        return axis;
    }

    private static Tensor copyRows(Tensor cur, Tensor init, int axis, boolean[] reset) {
        int[] shape = cur.shape();
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int batch = shape[axis];
        float[] data = cur.data().clone();
        float[] src = init.data();
        // [outer, B, inner]: row b of every outer slice comes from the initial state
        for (int o = 0; o < outer; o++) {
            for (int b = 0; b < batch; b++) {
                if (reset[b]) {
                    int at = (o * batch + b) * inner;
                    System.arraycopy(src, at, data, at, inner);
                }
            }
        }
        return Tensor.of(data, shape);
    }
}
