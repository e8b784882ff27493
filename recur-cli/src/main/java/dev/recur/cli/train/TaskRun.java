package dev.recur.cli.train;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.tasks.Task;
import dev.recur.tasks.TaskRegistry;
import dev.recur.tasks.TokenTask;
import dev.recur.train.tasks.LstmTagger;
import dev.recur.train.tasks.TokenTaskTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code recur train --task NAME}: trains an {@link LstmTagger} on a single-head token task of the registry and
 * prints the held-out answer accuracy after every evaluation round.
 */
public final class TaskRun {
    private static final int EMBED = 16;
    private static final int EVAL_BATCHES = 4;

    private TaskRun() {}

    /** Runs up to {@code steps} steps, evaluating every {@code evalEvery}; stops early at 100% accuracy. */
    public static void run(String name, Map<String, String> params, long seed, int width, long steps, int batch,
                           double lr, double clip, long evalEvery, PrintWriter out) throws IOException {
        if (steps < 1 || steps > Integer.MAX_VALUE || evalEvery < 0) {
            throw new RecurException("recur train --task: expected 1 <= --steps <= 2^31-1 and --eval-every >= 0, got "
                    + steps + " and " + evalEvery);
        }
        int every = (int) (evalEvery == 0 ? steps : Math.min(evalEvery, steps));
        Task task = TaskRegistry.find(name).create(params, seed);
        if (!(task instanceof TokenTask tokens)) {
            throw new RecurException("recur train --task: '" + name + "' is a forecasting task; only token tasks "
                    + "train here");
        }
        if (tokens.batch(1, 0).targets().rank() != 2) {
            throw new RecurException("recur train --task: '" + name + "' has several output heads; use heads=single");
        }
        LstmTagger model = new LstmTagger(tokens.vocabSize(), EMBED, width, tokens.targetClasses(), new Rng(seed));
        out.printf("%s: LSTM tagger, %d units, %,d parameters%n", name, width, model.parameters().numel());
        out.flush();
        long start = System.nanoTime();
        var config = new TokenTaskTraining.Config((int) steps, batch, lr, clip, every, EVAL_BATCHES, 1.0);
        TokenTaskTraining.train(model, tokens, config, (step, loss, accuracy) -> {
            out.printf("step %d  loss %.4f  answer accuracy %.4f  %.1f s%n", step, loss, accuracy,
                    (System.nanoTime() - start) / 1e9);
            out.flush();
        });
    }
}
