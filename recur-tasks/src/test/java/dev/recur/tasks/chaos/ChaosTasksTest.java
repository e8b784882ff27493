package dev.recur.tasks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.registry.TaskRegistry;
import dev.recur.tasks.series.ForecastMetrics;
import dev.recur.tasks.series.ForecastTask;
import dev.recur.tasks.series.ForecastWindows;
import dev.recur.tasks.series.WindowBatch;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosTasksTest {
    private static ForecastTask build(String name, Map<String, String> params, long seed) throws IOException {
        return (ForecastTask) TaskRegistry.find(name).create(params, seed);
    }

    @Test
    void everySystemIsDeterministicBySeed() throws IOException {
        for (String name : new String[] {"lorenz96", "kuramoto-sivashinsky", "mackey-glass"}) {
            Map<String, String> small = Map.of("samples", "600", "history", "20", "horizon", "20");
            ForecastWindows a = build(name, small, 5).windows();
            ForecastWindows b = build(name, small, 5).windows();
            ForecastWindows c = build(name, small, 6).windows();
            assertThat(a.series().values()).as(name).isEqualTo(b.series().values());
            assertThat(a.series().values()).as(name).isNotEqualTo(c.series().values());
            assertThat(a.trainingBatch(8, 3).history().data()).isEqualTo(b.trainingBatch(8, 3).history().data());
        }
    }

    /**
     * End to end on Lorenz-96: continuing each window with the true integrator from its last (float-rounded) history
     * state is valid over the whole 5-time-unit horizon, while persistence fails within a fraction of a Lyapunov time.
     */
    @Test
    void theTrueDynamicsBeatPersistenceOnLorenz96() throws IOException {
        ForecastTask task = build("lorenz96", Map.of("samples", "5000"), 1);
        ForecastWindows w = task.windows();
        WindowBatch batch = w.validationBatch(8, 0);
        assertThat(batch.batchSize()).isEqualTo(8);
        Lorenz96 sys = Lorenz96.STANDARD;
        int h = w.spec().history();
        int f = w.spec().horizon();
        int d = sys.dims();
        float[] pred = new float[8 * f * d];
        for (int b = 0; b < 8; b++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = batch.history().data()[(b * h + h - 1) * d + j];
            }
            for (int k = 0; k < f; k++) {
                for (int s = 0; s < sys.stepsPerSample(); s++) {
                    sys.rk4(x, sys.step());
                }
                for (int j = 0; j < d; j++) {
                    pred[(b * f + k) * d + j] = (float) x[j];
                }
            }
        }
        Tensor truth = batch.future();
        double horizonLyapunov = f * sys.sampleInterval() * Lorenz96.LYAPUNOV_40_8;
        double model = ForecastMetrics.validPredictionTime(Tensor.of(pred, 8, f, d), truth, w.scale(), 0.5,
                sys.sampleInterval(), task.lyapunovExponent());
        Tensor persistence = ForecastMetrics.persistence(batch.history(), f);
        double baseline = ForecastMetrics.validPredictionTime(persistence, truth, w.scale(), 0.5,
                sys.sampleInterval(), task.lyapunovExponent());
        assertThat(model).isCloseTo(horizonLyapunov, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(baseline).isLessThan(0.5);
        assertThat(ForecastMetrics.nrmse(persistence, truth, w.scale())).isGreaterThan(1.0);
        assertThat(ForecastMetrics.nrmse(Tensor.of(pred, 8, f, d), truth, w.scale())).isLessThan(0.01);
    }
}
