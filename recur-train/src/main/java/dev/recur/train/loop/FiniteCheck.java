package dev.recur.train.loop;

import dev.recur.train.NamedParameter;
import dev.recur.train.Parameters;

/** Finds what went non-finite when a step's loss is NaN or infinite. */
final class FiniteCheck {
    private FiniteCheck() {}

    /** The first parameter holding a non-finite value, else the first non-finite gradient, else a hint. */
    static String firstBad(Parameters params) {
        for (NamedParameter p : params) {
            String where = firstNonFinite(p.value().data());
            if (where != null) {
                return "parameter '" + p.name() + "' holds " + where;
            }
        }
        for (NamedParameter p : params) {
            float[] g = p.gradData();
            String where = g == null ? null : firstNonFinite(g);
            if (where != null) {
                return "gradient of parameter '" + p.name() + "' holds " + where;
            }
        }
        return "every parameter and gradient is finite (the activations overflowed)";
    }

    private static String firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return v[i] + " at flat index " + i + " of " + v.length;
            }
        }
        return null;
    }
}
