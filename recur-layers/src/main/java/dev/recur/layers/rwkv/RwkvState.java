package dev.recur.layers.rwkv;

import dev.recur.core.scan.wkv.Wkv;
import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.LmState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names and shapes of an RWKV-4 model's recurrent state, five tensors per block as transformers' cache holds
 * them: the last normalised input to channel mixing ({@code blocks.i.feed_forward.shift [B, H]}) and to time
 * mixing ({@code blocks.i.attention.shift [B, H]}), and the WKV numerator, denominator and maximum exponent
 * ({@code blocks.i.attention.num / den / max [B, A]}).
 */
public final class RwkvState {
    private RwkvState() {}

    public static String feedForwardShift(int block) {
        return "blocks." + block + ".feed_forward.shift";
    }

    public static String attentionShift(int block) {
        return "blocks." + block + ".attention.shift";
    }

    public static String num(int block) {
        return "blocks." + block + ".attention.num";
    }

    public static String den(int block) {
        return "blocks." + block + ".attention.den";
    }

    public static String max(int block) {
        return "blocks." + block + ".attention.max";
    }

    /** Zero shifts and sums, and the empty maximum exponent, for {@code batch} streams. */
    static LmState initial(RwkvConfig config, int batch) {
        if (batch <= 0) {
            throw new RecurException("rwkv: batch must be > 0, got " + batch);
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < config.layers(); i++) {
            m.put(feedForwardShift(i), Tensor.zeros(batch, config.hiddenSize()));
            m.put(attentionShift(i), Tensor.zeros(batch, config.hiddenSize()));
            m.put(num(i), Tensor.full(Wkv.EMPTY_SUM, batch, config.attentionSize()));
            m.put(den(i), Tensor.full(Wkv.EMPTY_SUM, batch, config.attentionSize()));
            m.put(max(i), Tensor.full(Wkv.EMPTY_MAX, batch, config.attentionSize()));
        }
        return new LmState(m, 0);
    }

    /** The state's tensors, each checked for presence and shape against the config and batch. */
    static Map<String, Tensor> check(RwkvConfig config, LmState state, int batch) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        int[] hidden = {batch, config.hiddenSize()};
        int[] attention = {batch, config.attentionSize()};
        for (int i = 0; i < config.layers(); i++) {
            put(m, state, feedForwardShift(i), hidden);
            put(m, state, attentionShift(i), hidden);
            put(m, state, num(i), attention);
            put(m, state, den(i), attention);
            put(m, state, max(i), attention);
        }
        return m;
    }

    private static void put(Map<String, Tensor> m, LmState state, String name, int[] shape) {
        m.put(name, state.tensor("rwkv", name, shape));
    }
}
