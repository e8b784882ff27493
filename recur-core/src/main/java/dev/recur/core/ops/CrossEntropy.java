package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.rows.RowKernels;
import dev.recur.core.kernel.rows.SoftmaxRows;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * Fused, numerically stable softmax cross-entropy with PyTorch's {@code F.cross_entropy(..., ignore_index)}
 * semantics and mean reduction: {@code loss = sum_r (logsumexp(logits[r]) - logits[r, t_r]) / count} over the
 * rows whose target is not ignored, computed as {@code (max_r - logits[r, t_r]) + log(sum exp(logits[r] - max_r))}
 * (as PyTorch's log-softmax) so that large logits keep their precision. Only the per-row maximum and log-sum are
 * saved; the backward recomputes the softmax:
 * {@code dlogits[r] = g / count * (softmax(logits[r]) - onehot(t_r))}, zero on ignored rows.
 *
 * <p>When every target is ignored the mean is {@code 0 / 0}: like PyTorch, the loss is NaN, and its gradient is
 * zero everywhere.
 */
public final class CrossEntropy {
    /** PyTorch's default ignore index. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private CrossEntropy() {}

    /** Cross-entropy of {@code logits [..., V]} against {@code targets [...]}, ignoring none but -100. */
    public static Tensor crossEntropy(Tensor logits, IntTensor targets) {
        return crossEntropy(logits, targets, DEFAULT_IGNORE_INDEX);
    }

    /** Mean cross-entropy of {@code logits [..., V]} against {@code targets [...]}; returns a scalar. */
    public static Tensor crossEntropy(Tensor logits, IntTensor targets, int ignoreIndex) {
        if (logits.rank() == 0 || logits.dim(-1) == 0) {
            throw new RecurException("crossEntropy: expected logits [..., V] with V >= 1, got shape "
                    + Shapes.format(logits.shape()));
        }
        int[] ls = logits.shape();
        int[] expected = Arrays.copyOf(ls, ls.length - 1);
        if (!Arrays.equals(expected, targets.shape())) {
            throw new RecurException("crossEntropy: targets expected shape " + Shapes.format(expected)
                    + " for logits " + Shapes.format(ls) + ", got " + Shapes.format(targets.shape()));
        }
        int v = ls[ls.length - 1];
        IdChecks.requireInRange("crossEntropy", "target", targets, v, ignoreIndex, true);
        int rows = targets.size();
        int[] t = targets.data().clone();
        float[] x = logits.data();
        float[] max = new float[rows];
        float[] logSum = new float[rows];
        SoftmaxRows kernel = RowKernels.softmax();
        kernel.logSumExp(x, max, logSum, rows, v);
        double sum = 0;
        int count = 0;
        for (int r = 0; r < rows; r++) {
            if (t[r] != ignoreIndex) {
                sum += (max[r] - x[r * v + t[r]]) + logSum[r];
                count++;
            }
        }
        float loss = (float) (sum / count);
        int valid = count;
        return Tensor.result("crossEntropy", new float[] {loss}, new int[0], dy -> {
            float[] gx = logits.gradBuffer();
            if (gx == null || valid == 0) {
                return;
            }
            float g = dy[0] / valid;
            float[] scale = new float[rows];
            for (int r = 0; r < rows; r++) {
                if (t[r] != ignoreIndex) {
                    scale[r] = g;
                }
            }
            kernel.addScaledSoftmax(x, max, logSum, scale, gx, rows, v);
            for (int r = 0; r < rows; r++) {
                if (t[r] != ignoreIndex) {
                    gx[r * v + t[r]] -= g;
                }
            }
        }, logits);
    }
}
