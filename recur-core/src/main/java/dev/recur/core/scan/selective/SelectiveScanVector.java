package dev.recur.core.scan.selective;

import dev.recur.core.parallel.ComputePool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The selective scan vectorised across channels: a block of {@code L} channels (one vector) keeps its
 * {@code N x L} state in a small buffer while time runs, so every state index is one fused multiply-add on a
 * full vector whatever N is, and {@code y} needs no horizontal sum. Channels left over after the last full
 * vector go through {@link SelectiveScanReference}'s per-channel loops. Tasks are (batch entry, group of
 * {@value #GROUP} channels), fixed by the sizes alone, and every sum runs in a fixed order (no
 * {@code reduceLanes}, whose float order the Vector API leaves open; the exponential is computed here from
 * exact operations rather than by an intrinsic that may round differently in compiled and interpreted code),
 * so the results are the same bits whatever the thread count or JIT state.
 *
 * <p>What the backward stores: the forward saves the state at the start of every chunk of
 * {@code K = max(32, N)} steps, {@code B * ceil(T/K) * N * D} floats, at most {@code B*T*D + B*D*N} (the
 * same order as one input); nothing else beyond the inputs. The backward walks the chunks from last to first,
 * re-runs the forward inside each from its checkpoint (keeping {@code K * N * L} states and decays of one
 * channel block, a few tens of KB, in cache) and then runs the adjoint recurrence over the chunk.
 */
