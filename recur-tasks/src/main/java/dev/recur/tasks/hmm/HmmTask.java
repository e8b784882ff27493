package dev.recur.tasks.hmm;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.TokenTasks;
import java.util.Arrays;

/**
 * Next-token prediction on the emissions of a hidden Markov model with a fully connected, cyclic or linear-chain
 * transition structure. The model is drawn once from the seed ({@link HiddenMarkovModel#random}); every example is
 * a fresh emission sequence. Because the generating process is known, the best achievable loss is known too: the
 * metric is the model's next-token loss minus the HMM's own (forward-algorithm) loss on the same tokens, in nats.
 *
 * <p>Encoding: each example emits {@code seqLen + 1} ids {@code x[0..seqLen]} in {@code [0, V)}; inputs are
 * {@code x[0..seqLen-1]}, targets {@code x[1..seqLen]} (the next id), and every position is an answer position
 * (mask 1).
 */
public final class HmmTask implements TokenTask {
    private final HmmConfig config;
    private final HiddenMarkovModel model;
    private final Rng base;

    public HmmTask(HmmConfig config, long seed) {
        this.config = config;
        Rng root = new Rng(seed);
        this.model = HiddenMarkovModel.random(config.states(), config.vocabSize(), config.structure(),
                config.concentration(), root.derive(-1));
        this.base = root.derive(-2);
    }

    public HmmConfig config() {
        return config;
    }

    /** The generating model. */
    public HiddenMarkovModel model() {
        return model;
    }

    @Override
    public String name() {
        return "hmm";
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int seqLen() {
        return config.seqLen();
    }

    @Override
    public TokenBatch batch(int batchSize, long index) {
        int t = config.seqLen();
        return TokenTasks.batchOfExamples("hmm", batchSize, index, t, base, (rng, inputs, targets, mask, off) -> {
            int[] x = model.sample(rng, t + 1);
            System.arraycopy(x, 0, inputs, off, t);
            System.arraycopy(x, 1, targets, off, t);
            Arrays.fill(mask, off, off + t, 1f);
        });
    }

    /** The HMM's mean next-token loss (nats) over the batch's answer positions, computed in double. */
    public double optimalLoss(TokenBatch batch) {
        int t = batch.seqLen();
        double sum = 0;
        long count = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            int[] x = sequence(batch, b);
            double[][] next = model.nextDistributions(x);
            for (int i = 0; i < t; i++) {
                if (batch.mask().data()[b * t + i] != 0f) {
                    sum -= Math.log(next[i][x[i + 1]]);
                    count++;
                }
            }
        }
        return sum / count;
    }

    /** A model's mean next-token loss (nats) from its logits {@code [batch, seqLen, V]}, in double. */
    public static double modelLoss(Tensor logits, TokenBatch batch) {
        int t = batch.seqLen();
        if (logits.rank() != 3 || logits.dim(0) != batch.batchSize() || logits.dim(1) != t) {
            throw new RecurException("hmm: expected logits [" + batch.batchSize() + ", " + t + ", vocab], got "
                    + Arrays.toString(logits.shape()));
        }
        int v = logits.dim(2);
        float[] z = logits.data();
        double sum = 0;
        long count = 0;
        for (int r = 0; r < batch.batchSize() * t; r++) {
            if (batch.mask().data()[r] == 0f) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, z[r * v + k]);
            }
            double lse = 0;
            for (int k = 0; k < v; k++) {
                lse += Math.exp(z[r * v + k] - max);
            }
            int target = batch.targets().data()[r];
            sum += Math.log(lse) + max - z[r * v + target];
            count++;
        }
        return sum / count;
    }

    /** The metric: the model's loss minus the HMM's optimal loss on the same batch (nats; 0 is the best). */
    public double excessLoss(Tensor logits, TokenBatch batch) {
        return modelLoss(logits, batch) - optimalLoss(batch);
    }

    private static int[] sequence(TokenBatch batch, int row) {
        int t = batch.seqLen();
        int[] x = new int[t + 1];
        System.arraycopy(batch.inputs().data(), row * t, x, 0, t);
        x[t] = batch.targets().data()[row * t + t - 1];
        return x;
    }

    @Override
    public String renderSample() {
        TokenBatch batch = batch(1, 0);
        StringBuilder s = new StringBuilder("ids    : ");
        for (int id : sequence(batch, 0)) {
            s.append(id).append(' ');
        }
        s.append(String.format("%noptimal next-token loss on this sequence: %.4f nats (uniform guess: %.4f)%n",
                optimalLoss(batch), Math.log(config.vocabSize())));
        return s.toString();
    }
}
