package dev.recur.cli;

import static dev.recur.cli.TaskRunCommandTest.assertMistake;
import static dev.recur.cli.TaskRunCommandTest.train;
import static dev.recur.cli.TaskRunCommandTest.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forecasting from the command line: {@code recur train --csv FILE --target COLUMN} and the chaotic systems write
 * a run folder, {@code recur eval} prints the error and valid prediction time beside persistence (whose NRMSE is
 * recomputed here from the CSV values by plain loops), and bad CSV files fail with one line naming the file, the
 * row and the column.
 */
class ForecastRunCommandTest {
    private static final int ROWS = 200;

    @TempDir
    Path dir;

    private static double value(int t) {
        return 3 + Math.sin(0.21 * t) + 0.5 * Math.cos(0.05 * t);
    }

    private Path csv() throws IOException {
        StringBuilder sb = new StringBuilder("time,y,z\n");
        for (int t = 0; t < ROWS; t++) {
            sb.append(t).append(',').append(String.format(Locale.ROOT, "%.6f", value(t))).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", 100 * Math.cos(0.3 * t))).append('\n');
        }
        return Files.writeString(dir.resolve("data.csv"), sb.toString(), StandardCharsets.UTF_8);
    }

    /** The population standard deviation of column y over the training part. */
    private static double trainingStd(double validation) {
        int cut = (int) Math.floor(ROWS * (1 - validation));
        double mean = 0;
        for (int t = 0; t < cut; t++) {
            mean += Double.parseDouble(String.format(Locale.ROOT, "%.6f", value(t))) / cut;
        }
        double var = 0;
        for (int t = 0; t < cut; t++) {
            double e = Double.parseDouble(String.format(Locale.ROOT, "%.6f", value(t))) - mean;
            var += e * e / cut;
        }
        return Math.sqrt(var);
    }

    /** Persistence NRMSE over the validation windows of column y, from the definitions in docs/TASKS.md. */
    private static double persistenceNrmse(int history, int horizon, double validation) {
        double[] y = new double[ROWS];
        for (int t = 0; t < ROWS; t++) {
            y[t] = Double.parseDouble(String.format(Locale.ROOT, "%.6f", value(t)));
        }
        int cut = (int) Math.floor(ROWS * (1 - validation));
        double std = trainingStd(validation);
        double var = std * std;
        double sum = 0;
        int n = 0;
        for (int start = cut; start + history + horizon <= ROWS; start += horizon) {
            double last = y[start + history - 1];
            for (int k = 0; k < horizon; k++) {
                double e = y[start + history + k] - last;
                sum += e * e / var;
                n++;
            }
        }
        return Math.sqrt(sum / n);
    }