public final class SelectiveScanVector implements SelectiveScanKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Channels per task: a multiple of every vector length. */
    static final int GROUP = 256;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float MAGIC = 12582912f + 127f; // 1.5 * 2^23 (rounds to integers) + the exponent bias
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float EXP_LOW = -87.33654f;
    private static final float EXP_HIGH = 88.37626f;
    // A degree-5 least-squares fit (at Chebyshev nodes) of (exp(r) - 1 - r) / r^2 on [-ln2/2, ln2/2].
    private static final float P0 = 1.9899276221e-4f;
    private static final float P1 = 1.3933643522e-3f;
    private static final float P2 = 8.3332984804e-3f;
    private static final float P3 = 4.1666464976e-2f;
    private static final float P4 = 1.6666666719e-1f;
    private static final float P5 = 5.0000000135e-1f;

    private static final FloatVector V_LOG2E = FloatVector.broadcast(S, LOG2E);
    private static final FloatVector V_MAGIC = FloatVector.broadcast(S, MAGIC);
    private static final FloatVector V_MINUS_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final FloatVector V_MINUS_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    private static final FloatVector V_EXP_LOW = FloatVector.broadcast(S, EXP_LOW);
    private static final FloatVector V_EXP_HIGH = FloatVector.broadcast(S, EXP_HIGH);
    private static final FloatVector V_P0 = FloatVector.broadcast(S, P0);
    private static final FloatVector V_P1 = FloatVector.broadcast(S, P1);
    private static final FloatVector V_P2 = FloatVector.broadcast(S, P2);
    private static final FloatVector V_P3 = FloatVector.broadcast(S, P3);
    private static final FloatVector V_P4 = FloatVector.broadcast(S, P4);
    private static final FloatVector V_P5 = FloatVector.broadcast(S, P5);
    private static final FloatVector V_ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector V_ZERO = FloatVector.zero(S);
    private static final FloatVector V_INFINITY = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);

    /**
     * Adds lane-wise partial sums over channels, {@code acc [t1 - t0, N, L]}, into {@code target [B, T, N]} at
     * steps {@code [t0, t1)} of batch entry {@code bi}, summing the lanes in a fixed order.
     */
    static void addLaneSums(float[] acc, float[] target, int bi, int seqLen, int n, int t0, int t1) {
        int nl = n * L;
        for (int t = t0; t < t1; t++) {
            int row = (bi * seqLen + t) * n; // [B, T, N]
            for (int s = 0; s < n; s++) {
                int at = (t - t0) * nl + s * L;
                float sum = 0f;
                for (int l = 0; l < L; l++) {
                    sum += acc[at + l];
                }
                target[row + s] += sum;
            }
        }
    }

    /** The checkpoint interval K for a state size N. */
    static int checkpointEvery(int dState) {
        return Math.max(32, dState);
    }

    @Override
    public float[] forward(SelectiveScanInputs in, float[] y, float[] hT, boolean saveForBackward) {
        int n = in.dState();
        int k = checkpointEvery(n);
        int chunks = (in.seqLen() + k - 1) / k;
        float[] saved = saveForBackward ? new float[in.batch() * chunks * n * in.channels()] : null;
        int groups = (in.channels() + GROUP - 1) / GROUP;
        ComputePool.shared().parallelFor(in.batch() * groups, task -> {
            int bi = task / groups;
            int g0 = (task % groups) * GROUP;
            int g1 = Math.min(in.channels(), g0 + GROUP);
            int vecEnd = g0 + (g1 - g0) / L * L;
            float[] state = new float[n * L];
            float[] aT = new float[n * L];
            float[] decay = new float[n * L];
            for (int d0 = g0; d0 < vecEnd; d0 += L) {
                loadBlock(in, bi, d0, state, aT);
                forwardBlock(in, bi, d0, y, saved, chunks, k, state, aT, decay);
                storeState(state, hT, bi, d0, in.channels(), n);
            }
            for (int d = vecEnd; d < g1; d++) {
                SelectiveScanReference.forwardChannel(in, bi, d, y, hT, null, null);
            }
        });
        return saved;
    }

    /** Fills {@code state [N, L]} from h0 (or zeros) and {@code aT [N, L]} from A, both transposed. */
    private static void loadBlock(SelectiveScanInputs in, int bi, int d0, float[] state, float[] aT) {
        int n = in.dState();
        for (int l = 0; l < L; l++) {
            int d = d0 + l;
            for (int s = 0; s < n; s++) {
                state[s * L + l] = in.h0() == null ? 0f : in.h0()[(bi * in.channels() + d) * n + s];
            }
        }
        transposeA(in, d0, aT);
    }

    /** {@code aT [N, L]}: A's rows for channels {@code d0 .. d0+L-1}, transposed. */
    static void transposeA(SelectiveScanInputs in, int d0, float[] aT) {
        int n = in.dState();
        for (int l = 0; l < L; l++) {
            for (int s = 0; s < n; s++) {
                aT[s * L + l] = in.a()[(d0 + l) * n + s];
            }
        }
    }

    /** Writes a transposed {@code [N, L]} block into a {@code [B, D, N]} array. */
    private static void storeState(float[] block, float[] target, int bi, int d0, int channels, int n) {
        for (int l = 0; l < L; l++) {
            int at = (bi * channels + d0 + l) * n;
            for (int s = 0; s < n; s++) {
                target[at + s] = block[s * L + l];
            }
        }
    }

    /**
     * {@code out[outOff + s*L + l] = exp(delta[i + l] * aT[aOff + s*L + l])} for every state index s. The exponential: Cody-Waite
     * reduction {@code x = k ln2 + r}, a degree-6 polynomial for {@code exp(r)} and {@code 2^k} built in the
     * exponent bits; within 1 ulp of {@link Math#exp} on {@code [-87.3, 88.3]}, 0 below, +infinity above.
     */
    static void decayRow(float[] delta, int i, float[] aT, int aOff, int n, float[] out, int outOff) {
        FloatVector dt = FloatVector.fromArray(S, delta, i);
        for (int s = 0; s < n; s++) {
            FloatVector x = dt.mul(FloatVector.fromArray(S, aT, aOff + s * L));
            FloatVector xc = x.max(V_EXP_LOW).min(V_EXP_HIGH);
            // t = k + MAGIC, rounded to an integer k by the float format itself; its low bits are k + 127.
            FloatVector t = xc.fma(V_LOG2E, V_MAGIC);
            FloatVector kf = t.sub(V_MAGIC);
            FloatVector r = kf.fma(V_MINUS_LN2_HI, xc);
            r = kf.fma(V_MINUS_LN2_LO, r);
            FloatVector p = r.fma(V_P0, V_P1);
            p = p.fma(r, V_P2);
            p = p.fma(r, V_P3);
            p = p.fma(r, V_P4);
            p = p.fma(r, V_P5);
            FloatVector e = p.fma(r.mul(r), r).add(V_ONE);
            FloatVector scale = t.reinterpretAsInts().mul(1 << 23).reinterpretAsFloats();
            e.mul(scale).blend(V_ZERO, x.compare(VectorOperators.LT, V_EXP_LOW))
                    .blend(V_INFINITY, x.compare(VectorOperators.GT, V_EXP_HIGH))
                    .intoArray(out, outOff + s * L);
        }
    }

    private static void forwardBlock(SelectiveScanInputs in, int bi, int d0, float[] y, float[] saved, int chunks,
                                     int k, float[] state, float[] aT, float[] decay) {
        int seqLen = in.seqLen();
        int dd = in.channels();
        int n = in.dState();
        float[] u = in.u();
        float[] delta = in.delta();
        float[] b = in.b();
        float[] c = in.c();
        float[] dSkip = in.dSkip();
        for (int t = 0; t < seqLen; t++) {
            if (saved != null && t % k == 0) {
                saveCheckpoint(state, saved, (bi * chunks + t / k) * n * dd + d0, n, dd);
            }
            int i = (bi * seqLen + t) * dd + d0; // [B, T, D]
            int row = (bi * seqLen + t) * n;     // [B, T, N]
            decayRow(delta, i, aT, 0, n, decay, 0);
            FloatVector ut = FloatVector.fromArray(S, u, i);
            FloatVector du = FloatVector.fromArray(S, delta, i).mul(ut);
            FloatVector acc = dSkip == null ? FloatVector.zero(S) : FloatVector.fromArray(S, dSkip, d0).mul(ut);
            for (int s = 0; s < n; s++) {
                FloatVector h = FloatVector.fromArray(S, decay, s * L)
                        .fma(FloatVector.fromArray(S, state, s * L), du.mul(b[row + s]));
                h.intoArray(state, s * L);
                acc = h.fma(FloatVector.broadcast(S, c[row + s]), acc);
            }
            acc.intoArray(y, i);
        }
    }

    /** Copies a block's {@code [N, L]} state into the checkpoints' {@code [B, chunks, N, D]} layout. */
    private static void saveCheckpoint(float[] state, float[] saved, int base, int n, int dd) {
        for (int s = 0; s < n; s++) {
            System.arraycopy(state, s * L, saved, base + s * dd, L);
        }
    }

    @Override
    public void backward(SelectiveScanInputs in, float[] saved, float[] gy, float[] ghT, SelectiveScanGrads grads) {
        if (saved == null) {
            // The forward ran without keeping checkpoints: make them now.
            saved = forward(in, new float[gy.length], new float[in.batch() * in.channels() * in.dState()], true);
        }
        float[] checkpoints = saved;
        int batch = in.batch();
        int dd = in.channels();
        int n = in.dState();
        int groups = (dd + GROUP - 1) / GROUP;
        int btn = batch * in.seqLen() * n;
        // Tasks of different channel groups share dB and dC, tasks of different batch entries share dA and dD:
        // each writes its own partial sum, and the partials are added in a fixed order afterwards.
        float[][] pb = groups == 1 ? new float[][] {grads.b()} : new float[groups][btn];
        float[][] pc = groups == 1 ? new float[][] {grads.c()} : new float[groups][btn];
        float[][] pa = batch == 1 ? new float[][] {grads.a()} : new float[batch][dd * n];
        float[][] pd = grads.dSkip() == null ? null : batch == 1 ? new float[][] {grads.dSkip()} : new float[batch][dd];
        ComputePool.shared().parallelFor(batch * groups, task -> {
            int bi = task / groups;
            int g = task % groups;
            int g0 = g * GROUP;
            int g1 = Math.min(dd, g0 + GROUP);
            int vecEnd = g0 + (g1 - g0) / L * L;
            float[] dD = pd == null ? null : pd[bi];
            if (vecEnd > g0) {
                new SelectiveScanVectorBackward(in, checkpoints, gy, ghT, grads.u(), grads.delta(), pa[bi], pb[g],
                        pc[g], dD, grads.h0()).run(bi, g0, vecEnd);
            }
            if (vecEnd < g1) {
                float[] history = new float[(in.seqLen() + 1) * n];
                float[] decay = new float[in.seqLen() * n];
                for (int d = vecEnd; d < g1; d++) {
                    SelectiveScanReference.backwardChannel(in, bi, d, gy, ghT, grads.u(), grads.delta(), pa[bi],
                            pb[g], pc[g], dD, grads.h0(), history, decay);
                }
            }
        });
        addPartials(pb, grads.b());
        addPartials(pc, grads.c());
        addPartials(pa, grads.a());
        if (pd != null) {
            addPartials(pd, grads.dSkip());
        }
    }

    /** Adds every partial sum into {@code target}, in order (nothing when the one partial is the target). */
    static void addPartials(float[][] partials, float[] target) {
        if (partials.length == 1 && partials[0] == target) {
            return;
        }
        for (float[] p : partials) {
            for (int i = 0; i < target.length; i++) {
                target[i] += p[i];
            }
        }
    }
}
