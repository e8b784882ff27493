package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code recur train --task}: trains an LSTM tagger on a token task and refuses what it cannot train. */
class TrainTaskCommandTest {

    @Test
    void learnsThreeParity() {
        CliRun run = CliRun.of("train", "--task", "parity", "-p", "n=3", "-p", "seq_len=32", "--width", "32",
                "--steps", "400", "--eval-every", "50", "--seed", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher m = Pattern.compile("answer accuracy (\\d\\.\\d+)").matcher(run.out());
        double last = -1;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        assertThat(last).as(run.out()).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void refusesAForecastingTask() {
        CliRun run = CliRun.of("train", "--task", "lorenz96", "--steps", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'lorenz96' is a forecasting task");
    }
}
