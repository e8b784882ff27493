package dev.recur.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/** The metric of the token tasks: accuracy over the answer positions (where the batch's mask is non-zero). */
public final class AnswerAccuracy {
    private AnswerAccuracy() {
    }

    /**
     * The predicted class at every position: the arg-max over the last axis of {@code logits}
     * ({@code [..., classes]}); ties go to the lowest class.
     */
    public static IntTensor argmax(Tensor logits) {
        int[] shape = logits.shape();
        if (shape.length < 2) {
            throw new RecurException("AnswerAccuracy.argmax: expected logits [..., classes], got "
                    + Arrays.toString(shape));
        }
        int classes = shape[shape.length - 1];
        float[] x = logits.data();
        int rows = x.length / classes;
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (x[r * classes + c] > x[r * classes + best]) {
                    best = c;
                }
            }
            out[r] = best;
        }
        return IntTensor.of(out, Arrays.copyOf(shape, shape.length - 1));
    }

    /** The fraction of answer positions whose prediction equals the target (NaN when there is none). */
    public static double of(TokenBatch batch, IntTensor predictions) {
        check(batch, predictions);
        int[] p = predictions.data();
        int[] t = batch.targets().data();
        float[] m = batch.mask().data();
        long right = 0;
        long total = 0;
        for (int i = 0; i < p.length; i++) {
            if (m[i] != 0f) {
                total++;
                right += p[i] == t[i] ? 1 : 0;
            }
        }
        return total == 0 ? Double.NaN : (double) right / total;
    }

    /** Accuracy per output head for targets {@code [batch, seqLen, heads]}. */
    public static double[] perHead(TokenBatch batch, IntTensor predictions) {
        check(batch, predictions);
        if (batch.targets().rank() != 3) {
            throw new RecurException("AnswerAccuracy.perHead: expected targets [batch, seqLen, heads], got "
                    + Arrays.toString(batch.targets().shape()));
        }
        int heads = batch.targets().dim(2);
        long[] right = new long[heads];
        long[] total = new long[heads];
        int[] p = predictions.data();
        int[] t = batch.targets().data();
        float[] m = batch.mask().data();
        for (int i = 0; i < p.length; i++) {
            if (m[i] != 0f) {
                total[i % heads]++;
                right[i % heads] += p[i] == t[i] ? 1 : 0;
            }
        }
        double[] acc = new double[heads];
        for (int h = 0; h < heads; h++) {
            acc[h] = total[h] == 0 ? Double.NaN : (double) right[h] / total[h];
        }
        return acc;
    }

    private static void check(TokenBatch batch, IntTensor predictions) {
        if (!Arrays.equals(predictions.shape(), batch.targets().shape())) {
            throw new RecurException("AnswerAccuracy: expected predictions of the targets' shape "
                    + Arrays.toString(batch.targets().shape()) + ", got " + Arrays.toString(predictions.shape()));
        }
    }
}
