package dev.recur.train.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.train.loop.LoopResult;
import dev.recur.train.loop.TrainingListener;
import dev.recur.train.metrics.MetricsRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop request (what Ctrl-C sends) ends a run after the current step with a checkpoint of that step and no
 * final weights; resuming from it ends with the same weights, bit for bit, as a run that never stopped.
 */
class StoppedRunTest {
    @TempDir
    Path dir;

    private static RunSettings parity(Path out) {
        return Settings.of(out, "task", "parity", "params", Map.of("n", "2", "seq_len", "8"), "width", 4,
                "seed", 1L, "eval_every", 3L, "checkpoint_every", 0L);
    }

    private static LoopResult train(TrainingRun run, long stopAfter) throws IOException {
        return run.train(new TrainingListener() {
            @Override
            public void onStep(MetricsRow row) {
                if (row.step() == stopAfter) {
                    run.requestStop();
                }
            }
        });
    }

    @Test
    void aStoppedRunLeavesACheckpointAndResumesToTheSameBits() throws IOException {
        Path whole = dir.resolve("whole");
        Path stopped = dir.resolve("stopped");
        assertThat(train(TrainingRuns.start(parity(whole)), -1).interrupted()).isFalse();
        LoopResult first = train(TrainingRuns.start(parity(stopped)), 2);
        assertThat(first.interrupted()).isTrue();
        assertThat(first.step()).isEqualTo(2);
        assertThat(stopped.resolve("checkpoints/ckpt-2/MANIFEST.sha256")).isNotEmptyFile();
        assertThat(stopped.resolve(TrainingRun.WEIGHTS)).doesNotExist();
        LoopResult rest = train(TrainingRuns.resume(stopped, 0), -1);
        assertThat(rest.interrupted()).isFalse();
        assertThat(rest.startStep()).isEqualTo(2);
        assertThat(rest.step()).isEqualTo(6);
        assertThat(Files.readAllBytes(stopped.resolve(TrainingRun.WEIGHTS)))
                .isEqualTo(Files.readAllBytes(whole.resolve(TrainingRun.WEIGHTS)));
    }
}
