package dev.recur.layers.hybrid.bamba;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.ssm.mamba2.Mamba2Config;
import dev.recur.layers.ssm.mamba2.Mamba2State;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names and shapes of a Bamba model's state. A Mamba-2 layer {@code i} holds {@code layers.i.conv
 * [B, K-1, convDim]} and {@code layers.i.ssm [B, H, P, N]} (as {@link Mamba2State} names them); an attention
 * layer holds every earlier token's rotated keys and values, {@code layers.i.keys} and {@code layers.i.values}
 * {@code [B, kvHeads, position, headDim]}, which grow with the position.
 */
public final class BambaState {
    private BambaState() {}

    /** The prefix of layer {@code layer}'s tensors; its mixer's state names follow it. */
    public static String prefix(int layer) {
        return "layers." + layer + ".";
    }

    public static String keys(int layer) {
        return "layers." + layer + ".keys";
    }

    public static String values(int layer) {
        return "layers." + layer + ".values";
    }

    static LmState initial(BambaConfig config, int batch) {
        if (batch <= 0) {
            throw new RecurException("bamba: batch must be > 0, got " + batch);
        }
        return LmState.zeros(layout(config, batch, 0));
    }

    /** The state's tensors, each checked for presence and shape against the config, batch and position. */
    static Map<String, Tensor> check(BambaConfig config, LmState state, int batch) {
        return state.checked("bamba", layout(config, batch, state.position()));
    }

    /** Every state tensor's name and shape, in layer order, before a token at {@code position}. */
    private static Map<String, int[]> layout(BambaConfig config, int batch, long position) {
        Map<String, int[]> m = new LinkedHashMap<>();
        AttentionConfig a = config.attention();
        int[] cache = {batch, a.kvHeads(), a.cacheLength(position), a.headDim()};
        for (int i = 0; i < config.layers(); i++) {
            if (config.isAttention(i)) {
                m.put(keys(i), cache);
                m.put(values(i), cache);
            } else {
                m.put(Mamba2State.conv(i), convShape(config.mamba(), batch));
                m.put(Mamba2State.ssm(i), ssmShape(config.mamba(), batch));
            }
        }
        return m;
    }

    private static int[] convShape(Mamba2Config c, int batch) {
        return new int[] {batch, c.convKernel() - 1, c.convDim()};
    }

    private static int[] ssmShape(Mamba2Config c, int batch) {
        return new int[] {batch, c.heads(), c.headDim(), c.stateSize()};
    }
}
