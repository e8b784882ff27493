package dev.recur.core.scan.wkv;

/**
 * What the WKV backward needs from the forward: the state {@code (a, b, p)} entering every step, each
 * {@code [B, T, D]}. Everything else (the maxima and exponentials) is recomputed from it and the inputs.
 */
public final class WkvTrace {
    final float[] a;
    final float[] b;
    final float[] p;

    /** Room for {@code size = B * T * D} states. */
    public WkvTrace(int size) {
        this.a = new float[size];
        this.b = new float[size];
        this.p = new float[size];
    }
}
