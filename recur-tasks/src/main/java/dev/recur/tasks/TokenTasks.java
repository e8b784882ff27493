package dev.recur.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.util.function.IntFunction;

/** Sampling and rendering shared by the token tasks. */
public final class TokenTasks {
    private TokenTasks() {
    }

    /** Checks a batch request; the message names the task. */
    public static void requireBatch(String task, int batchSize, long index) {
        if (batchSize < 1 || index < 0) {
            throw new RecurException(task + ": expected batchSize >= 1 and index >= 0, got batchSize " + batchSize
                    + ", index " + index);
        }
    }

    /** Writes one example at offset {@code off} of a batch's flat {@code [B, T]} inputs, targets and mask. */
    @FunctionalInterface
    public interface ExampleWriter {
        void write(Rng rng, int[] inputs, int[] targets, float[] mask, int off);
    }

    /**
     * A single-head batch of {@code batchSize} independent examples of {@code seqLen} tokens: example {@code b}
     * of batch {@code index} is written from {@code base.derive(index * batchSize + b)}, so any batch can be
     * regenerated on its own. Checks the request first; the message names the task.
     */
    public static TokenBatch batchOfExamples(String task, int batchSize, long index, int seqLen, Rng base,
                                             ExampleWriter example) {
        requireBatch(task, batchSize, index);
        int[] inputs = new int[batchSize * seqLen];
        int[] targets = new int[batchSize * seqLen];
        float[] mask = new float[batchSize * seqLen];
        for (int b = 0; b < batchSize; b++) {
            example.write(base.derive(index * batchSize + b), inputs, targets, mask, b * seqLen);
        }
        return new TokenBatch(index, IntTensor.of(inputs, batchSize, seqLen), IntTensor.of(targets, batchSize, seqLen),
                Tensor.of(mask, batchSize, seqLen));
    }

    /** {@code count} distinct ids from {@code [low, high)} in random order (a partial Fisher-Yates shuffle). */
    public static int[] distinct(Rng rng, int low, int high, int count) {
        int n = high - low;
        int[] pool = new int[n];
        for (int i = 0; i < n; i++) {
            pool[i] = low + i;
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = pool[i];
            pool[i] = pool[j];
            pool[j] = tmp;
            out[i] = pool[i];
        }
        return out;
    }

    /**
     * {@code count} distinct indices drawn one after another with probability proportional to {@code weight},
     * renormalised over those not yet drawn (numpy's {@code choice(replace=False, p=...)} rule).
     */
    public static int[] weightedWithoutReplacement(Rng rng, double[] weight, int count) {
        double[] w = weight.clone();
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            double total = 0;
            for (double x : w) {
                total += x;
            }
            double u = rng.nextDouble() * total;
            int pick = -1;
            double acc = 0;
            for (int j = 0; j < w.length; j++) {
                if (w[j] > 0) {
                    pick = j;
                    acc += w[j];
                    if (u < acc) {
                        break;
                    }
                }
            }
            out[i] = pick;
            w[pick] = 0;
        }
        return out;
    }

    /**
     * Row {@code row} of a single-head batch as two lines: the inputs (a run of four or more equal ids written
     * {@code id*count}) and the answers as {@code position=target}.
     */
    public static String render(TokenBatch batch, int row, IntFunction<String> token) {
        int t = batch.seqLen();
        int[] in = batch.inputs().data();
        StringBuilder line = new StringBuilder("inputs : ");
        for (int i = 0; i < t; ) {
            int j = i;
            while (j < t && in[row * t + j] == in[row * t + i]) {
                j++;
            }
            int run = j - i;
            if (run >= 4) {
                line.append(token.apply(in[row * t + i])).append('*').append(run).append(' ');
            } else {
                for (int k = i; k < j; k++) {
                    line.append(token.apply(in[row * t + k])).append(' ');
                }
            }
            i = j;
        }
        StringBuilder answers = new StringBuilder("answers:");
        for (int i = 0; i < t; i++) {
            int k = row * t + i;
            if (batch.mask().data()[k] != 0f) {
                answers.append(' ').append(i).append('=').append(token.apply(batch.targets().data()[k]));
            }
        }
        return line.toString().stripTrailing() + "\n" + answers + "\n";
    }
}
