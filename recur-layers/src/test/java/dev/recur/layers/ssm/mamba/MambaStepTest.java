package dev.recur.layers.ssm.mamba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming parity of a random Mamba LM: the forward over a whole sequence equals a prefill split at several
 * points with the state passed across, and a token-by-token loop (logits and final state), also at T = 4096;
 * a batch equals its rows run alone; a state serialised to bytes mid-sequence continues identically.
 */
class MambaStepTest {
    private static final int BATCH = 3;
    private static final int STEPS = 29;
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path dir;
    private static CausalLm model;
    private static IntTensor ids;
    private static LmOutput full;

    @BeforeAll
    static void setUp() throws Exception {
        model = MambaCheckpoints.load(dir.resolve("mamba"), "mamba", 7);
        ids = randomIds(new Rng(11), BATCH, STEPS);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            full = model.forward(ids, null);
        }
    }

    static IntTensor randomIds(Rng rng, int batch, int steps) {
        int[] v = new int[batch * steps];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(MambaCheckpoints.VOCAB);
        }
        return IntTensor.of(v, batch, steps);
    }

    static IntTensor columns(IntTensor x, int from, int to) {
        int b = x.dim(0);
        int t = x.dim(1);
        int[] out = new int[b * (to - from)];
        for (int i = 0; i < b; i++) {
            System.arraycopy(x.data(), i * t + from, out, i * (to - from), to - from);
        }
        return IntTensor.of(out, b, to - from);
    }

    static IntTensor row(IntTensor x, int r) {
        int t = x.dim(1);
        return IntTensor.of(Arrays.copyOfRange(x.data(), r * t, (r + 1) * t), 1, t);
    }

    /** Concatenates logits [B, t_i, V] along time. */
    static float[] concatTime(Tensor[] parts, int batch, int vocab) {
        int total = 0;
        for (Tensor p : parts) {
            total += p.dim(1);
        }
        float[] out = new float[batch * total * vocab];
        int offset = 0;
        for (Tensor p : parts) {
            int t = p.dim(1);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(p.data(), b * t * vocab, out, (b * total + offset) * vocab, t * vocab);
            }
            offset += t;
        }
        return out;
    }

    static double relativeError(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs((double) b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static LmOutput runInPieces(int... cuts) {
        Tensor[] parts = new Tensor[cuts.length + 1];
        LmState state = null;
        int from = 0;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : STEPS;
                LmOutput out = model.forward(columns(ids, from, to), state);
                parts[i] = out.logits();
                state = out.state();
                from = to;
            }
        }
        float[] logits = concatTime(parts, BATCH, MambaCheckpoints.VOCAB);
        return new LmOutput(Tensor.of(logits, BATCH, STEPS, MambaCheckpoints.VOCAB), state);
    }

    private static void assertSameAsFull(LmOutput out) {
        assertThat(relativeError(out.logits().data(), full.logits().data())).as("logits")
                .isLessThanOrEqualTo(TOLERANCE);
        assertThat(out.state().position()).isEqualTo(STEPS);
        for (String name : full.state().tensors().keySet()) {
            assertThat(relativeError(out.state().tensor(name).data(), full.state().tensor(name).data()))
                    .as(name).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void stateHoldsConvAndSsmTensorsPerLayer() {
        LmState s = full.state();
        assertThat(s.tensors().keySet()).containsExactly("layers.0.conv", "layers.0.ssm", "layers.1.conv",
                "layers.1.ssm");
        assertThat(s.tensor("layers.1.conv").shape())
                .containsExactly(BATCH, MambaCheckpoints.KERNEL - 1, MambaCheckpoints.INNER);
        assertThat(s.tensor("layers.0.ssm").shape())
                .containsExactly(BATCH, MambaCheckpoints.INNER, MambaCheckpoints.STATE);
    }

    @Test
    void chunkedPrefillEqualsOnePiece() {
        assertSameAsFull(runInPieces(1));
        assertSameAsFull(runInPieces(2, 5, 17));
        assertSameAsFull(runInPieces(STEPS - 1));
    }

    @Test
    void tokenByTokenEqualsOnePiece() {
        int[] cuts = new int[STEPS - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertSameAsFull(runInPieces(cuts));
    }

    @Test
    void prefillThenTokensEqualsOnePiece() {
        int[] cuts = new int[STEPS - 10];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = 10 + i;
        }
        assertSameAsFull(runInPieces(cuts));
    }

    @Test
    void longSequenceInChunksThenTokensEqualsOnePiece() {
        int steps = 4096;
        IntTensor longIds = randomIds(new Rng(5), 1, steps);
        int[] cuts = {1000, 2049, 4000};
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(longIds, null);
            LmState state = null;
            int from = 0;
            float[] pieces = new float[whole.logits().size()];
            int vocab = MambaCheckpoints.VOCAB;
            for (int to : new int[] {cuts[0], cuts[1], cuts[2]}) {
                LmOutput out = model.forward(columns(longIds, from, to), state);
                System.arraycopy(out.logits().data(), 0, pieces, from * vocab, (to - from) * vocab);
                state = out.state();
                from = to;
            }
            for (; from < steps; from++) {
                LmOutput out = model.forward(columns(longIds, from, from + 1), state);
                System.arraycopy(out.logits().data(), 0, pieces, from * vocab, vocab);
                state = out.state();
            }
            assertThat(relativeError(pieces, whole.logits().data())).isLessThanOrEqualTo(TOLERANCE);
            for (String name : whole.state().tensors().keySet()) {
                assertThat(relativeError(state.tensor(name).data(), whole.state().tensor(name).data()))
                        .as(name).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    @Test
    void eachRowAloneEqualsTheBatch() {
        int vocab = MambaCheckpoints.VOCAB;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int r = 0; r < BATCH; r++) {
                LmOutput alone = model.forward(row(ids, r), null);
                float[] expected = Arrays.copyOfRange(full.logits().data(), r * STEPS * vocab,
                        (r + 1) * STEPS * vocab);
                assertThat(relativeError(alone.logits().data(), expected)).as("row " + r)
                        .isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    @Test
    void stateBytesRoundTripMidSequenceContinuesTheSame() {
        int cut = 13;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput first = model.forward(columns(ids, 0, cut), null);
            byte[] bytes = first.state().toBytes();
            LmState restored = LmState.fromBytes(bytes);
            assertThat(restored.position()).isEqualTo(cut);
            LmOutput direct = model.forward(columns(ids, cut, STEPS), first.state());
            LmOutput resumed = model.forward(columns(ids, cut, STEPS), restored);
            assertThat(resumed.logits().data()).containsExactly(direct.logits().data());
            float[] both = concatTime(new Tensor[] {first.logits(), resumed.logits()}, BATCH,
                    MambaCheckpoints.VOCAB);
            assertThat(relativeError(both, full.logits().data())).isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
