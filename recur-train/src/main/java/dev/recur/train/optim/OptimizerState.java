package dev.recur.train.optim;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.NamedParameter;
import dev.recur.train.Parameters;
import java.util.Map;

/** Shared checks and encodings for optimiser state tensors. */
final class OptimizerState {
    /** Step counts are split in two 24-bit halves, each exact in float32, so any count below 2^48 survives. */
    private static final long HALF = 1L << 24;
    static final int[] COUNT_SHAPE = {2};

    private OptimizerState() {}

    static Tensor encodeCount(long count) {
        return Tensor.of(new float[] {count % HALF, count / HALF}, COUNT_SHAPE);
    }

    static long decodeCount(String op, String key, Tensor t) {
        Shapes.require(op, "state '" + key + "'", COUNT_SHAPE, t.shape());
        float low = t.data()[0];
        float high = t.data()[1];
        if (!(low >= 0 && low < HALF && high >= 0 && high < HALF) || low != Math.rint(low) || high != Math.rint(high)) {
            throw new RecurException(op + ": state '" + key + "' expected a step count encoded as two integers in"
                    + " [0, 2^24), got [" + low + ", " + high + "]");
        }
        long count = (long) high * HALF + (long) low;
        if (count < 1) {
            throw new RecurException(op + ": state '" + key + "' expected a step count of at least 1, got " + count);
        }
        return count;
    }

    /** A copy of {@code t}'s values, checked to have the parameter's shape. */
    static float[] copyLike(String op, String key, Tensor t, NamedParameter p) {
        Shapes.require(op, "state '" + key + "'", p.value().shape(), t.shape());
        return t.data().clone();
    }

    static Tensor snapshot(float[] values, NamedParameter p) {
        return Tensor.of(values.clone(), p.value().shape());
    }

    /**
     * Checks that every key is {@code prefix.<slot>.<parameter>} with a known slot and parameter, so that a
     * typo or a state saved for other parameters fails loudly instead of silently restarting.
     */
    static void requireKnownKeys(String op, Map<String, Tensor> state, String prefix, String[] slots,
                                 Parameters params) {
        if (state == null) {
            throw new RecurException(op + ": expected a state map, got null");
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = e.getKey();
            if (e.getValue() == null) {
                throw new RecurException(op + ": state '" + key + "' is null");
            }
            if (!isKnownKey(key, prefix, slots, params)) {
                throw new RecurException(op + ": unexpected state '" + key + "': expected " + prefix + ".{"
                        + String.join(",", slots) + "}.<parameter> for one of " + params.size() + " parameters");
            }
        }
    }

    private static boolean isKnownKey(String key, String prefix, String[] slots, Parameters params) {
        for (String slot : slots) {
            String head = prefix + "." + slot + ".";
            if (key.startsWith(head) && params.get(key.substring(head.length())) != null) {
                return true;
            }
        }
        return false;
    }

    static void requireLearningRate(String op, double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new RecurException(op + ": learning rate expected a finite number >= 0, got " + learningRate);
        }
    }
}
