package dev.recur.layers.rnn;

/**
 * What one direction of a variant cell computes ({@link CellVariant#forDirection}): its activation functions in
 * ONNX's order ({@code f} for the sigmoid-like gates, {@code g} for the candidate, {@code h} for the LSTM's output;
 * null where the cell has none) and the variant's switches. {@link #clamp} and {@link #passes} are the clip and
 * its derivative, shared by the variant kernels.
 */
record GateSpec(Activation f, Activation g, Activation h, float clip, boolean linearBeforeReset, boolean peepholes,
                boolean coupledInputForget) {

    /** Whether pre-activations are clamped (and the kernels must keep them for the backward). */
    boolean clips() {
        return clip != Float.POSITIVE_INFINITY;
    }

    /** {@code v} clamped to {@code [-clip, clip]}. */
    float clamp(float v) {
        return v > clip ? clip : v < -clip ? -clip : v;
    }

    /**
     * Whether a gradient passes the clip at the raw pre-activation {@code v}: inside {@code [-clip, clip]}, bounds
     * included (as PyTorch's {@code clamp} passes it).
     */
    boolean passes(float v) {
        return v <= clip && v >= -clip;
    }
}
