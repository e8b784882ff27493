package dev.recur.layers.ssm.lbmamba;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * What each encoder form can see, proved by perturbing one input and checking which outputs move (bit for bit
 * unchanged where the form cannot see the perturbed position), and LBMamba's closed form at W = 1.
 */
class LbMambaEncoderTest {
    private static final int HIDDEN = 16;
    private static final int SEQ = 32;
    private static final int WINDOW = 8;

    private static LbMambaEncoder encoder(ScanDirections directions, int layers, int window) {
        return LbMambaEncoder.create(LbMambaConfig.of(directions, HIDDEN, layers, window).withStateSize(4),
                new Rng(11));
    }

    private static float[] run(LbMambaEncoder e, float[] x) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return e.forward(Tensor.of(x.clone(), 1, SEQ, HIDDEN)).data();
        }
    }

    /** For each output position, whether it changed when input position {@code j} was perturbed. */
    private static boolean[] moved(LbMambaEncoder e, int j) {
        float[] x = Tensor.randn(new Rng(5), 1f, 1, SEQ, HIDDEN).data();
        float[] base = run(e, x);
        float[] bumped = x.clone();
        for (int h = 0; h < HIDDEN; h++) {
            bumped[j * HIDDEN + h] += 0.5f;
        }
        float[] other = run(e, bumped);
        boolean[] moved = new boolean[SEQ];
        for (int t = 0; t < SEQ; t++) {
            for (int h = 0; h < HIDDEN; h++) {
                moved[t] |= base[t * HIDDEN + h] != other[t * HIDDEN + h];
            }
        }
        return moved;
    }

    @Test
    void unidirectionalEncoderIsCausal() {
        boolean[] moved = moved(encoder(ScanDirections.UNIDIRECTIONAL, 4, WINDOW), 13);
        for (int t = 0; t < SEQ; t++) {
            assertEquals(t >= 13, moved[t], "position " + t);
        }
    }

    @Test
    void lbmambaLayerSeesLaterTokensOfItsWindowOnly() {
        // Position 13 lies in the window [8, 16): positions 8..12 see it through the local backward scan, the
        // earlier windows cannot; two layers in the same direction do not widen that.
        for (int layers : new int[] {1, 2}) {
            boolean[] moved = moved(encoder(ScanDirections.LOCAL, layers, WINDOW), 13);
            for (int t = 0; t < SEQ; t++) {
                assertEquals(t >= 8, moved[t], layers + " layers, position " + t);
            }
        }
    }

    @Test
    void alternatingPairsGiveLbmambaTheWholeSequence() {
        boolean[] moved = moved(encoder(ScanDirections.LOCAL, 4, WINDOW), SEQ - 1);
        for (int t = 0; t < SEQ; t++) {
            assertTrue(moved[t], "position " + t + " does not see the last token");
        }
    }

    @Test
    void globalBidirectionalLayerSeesTheWholeSequence() {
        boolean[] moved = moved(encoder(ScanDirections.GLOBAL, 1, WINDOW), SEQ - 1);
        for (int t = 0; t < SEQ; t++) {
            assertTrue(moved[t], "position " + t + " does not see the last token");
        }
    }

    @Test
    void windowOfOneIsTheUnidirectionalEncoder() {
        // W = 1: the local backward scan holds only the current token, which the combined state counts once.
        float[] x = Tensor.randn(new Rng(3), 1f, 1, SEQ, HIDDEN).data();
        float[] local = run(encoder(ScanDirections.LOCAL, 2, 1), x);
        float[] plain = run(encoder(ScanDirections.UNIDIRECTIONAL, 2, 1), x);
        assertArrayEquals(plain, local);
    }

    @Test
    void reversedLayersAreEverySecondPairOfLbmambaOnly() {
        boolean[] want = {false, false, true, true, false, false, true, true};
        for (int layer = 0; layer < want.length; layer++) {
            assertEquals(want[layer], LbMambaEncoder.reversed(ScanDirections.LOCAL, layer), "layer " + layer);
            assertFalse(LbMambaEncoder.reversed(ScanDirections.GLOBAL, layer));
            assertFalse(LbMambaEncoder.reversed(ScanDirections.UNIDIRECTIONAL, layer));
        }
    }

    @Test
    void globalFormHasItsOwnBackwardBranch() {
        LbMambaEncoder global = encoder(ScanDirections.GLOBAL, 1, WINDOW);
        assertTrue(global.parameters().containsKey("layers.0.mixer.bwd.A_log"));
        assertTrue(global.parameters().containsKey("layers.0.mixer.fwd.A_log"));
        assertTrue(encoder(ScanDirections.LOCAL, 1, WINDOW).parameters().containsKey("layers.0.mixer.A_log"));
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> LbMambaConfig.of(ScanDirections.LOCAL, 16, 2, 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("window").hasMessageContaining("got 0");
        assertThatThrownBy(() -> encoder(ScanDirections.LOCAL, 1, 4).forward(Tensor.zeros(1, 5, 7)))
                .isInstanceOf(RecurException.class).hasMessageContaining("lbmamba").hasMessageContaining("[1, 5, 16]")
                .hasMessageContaining("[1, 5, 7]");
        assertThatThrownBy(() -> ScanDirections.fromSpec("rnn")).isInstanceOf(RecurException.class)
                .hasMessageContaining("lbmamba").hasMessageContaining("rnn");
    }
}