    @Test
    void aCsvRunWritesItsFolderAndEvalComparesWithPersistence() throws IOException {
        Path out = dir.resolve("run");
        CliRun run = CliRun.of(train("--csv", csv().toString(), "--target", "y", "--columns", "z", "-p", "history=16",
                "-p", "horizon=8", "--width", "8", "--steps", "20", "--batch", "4", "--eval-every", "10", "--out",
                out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String f : List.of("train_config.json", "model.safetensors", "metrics.jsonl", "loss.png",
                "MODEL_CARD.md", "data.sha256", "checkpoints/ckpt-20/MANIFEST.sha256")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        List<MetricsRow> rows = MetricsLog.read(out.resolve("metrics.jsonl"));
        assertThat(rows).hasSize(20);
        assertThat(rows.get(9).extras()).containsKeys("val_nrmse", "val_vpt");
        assertThat(rows.get(8).extras()).containsOnlyKeys("grad_norm");

        CliRun eval = CliRun.of("eval", "--model", out.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out().lines().findFirst().orElseThrow()).contains("1 of 2 dims scored");
        Map<String, Double> v = values(eval);
        assertThat(v.get("persistence_nrmse")).isCloseTo(persistenceNrmse(16, 8, 0.2), within(1e-5));
        // One scored column: the plain RMSE is the normalised one times the training part's deviation.
        double std = trainingStd(0.2);
        assertThat(v.get("persistence_rmse")).isCloseTo(v.get("persistence_nrmse") * std, within(1e-4));
        assertThat(v.get("rmse")).isCloseTo(v.get("nrmse") * std, within(1e-4));
        assertThat(v.get("nrmse")).isPositive();
        assertThat(eval.out()).contains("valid_prediction_time ", " time units");
        assertThat(v.get("valid_prediction_time")).isBetween(0.0, 8.0);

        Path data = dir.resolve("data.csv");
        Files.writeString(data, Files.readString(data).replaceFirst("\n5,[^,]*,", "\n5,9.5,"));
        assertMistake(CliRun.of("eval", "--model", out.toString()), "data.csv now gives ");
    }

    @Test
    void aResumedCsvRunEqualsOneThatNeverStopped() throws IOException {
        TaskRunCommandTest.assertResumeIsBitExact(dir, "--csv", csv().toString(), "--target", "y", "-p",
                "history=16", "-p", "horizon=8", "--width", "4", "--batch", "2", "--eval-every", "3");
    }

    @Test
    void theChaoticSystemsTrainFromTheirRegistryNames() {
        Path l96 = dir.resolve("l96");
        CliRun a = CliRun.of(train("--task", "lorenz96", "-p", "samples=400", "-p", "history=10", "-p", "horizon=10",
                "-p", "warmup=5", "--width", "4", "--steps", "2", "--batch", "2", "--out", l96.toString()));
        assertThat(a.exitCode()).as(a.err()).isZero();
        CliRun e = CliRun.of("eval", "--model", l96.toString());
        assertThat(e.exitCode()).as(e.err()).isZero();
        assertThat(e.out()).contains("40 of 40 dims scored", "Lyapunov times");
        Path mg = dir.resolve("mg");
        CliRun b = CliRun.of(train("--task", "mackey-glass", "-p", "samples=300", "-p", "history=10", "-p",
                "horizon=10", "-p", "warmup=20", "--width", "4", "--steps", "2", "--batch", "2", "--out",
                mg.toString()));
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(CliRun.of("eval", "--model", mg.toString()).out()).contains("1 of 1 dims scored", "time units");
    }

    @Test
    void badCsvFilesNameTheFileTheRowAndTheColumn() throws IOException {
        Path good = csv();
        assertMistake(CliRun.of(train("--csv", good.toString(), "--target", "w", "--steps", "2")),
                "data.csv:1: no column 'w'; the columns are [time, y, z]");
        String text = Files.readString(good).replaceFirst("\n3,[^,]*,", "\n3,n/a,");
        Path bad = Files.writeString(dir.resolve("bad.csv"), text, StandardCharsets.UTF_8);
        assertMistake(CliRun.of(train("--csv", bad.toString(), "--target", "y", "--steps", "2")),
                "bad.csv:5: column 'y': expected a finite number, got 'n/a'");
        Path shortFile = Files.writeString(dir.resolve("short.csv"), "y\n1\n2\n3\n4\n", StandardCharsets.UTF_8);
        assertMistake(CliRun.of(train("--csv", shortFile.toString(), "--target", "y", "--steps", "2")),
                "short.csv: expected a training part of at least history + horizon = 40 samples, got 3 of 4");
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "y,z\n1,2\n3\n", StandardCharsets.UTF_8);
        assertMistake(CliRun.of(train("--csv", ragged.toString(), "--target", "y", "--steps", "2")),
                "ragged.csv:3: expected 2 fields as in the header, got 1");
        assertMistake(CliRun.of(train("--csv", good.toString(), "--steps", "2")), "--csv needs --target COLUMN");
        assertMistake(CliRun.of(train("--target", "y", "--steps", "2")), "--target and --columns go with --csv");
        assertMistake(CliRun.of(train("--csv", dir.resolve("none.csv").toString(), "--target", "y")), "none.csv");
    }
}
