package dev.recur.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.tasks.TokenTask;
import dev.recur.train.tasks.TokenModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop request (what Ctrl-C sends) ends the loop after the current step with a checkpoint of that step and no
 * final weights; resuming from it ends with the same weights, bit for bit, as a run that never stopped.
 */
class RunLoopTest {
    @TempDir
    Path dir;

    private static final TaskRunConfig CFG = new TaskRunConfig("parity", Map.of("n", "2", "seq_len", "8"), List.of(),
            "lstm", 4, 1, 2, 6, 2, 0.01, "constant", 1.0, 0.0, 1, 3, 0);

    private RunLoop.Outcome run(Path runDir, boolean resume, int stopAfterCalls) throws IOException {
        Files.createDirectories(runDir);
        TokenTask task = (TokenTask) CFG.createTask();
        TokenModel model = TaskRun.buildModel(CFG, task);
        AtomicInteger calls = new AtomicInteger();
        return RunLoop.run(CFG, model.parameters(), new TaskRun.TokenWork(CFG, task, model), runDir, resume,
                new PrintWriter(new StringWriter()), "t", "answer_accuracy", "accuracy",
                () -> calls.incrementAndGet() >= stopAfterCalls);
    }

    @Test
    void aStoppedRunLeavesACheckpointAndResumesToTheSameBits() throws IOException {
        Path whole = dir.resolve("whole");
        Path stopped = dir.resolve("stopped");
        assertThat(run(whole, false, Integer.MAX_VALUE).interrupted()).isFalse();
        RunLoop.Outcome first = run(stopped, false, 2);
        assertThat(first.interrupted()).isTrue();
        assertThat(first.step()).isEqualTo(2);
        assertThat(stopped.resolve("checkpoints/ckpt-2/MANIFEST.sha256")).isNotEmptyFile();
        assertThat(stopped.resolve(RunRecorder.WEIGHTS)).doesNotExist();
        RunLoop.Outcome rest = run(stopped, true, Integer.MAX_VALUE);
        assertThat(rest.interrupted()).isFalse();
        assertThat(rest.step()).isEqualTo(6);
        assertThat(Files.readAllBytes(stopped.resolve(RunRecorder.WEIGHTS)))
                .isEqualTo(Files.readAllBytes(whole.resolve(RunRecorder.WEIGHTS)));
    }
}
