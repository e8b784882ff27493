package dev.recur.layers.rnn;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;
import jdk.incubator.vector.FloatVector;
import dev.recur.core.kernel.elementwise.BinaryOp;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast Elman RNN sequence kernel: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)} with {@code act} tanh or
 * ReLU, or for a {@link CellVariant} sigmoid, tanh or ReLU of the pre-activation clamped to {@code [-clip, clip]};
 * one GEMM for the input side of all timesteps, one recurrent GEMM per step. The backward needs only the outputs,
 * since every derivative is a function of {@code h'}, and the pre-activations when clipping. The activation runs
 * on the Vector API; {@link ElmanCellReference} is its scalar twin. With lengths, a row past its length gets its
 * previous state copied over its computed one, and in the backward keeps its state gradient.
 */
final class ElmanSequence implements SequenceKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        int hidden = w.hidden;
        int sh = batch * hidden;
        Activation act = ElmanCellReference.activation(w);
        GateSpec spec = w.spec;
        float[] y = SequenceGemm.inputProjection(w, x, steps * batch); // [T, B, H], activated in place
        float[] pre = spec != null && spec.clips() ? new float[steps * sh] : null; // [T, B, H] before the clip
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, true, h0, null, y,
                new float[sh], null, null, null, null, null, pre);
        // W_hh^T packed once for all steps: packing it at every step cost more than the step's product.
        GemmPackedB whhT = Gemm.packB(true, hidden, hidden, w.whh, 0, hidden);
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] hPrev = p < 0 ? h0 : y;
            int prevOff = p < 0 ? 0 : p * sh;
            int off = t * sh;
            Gemm.sgemm(false, batch, hPrev, prevOff, hidden, whhT, y, off, hidden, true);
            if (pre != null) {
                System.arraycopy(y, off, pre, off, sh);
                for (int k = off; k < off + sh; k++) {
                    y[k] = spec.clamp(y[k]);
                }
            }
            activate(y, off, sh, act);
            tr.carry(t, hPrev, prevOff, y, off, hidden, hidden);
        }
        System.arraycopy(y, tr.position(steps - 1) * sh, tr.hN, 0, sh);
        return tr;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        int hidden = w.hidden;
        int sh = tr.batch * hidden;
        Activation act = ElmanCellReference.activation(w);
        float[] pre = tr.pre;
        float[] dPre = new float[tr.steps * sh]; // [T, B, H]
        float[] dh = dhN.clone(); // [B, H]
        float[] kept = tr.lengths == null ? null : new float[sh]; // [B, H]: dh of the rows past their length
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            int off = t * sh;
            for (int b = 0; b < tr.batch; b++) {
                if (!tr.active(t, b)) {
                    System.arraycopy(dh, b * hidden, kept, b * hidden, hidden);
                    continue;
                }
                for (int k = b * hidden; k < (b + 1) * hidden; k++) {
                    float dht = dy[off + k] + dh[k];
                    boolean passes = pre == null || w.spec.passes(pre[off + k]);
                    dPre[off + k] = passes ? dht * act.derivative(tr.y[off + k]) : 0f;
                }
            }
            Gemm.sgemm(false, false, tr.batch, hidden, hidden, dPre, off, hidden, w.whh, 0, hidden,
                    dh, 0, hidden, false);
            for (int b = 0; b < tr.batch; b++) {
                if (!tr.active(t, b)) {
                    System.arraycopy(kept, b * hidden, dh, b * hidden, hidden);
                }
            }
        }
        System.arraycopy(dh, 0, dh0, 0, sh);
        SequenceGemm.backwardWeights(w, tr, dPre, SequenceGemm.HiddenSide.all(dPre), dx);
        SequenceGemm.addBiasGradients(w, tr, dPre);
    }

    /** {@code y[off, off + n)} through {@code act}, in place, on the bit-reproducible elementwise kernels. */
    private static void activate(float[] y, int off, int n, Activation act) {
        if (act == Activation.TANH) {
            Elementwise.kernel().tanh(y, off, y, off, n);
            return;
        }
        if (act == Activation.SIGMOID) {
            Elementwise.kernel().sigmoid(y, off, y, off, n);
            return;
        }
        int lanes = SPECIES.length();
        int k = 0;
        for (int bound = SPECIES.loopBound(n); k < bound; k += lanes) {
            FloatVector.fromArray(SPECIES, y, off + k).max(0f).intoArray(y, off + k);
        }
        for (; k < n; k++) {
            y[off + k] = Math.max(y[off + k], 0f);
        }
    }
}
