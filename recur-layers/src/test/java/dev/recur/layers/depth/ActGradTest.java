package dev.recur.layers.depth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.testing.GradCheck;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The Universal Transformer with ACT against {@link ActTwin}, a double-precision twin in plain loops: the mixed
 * outputs, the ponder costs {@code N + R} and the halting counts agree, and the gradients of the input and of
 * every parameter equal finite differences of the twin. The halting bias is drawn so that positions stop
 * after different numbers of steps, and the test checks that they do.
 */
class ActGradTest {
    private static final int BATCH = 2;
    private static final int STEPS = 3;
    private static final UniversalTransformerConfig CONFIG = new UniversalTransformerConfig(4, 2, 6, 4, 0.01, 0f);

    @Test
    void outputsPonderAndGradientsMatchTheDoubleTwin() {
        List<String> names = List.copyOf(UniversalTransformer.create(CONFIG, new Rng(0))
                .parameters().keySet());
        int d = CONFIG.width();
        int m = CONFIG.mlpSize();
        GradCheck.Input[] inputs = {
            GradCheck.in(BATCH, STEPS, d),
            GradCheck.in(0.5, 1.5, d),
            GradCheck.in(d, d), GradCheck.in(d, d), GradCheck.in(d, d), GradCheck.in(d, d),
            GradCheck.in(0.5, 1.5, d),
            GradCheck.in(m, d), GradCheck.in(m), GradCheck.in(d, m), GradCheck.in(d),
            GradCheck.in(1, d), GradCheck.in(-0.8, -0.4, 1),
        };
        AtomicReference<ActResult> result = new AtomicReference<>();
        AtomicReference<int[]> twinCounts = new AtomicReference<>();
        GradCheck.of("universal transformer ACT").seed(7).forwardTolerance(1e-5).gradTolerance(1e-3).check(
                t -> {
                    Map<String, Tensor> w = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        w.put(names.get(i), t[i + 1]);
                    }
                    ActResult r = UniversalTransformer.of(CONFIG, w).forward(t[0]);
                    result.set(r);
                    return Reshaping.concat(0, Reshaping.reshape(r.output(), BATCH * STEPS * d),
                            Reshaping.reshape(r.ponder(), BATCH * STEPS));
                },
                x -> {
                    ActTwin twin = new ActTwin(CONFIG, BATCH, STEPS, x[0], Arrays.copyOfRange(x, 1, x.length));
                    twinCounts.compareAndSet(null, twin.counts);
                    double[] out = Arrays.copyOf(twin.output, twin.output.length + twin.ponder.length);
                    System.arraycopy(twin.ponder, 0, out, twin.output.length, twin.ponder.length);
                    return out;
                },
                inputs);
        int[] counts = result.get().haltingSteps().data();
        assertArrayEquals(twinCounts.get(), counts, "halting counts");
        assertTrue(Arrays.stream(counts).distinct().count() > 1,
                "the case should mix halting counts, got " + Arrays.toString(counts));
    }
}
