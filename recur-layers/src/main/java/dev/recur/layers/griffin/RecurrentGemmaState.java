package dev.recur.layers.griffin;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.KvCache;
import dev.recur.layers.lm.LmState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names and shapes of a RecurrentGemma model's state. A recurrent layer {@code i} holds
 * {@code layers.i.conv [B, K-1, L]} (the convolution's last inputs) and {@code layers.i.rg_lru [B, L]}; an
 * attention layer holds the sliding window's rotated keys and values, {@code layers.i.keys} and
 * {@code layers.i.values} {@code [B, kvHeads, window-1, headDim]}. Every shape is fixed, whatever the position.
 */
public final class RecurrentGemmaState {
    private RecurrentGemmaState() {}

    /** The prefix of layer {@code layer}'s tensors; its mixer's state names follow it. */
    public static String prefix(int layer) {
        return "layers." + layer + ".";
    }

    public static String conv(int layer) {
        return "layers." + layer + ".conv";
    }

    public static String rgLru(int layer) {
        return "layers." + layer + ".rg_lru";
    }

    public static String keys(int layer) {
        return "layers." + layer + ".keys";
    }

    public static String values(int layer) {
        return "layers." + layer + ".values";
    }

    static LmState initial(RecurrentGemmaConfig config, int batch) {
        if (batch <= 0) {
            throw new RecurException("recurrent_gemma: batch must be > 0, got " + batch);
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < config.layers(); i++) {
            if (config.blocks().get(i) == RecurrentGemmaConfig.BlockType.RECURRENT) {
                m.put(conv(i), Tensor.zeros(batch, config.convWidth() - 1, config.lruWidth()));
                m.put(rgLru(i), Tensor.zeros(batch, config.lruWidth()));
            } else {
                KvCache empty = KvCache.empty(RecurrentGemmaModel.attentionConfig(config), batch);
                m.put(keys(i), empty.keys());
                m.put(values(i), empty.values());
            }
        }
        return new LmState(m, 0);
    }

    /** The state's tensors, each checked for presence and shape against the config and batch. */
    static Map<String, Tensor> check(RecurrentGemmaConfig config, LmState state, int batch) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        int[] cache = {batch, config.kvHeads(), config.window() - 1, config.headDim()};
        for (int i = 0; i < config.layers(); i++) {
            if (config.blocks().get(i) == RecurrentGemmaConfig.BlockType.RECURRENT) {
                put(m, state, conv(i), new int[] {batch, config.convWidth() - 1, config.lruWidth()});
                put(m, state, rgLru(i), new int[] {batch, config.lruWidth()});
            } else {
                put(m, state, keys(i), cache);
                put(m, state, values(i), cache);
            }
        }
        return m;
    }

    private static void put(Map<String, Tensor> m, LmState state, String name, int[] shape) {
        m.put(name, state.tensor("recurrent_gemma", name, shape));
    }
}
