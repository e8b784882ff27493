package dev.recur.core.kernel;

import dev.recur.core.RecurException;
import java.util.Locale;

/**
 * Which implementation of each kernel runs: the SIMD one (jdk.incubator.vector) or its plain scalar reference
 * twin. Chosen once per JVM by {@code -Drecur.kernels=vector|reference}; vector is the default. The reference
 * twins are the ground truth in tests and a fallback when a vector kernel is suspected.
 */
public enum KernelMode {
    REFERENCE,
    VECTOR;

    /** The system property that selects the mode. */
    public static final String PROPERTY = "recur.kernels";

    private static final KernelMode CURRENT = parse(System.getProperty(PROPERTY, "vector"));

    /** The mode this JVM runs with. */
    public static KernelMode current() {
        return CURRENT;
    }

    /** Parses {@code vector} or {@code reference}, naming the property on error. */
    public static KernelMode parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "vector":
                return VECTOR;
            case "reference":
                return REFERENCE;
            default:
                throw new RecurException("-D" + PROPERTY + ": expected 'vector' or 'reference', got '" + value + "'");
        }
    }
}
