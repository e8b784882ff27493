package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

class EmbeddingGradTest {
    /** Row lookup in double. */
    static double[] embeddingTwin(double[] w, int[] ids, int d) {
        double[] y = new double[ids.length * d];
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < d; j++) {
                y[i * d + j] = w[ids[i] * d + j];
            }
        }
        return y;
    }

    @Test
    void lookupAndScatterAddWithRepeatedIds() {
        IntTensor ids = IntTensor.of(new int[] {3, 0, 3, 6, 3, 1}, 2, 3);
        GradCheck.of("embedding [7, 5]").check(x -> Embedding.embedding(x[0], ids),
                d -> embeddingTwin(d[0], ids.data(), 5), in(7, 5));
    }

    @Test
    void awkwardSizes() {
        IntTensor one = IntTensor.of(new int[] {0}, 1);
        GradCheck.of("embedding [1, 1]").check(x -> Embedding.embedding(x[0], one),
                d -> embeddingTwin(d[0], one.data(), 1), in(1, 1));
        IntTensor long257 = IntTensor.of(cycle(257, 11), 257);
        GradCheck.of("embedding [11, 7] x 257 ids").check(x -> Embedding.embedding(x[0], long257),
                d -> embeddingTwin(d[0], long257.data(), 7), in(11, 7));
        IntTensor ids7 = IntTensor.of(cycle(7, 3), 7);
        GradCheck.of("embedding [3, 500] x 7 ids").check(x -> Embedding.embedding(x[0], ids7),
                d -> embeddingTwin(d[0], ids7.data(), 500), in(3, 500));
    }

    private static int[] cycle(int n, int v) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (i * 7) % v;
        }
        return ids;
    }

    /**
     * With a padding id, the forward reads its row like any other, and the weight's gradient is the scatter-add of
     * the upstream rows of every other position: the padding row's stays zero however often it is looked up.
     */
    @Test
    void aPaddingIdIsReadButGetsNoGradient() {
        int d = 4;
        int[] idx = {3, 0, 3, 6, 3, 1};
        IntTensor ids = IntTensor.of(idx, 2, 3);
        Tensor weight = Tensor.randn(new Rng(5), 1f, 7, d).requiresGrad(true);
        Tensor upstream = Tensor.randn(new Rng(6), 1f, 2, 3, d);
        Tensor y = Embedding.embedding(weight, ids, 3);
        assertThat(y.data()).containsExactly(Embedding.embedding(weight.detach(), ids).data());
        Reductions.sum(Arithmetic.mul(y, upstream)).backward();
        double[] expected = new double[7 * d];
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < d && idx[i] != 3; j++) {
                expected[idx[i] * d + j] += upstream.data()[i * d + j];
            }
        }
        float[] grad = weight.grad().data();
        for (int k = 0; k < expected.length; k++) {
            assertThat((double) grad[k]).as("weight grad %d", k).isEqualTo(expected[k]);
        }
        assertThatThrownBy(() -> Embedding.embedding(weight, ids, 7)).isInstanceOf(RecurException.class)
                .hasMessageContaining("padding id").hasMessageContaining("[0, 7)");
    }

    @Test
    void outputShapeAppendsTheEmbeddingWidth() {
        Tensor y = Embedding.embedding(Tensor.zeros(4, 3), IntTensor.of(new int[] {1, 2, 3, 0, 1, 2}, 2, 3));
        assertThat(y.shape()).containsExactly(2, 3, 3);
    }

    @Test
    void badIdsAndWeightAreNamed() {
        IntTensor ids = IntTensor.of(new int[] {0, 1, 4, 2}, 2, 2);
        assertThatThrownBy(() -> Embedding.embedding(Tensor.zeros(4, 3), ids))
                .isInstanceOf(RecurException.class).hasMessageContaining("embedding")
                .hasMessageContaining("[1, 0]").hasMessageContaining("is 4").hasMessageContaining("[0, 4)");
        assertThatThrownBy(() -> Embedding.embedding(Tensor.zeros(4, 3), IntTensor.of(new int[] {-100}, 1)))
                .isInstanceOf(RecurException.class).hasMessageContaining("is -100");
        assertThatThrownBy(() -> Embedding.embedding(Tensor.zeros(12), IntTensor.of(new int[] {0}, 1)))
                .isInstanceOf(RecurException.class).hasMessageContaining("[V, D]").hasMessageContaining("[12]");
    }
}
