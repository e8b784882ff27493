package dev.recur.layers.hybrid.jamba;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.LmState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names and shapes of a Jamba model's state. A Mamba layer {@code i} holds {@code layers.i.conv
 * [B, K-1, D_inner]} (the convolution's last inputs) and {@code layers.i.ssm [B, D_inner, N]}; an attention layer
 * holds the keys and values of every token so far, {@code layers.i.keys} and {@code layers.i.values}
 * {@code [B, kvHeads, position, headDim]} (the only tensors that grow with the position).
 */
public final class JambaState {
    private JambaState() {}

    /** The prefix of layer {@code layer}'s tensors; its mixer's state names follow it. */
    public static String prefix(int layer) {
        return "layers." + layer + ".";
    }

    public static String conv(int layer) {
        return "layers." + layer + ".conv";
    }

    public static String ssm(int layer) {
        return "layers." + layer + ".ssm";
    }

    public static String keys(int layer) {
        return "layers." + layer + ".keys";
    }

    public static String values(int layer) {
        return "layers." + layer + ".values";
    }

    static LmState initial(JambaConfig config, int batch) {
        if (batch < 1) {
            throw new RecurException("jamba: batch must be >= 1, got " + batch);
        }
        return LmState.zeros(layout(config, batch, 0));
    }

    /** The state's tensors, each checked for presence and shape against the config, batch and position. */
    static Map<String, Tensor> check(JambaConfig config, LmState state, int batch) {
        if (state.position() > Integer.MAX_VALUE) {
            throw new RecurException("jamba state: an attention cache cannot hold " + state.position() + " tokens");
        }
        return state.checked("jamba", layout(config, batch, (int) state.position()));
    }

    /** Every state tensor's name and shape, in layer order, before a token at {@code position}. */
    private static Map<String, int[]> layout(JambaConfig config, int batch, int position) {
        Map<String, int[]> m = new LinkedHashMap<>();
        int[] cache = {batch, config.kvHeads(), position, config.headDim()};
        for (int i = 0; i < config.numLayers(); i++) {
            if (config.isAttention(i)) {
                m.put(keys(i), cache);
                m.put(values(i), cache);
            } else {
                m.put(conv(i), new int[] {batch, config.mambaConv() - 1, config.mambaInner()});
                m.put(ssm(i), new int[] {batch, config.mambaInner(), config.mambaState()});
            }
        }
        return m;
    }
}
