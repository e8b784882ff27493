package dev.recur.layers.linear;

import dev.recur.core.RecurException;

/**
 * The head layout and switches of a {@link GatedDeltaNet}. Validated when built: every size positive (the
 * convolution may be off, 0, only in the {@link Layout#SEPARATE} layout), the value heads a multiple of the key
 * heads, a finite epsilon {@code > 0}.
 *
 * @param keyHeads   query/key heads
 * @param valueHeads value heads (a multiple of {@code keyHeads}; each key head serves {@code valueHeads / keyHeads}
 *                   consecutive value heads)
 * @param keyDim     dimensions per query/key head
 * @param valueDim   dimensions per value head
 * @param convKernel taps of the causal convolution over queries, keys and values (0: none)
 * @param normEps    epsilon of the gated output RMSNorm
 * @param layout     how the input projections are stored and named
 */
public record GatedDeltaNetConfig(int keyHeads, int valueHeads, int keyDim, int valueDim, int convKernel,
                                  float normEps, Layout layout) {
    /** The input projections' layout and names. */
    public enum Layout {
        /**
         * One matrix per input, as the stack kind {@code gdn} names them: {@code wq, wk [Hk dk, D]},
         * {@code wv, wg [Hv dv, D]}, {@code wb, wa [Hv, D]}, output {@code wo}.
         */
        SEPARATE,
        /**
         * transformers' {@code Qwen3NextGatedDeltaNet}: {@code in_proj_qkvz} gives, per key head,
         * {@code [q (dk), k (dk), v (r dv), z (r dv)]}, and {@code in_proj_ba} per key head {@code [b (r), a (r)]},
         * with {@code r = Hv / Hk}; output {@code out_proj}.
         */
        FUSED_PER_KEY_HEAD
    }

    public GatedDeltaNetConfig {
        positive("key heads", keyHeads);
        positive("value heads", valueHeads);
        positive("key head dim", keyDim);
        positive("value head dim", valueDim);
        if (layout == null) {
            throw new RecurException("gated deltanet config: layout is required");
        }
        if (convKernel < (layout == Layout.SEPARATE ? 0 : 1)) {
            throw new RecurException("gated deltanet config: conv kernel must be >= "
                    + (layout == Layout.SEPARATE ? 0 : 1) + " in the " + layout + " layout, got " + convKernel);
        }
        if (valueHeads % keyHeads != 0) {
            throw new RecurException("gated deltanet config: value heads (" + valueHeads
                    + ") must be a multiple of key heads (" + keyHeads + ")");
        }
        if (!(normEps > 0f) || Float.isInfinite(normEps)) {
            throw new RecurException("gated deltanet config: norm epsilon must be a finite number > 0, got " + normEps);
        }
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new RecurException("gated deltanet config: " + field + " must be >= 1, got " + value);
        }
    }

    /** Channels of all query heads (and of all key heads). */
    public int keyWidth() {
        return keyHeads * keyDim;
    }

    /** Channels of all value heads (and of the output gate). */
    public int valueWidth() {
        return valueHeads * valueDim;
    }

    /** The convolution's channels: queries, keys, values. */
    public int convChannels() {
        return 2 * keyWidth() + valueWidth();
    }

    /** Value heads per key head. */
    public int valuesPerKey() {
        return valueHeads / keyHeads;
    }
}
