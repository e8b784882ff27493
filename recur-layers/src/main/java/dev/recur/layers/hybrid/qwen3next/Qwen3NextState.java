package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.LmState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names and shapes of a Qwen3-Next model's state. A Gated DeltaNet layer {@code i} holds
 * {@code layers.i.conv [B, K-1, 2 * keyWidth + valueWidth]} (the convolution's last inputs: queries, keys, values)
 * and {@code layers.i.recurrent [B, valueHeads, keyDim, valueDim]} (the delta rule's state); an attention layer
 * holds the rotated keys and the values of every token so far, {@code layers.i.keys} and {@code layers.i.values}
 * {@code [B, kvHeads, position, headDim]} (the only tensors that grow with the position).
 */
public final class Qwen3NextState {
    private Qwen3NextState() {}

    /** The prefix of layer {@code layer}'s tensors; its mixer's state names follow it. */
    public static String prefix(int layer) {
        return "layers." + layer + ".";
    }

    public static String conv(int layer) {
        return "layers." + layer + ".conv";
    }

    public static String recurrent(int layer) {
        return "layers." + layer + ".recurrent";
    }

    public static String keys(int layer) {
        return "layers." + layer + ".keys";
    }

    public static String values(int layer) {
        return "layers." + layer + ".values";
    }

    static LmState initial(Qwen3NextConfig config, int batch) {
        if (batch < 1) {
            throw new RecurException("qwen3_next: batch must be >= 1, got " + batch);
        }
        return LmState.zeros(layout(config, batch, 0));
    }

    /** The state's tensors, each checked for presence and shape against the config, batch and position. */
    static Map<String, Tensor> check(Qwen3NextConfig config, LmState state, int batch) {
        if (state.position() > Integer.MAX_VALUE) {
            throw new RecurException("qwen3_next state: an attention cache cannot hold " + state.position()
                    + " tokens");
        }
        return state.checked("qwen3_next", layout(config, batch, (int) state.position()));
    }

    /** Every state tensor's name and shape, in layer order, before a token at {@code position}. */
    private static Map<String, int[]> layout(Qwen3NextConfig config, int batch, int position) {
        Map<String, int[]> m = new LinkedHashMap<>();
        int[] cache = {batch, config.kvHeads(), position, config.headDim()};
        for (int i = 0; i < config.numLayers(); i++) {
            if (config.isAttention(i)) {
                m.put(keys(i), cache);
                m.put(values(i), cache);
            } else {
                m.put(conv(i), convShape(config, batch));
                m.put(recurrent(i), recurrentShape(config, batch));
            }
        }
        return m;
    }

    private static int[] convShape(Qwen3NextConfig config, int batch) {
        return new int[] {batch, config.convKernel() - 1, config.convChannels()};
    }

    private static int[] recurrentShape(Qwen3NextConfig config, int batch) {
        return new int[] {batch, config.linearValueHeads(), config.linearKeyDim(), config.linearValueDim()};
    }
}
