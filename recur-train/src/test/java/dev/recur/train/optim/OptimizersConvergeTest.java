package dev.recur.train.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Matmul;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.GradClip;
import dev.recur.train.NamedParameter;
import dev.recur.train.Parameters;
import dev.recur.train.schedule.LearningRateSchedule;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The optimisers, schedules and clipping together drive small known problems to their minimum. */
class OptimizersConvergeTest {
    static final int ROWS = 64;
    static final int FEATURES = 8;

    /** Least squares {@code mean((X w - y)^2)} with {@code y = X w*}: minimum 0 at {@code w*}. */
    static double fitLeastSquares(Function<Parameters, Optimizer> make, String schedule, int steps) {
        Rng rng = new Rng(42);
        Tensor x = Tensor.randn(rng, 1f, ROWS, FEATURES);
        Tensor target = Tensor.randn(rng, 1f, FEATURES, 1);
        float[] y = Matmul.matmul(x, target).data();
        Tensor w = Tensor.zeros(FEATURES, 1).requiresGrad(true);
        Parameters params = Parameters.of(List.of(new NamedParameter("w", w)));
        Optimizer opt = make.apply(params);
        LearningRateSchedule lr = LearningRateSchedule.parse(schedule, opt.learningRate(), steps);
        double first = loss(x, w, y, false);
        for (int step = 0; step < steps; step++) {
            opt.zeroGrad();
            loss(x, w, y, true);
            GradClip.clipByGlobalNorm(params, 5.0);
            opt.setLearningRate(lr.at(step));
            opt.step();
        }
        double last = loss(x, w, y, false);
        assertThat(first).isGreaterThan(1.0);
        return last;
    }

    /** The mean squared error; with {@code backward}, its gradient reaches {@code w} through matmul's rule. */
    static double loss(Tensor x, Tensor w, float[] y, boolean backward) {
        Tensor pred = Matmul.matmul(x, w);
        float[] upstream = new float[ROWS];
        double sum = 0;
        for (int i = 0; i < ROWS; i++) {
            double r = pred.data()[i] - y[i];
            sum += r * r;
            upstream[i] = (float) (2 * r / ROWS);
        }
        if (backward) {
            pred.backward(upstream);
        }
        return sum / ROWS;
    }

    @Test
    void adamwWithCosineScheduleFitsLeastSquares() {
        double loss = fitLeastSquares(p -> new AdamW(p, AdamWConfig.of(0.1).withWeightDecay(0)),
                "cosine:warmup=20,min=0.01", 400);
        assertThat(loss).isLessThan(1e-9);
    }

    @Test
    void nesterovSgdWithWsdScheduleFitsLeastSquares() {
        double loss = fitLeastSquares(p -> new Sgd(p, SgdConfig.of(0.05).withMomentum(0.9).withNesterov(true)),
                "wsd:warmup=10,decay=0.2", 300);
        assertThat(loss).isLessThan(1e-10);
    }

    @Test
    void adamwMinimisesRosenbrock() {
        // f(a, b) = (1 - a)^2 + 100 (b - a^2)^2, minimum 0 at (1, 1), gradients written by hand.
        Tensor xy = Tensor.of(new float[] {-1.5f, 2f}, 2).requiresGrad(true);
        Parameters params = Parameters.of(List.of(new NamedParameter("xy", xy)));
        AdamW adamw = new AdamW(params, AdamWConfig.of(0.02).withWeightDecay(0));
        LearningRateSchedule lr = LearningRateSchedule.parse("wsd:warmup=100,decay=0.3,tail=sqrt", 0.02, 6000);
        for (int step = 0; step < 6000; step++) {
            double a = xy.data()[0];
            double b = xy.data()[1];
            adamw.zeroGrad();
            float[] g = xy.gradBuffer();
            g[0] = (float) (-2 * (1 - a) - 400 * a * (b - a * a));
            g[1] = (float) (200 * (b - a * a));
            adamw.setLearningRate(lr.at(step));
            adamw.step();
        }
        double a = xy.data()[0];
        double b = xy.data()[1];
        double f = (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);
        assertThat(f).isLessThan(1e-8);
    }
}
