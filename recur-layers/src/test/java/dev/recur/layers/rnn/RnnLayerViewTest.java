package dev.recur.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link RnnLayer#layer(int)}: a one-layer view holds the stack's own tensors (so training through it trains
 * the stack), and the views run one after the other, each from its own rows of the state, give the stack's
 * output and final state bit for bit.
 */
class RnnLayerViewTest {

    @Test
    void viewsShareTheTensorsAndComposeToTheStack() {
        RnnLayer stack = new RnnLayer(RnnConfig.gru(5, 7).withLayers(3), new Rng(2));
        for (int l = 0; l < 3; l++) {
            RnnLayer view = stack.layer(l);
            for (String w : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
                assertSame(stack.parameter(w + "_l" + l), view.parameter(w + "_l0"), w + " of layer " + l);
            }
        }
        Tensor x = Tensor.randn(new Rng(3), 1f, 2, 6, 5);
        Tensor h0 = Tensor.randn(new Rng(4), 1f, 3, 2, 7);
        try (var scope = GradMode.noGrad()) {
            RnnOutput whole = stack.forward(x, new RnnState(h0, null));
            Tensor y = x;
            float[] last = new float[3 * 2 * 7];
            for (int l = 0; l < 3; l++) {
                float[] rows = Arrays.copyOfRange(h0.data(), l * 14, (l + 1) * 14);
                RnnOutput o = stack.layer(l).forward(y, new RnnState(Tensor.of(rows, 1, 2, 7), null));
                y = o.output();
                System.arraycopy(o.state().h().data(), 0, last, l * 14, 14);
            }
            assertArrayEquals(whole.output().data(), y.data(), "output");
            assertArrayEquals(whole.state().h().data(), last, "final state");
        }
    }

    @Test
    void rejectsBidirectionalStacksAndMissingLayers() {
        RnnLayer bi = new RnnLayer(RnnConfig.lstm(3, 4).withLayers(2).withBidirectional(true), new Rng(1));
        assertTrue(assertThrows(RecurException.class, () -> bi.layer(0)).getMessage().contains("bidirectional"));
        RnnLayer uni = new RnnLayer(RnnConfig.lstm(3, 4).withLayers(2), new Rng(1));
        assertTrue(assertThrows(RecurException.class, () -> uni.layer(2)).getMessage().contains("[0, 2), got 2"));
    }
}
