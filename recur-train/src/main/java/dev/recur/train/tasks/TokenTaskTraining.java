package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.AnswerAccuracy;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.train.GradClip;
import dev.recur.train.optim.AdamW;
import dev.recur.train.optim.AdamWConfig;

/**
 * Trains a {@link TokenModel} on a {@link TokenTask} with AdamW, the answer-position loss and global-norm
 * clipping. Training batch {@code k} is the task's batch {@code k}; evaluation uses batches from index
 * {@code 1 << 40} on, which training never reaches, so the model is scored on examples it has not seen.
 */
public final class TokenTaskTraining {
    /** The first batch index used for evaluation. */
    public static final long EVAL_OFFSET = 1L << 40;

    /**
     * How to train.
     *
     * @param steps         optimiser steps at most
     * @param batchSize     examples per step
     * @param learningRate  AdamW's learning rate (constant)
     * @param clipNorm      global gradient norm limit
     * @param evalEvery     steps between evaluations
     * @param evalBatches   batches of {@code batchSize} per evaluation
     * @param target        stop once an evaluation reaches this answer accuracy
     */
    public record Config(int steps, int batchSize, double learningRate, double clipNorm, int evalEvery,
                         int evalBatches, double target) {
        public Config {
            if (steps <= 0 || batchSize <= 0 || evalEvery <= 0 || evalBatches <= 0) {
                throw new RecurException("TokenTaskTraining.Config: steps, batchSize, evalEvery and evalBatches "
                        + "must be positive, got " + steps + ", " + batchSize + ", " + evalEvery + ", " + evalBatches);
            }
            if (!(learningRate > 0) || !(clipNorm > 0)) {
                throw new RecurException("TokenTaskTraining.Config: learningRate and clipNorm must be positive, got "
                        + learningRate + ", " + clipNorm);
            }
        }
    }

    /** What a run reached: the steps taken, the last evaluation's accuracy and the last training loss. */
    public record Result(int steps, double accuracy, double loss) {}

    /** Told the outcome of every evaluation. */
    public interface Progress {
        /** After {@code step} steps: the last training loss and the held-out answer accuracy. */
        void evaluated(int step, double loss, double accuracy);
    }

    private TokenTaskTraining() {}

    /** Trains until the target accuracy or the step limit, evaluating every {@code evalEvery} steps. */
    public static Result train(TokenModel model, TokenTask task, Config config) {
        return train(model, task, config, (step, loss, accuracy) -> { });
    }

    /** As {@link #train(TokenModel, TokenTask, Config)}, reporting each evaluation to {@code progress}. */
    public static Result train(TokenModel model, TokenTask task, Config config, Progress progress) {
        AdamW opt = new AdamW(model.parameters(), AdamWConfig.of(config.learningRate()).withWeightDecay(0));
        double accuracy = 0;
        double loss = Double.NaN;
        int step = 0;
        while (step < config.steps()) {
            TokenBatch batch = task.batch(config.batchSize(), step);
            opt.zeroGrad();
            Tensor l = model.loss(batch);
            l.backward();
            GradClip.clipByGlobalNorm(model.parameters(), config.clipNorm());
            opt.step();
            loss = l.item();
            step++;
            if (step % config.evalEvery() == 0 || step == config.steps()) {
                accuracy = evaluate(model, task, config.batchSize(), config.evalBatches());
                progress.evaluated(step, loss, accuracy);
                if (accuracy >= config.target()) {
                    break;
                }
            }
        }
        return new Result(step, accuracy, loss);
    }

    /**
     * The model's logits for a batch, shaped as the batch's targets plus a class axis: {@code [B, T, C]}, or
     * {@code [B, T, heads, C]} for a multi-head task, whose model emits {@code heads * C} logits per position
     * (head-major).
     */
    public static Tensor logits(TokenModel model, TokenBatch batch) {
        return splitHeads(model.forward(batch.inputs()), batch);
    }

    /** A model's logits {@code [B, T, heads * C]} as {@link #logits} returns them for {@code batch}'s heads. */
    public static Tensor splitHeads(Tensor y, TokenBatch batch) {
        if (batch.targets().rank() == 2) {
            return y;
        }
        int heads = batch.targets().dim(2);
        if (y.rank() != 3 || y.dim(2) % heads != 0) {
            throw new RecurException("TokenTaskTraining: expected logits [B, T, heads * classes] for " + heads
                    + " heads, got " + Shapes.format(y.shape()));
        }
        return Reshaping.reshape(y, y.dim(0), y.dim(1), heads, y.dim(2) / heads);  // [B, T, heads, C]
    }

    /**
     * Held-out scores: the answer accuracy over all answer positions, the accuracy of each output head (one entry
     * for a single-head task), and the mean answer loss per batch.
     */
    public record Scores(double accuracy, double[] perHead, double loss, long answers) {}

    /** Answer accuracy over {@code batches} held-out batches, without recording gradients. */
    public static double evaluate(TokenModel model, TokenTask task, int batchSize, int batches) {
        return score(model, task, batchSize, batches).accuracy();
    }

    /** {@link Scores} over {@code batches} held-out batches (from {@link #EVAL_OFFSET}), without gradients. */
    public static Scores score(TokenModel model, TokenTask task, int batchSize, int batches) {
        if (batchSize <= 0 || batches <= 0) {
            throw new RecurException("TokenTaskTraining.score: expected a positive batch size and batch count, got "
                    + batchSize + ", " + batches);
        }
        double correct = 0;
        long answers = 0;
        double[] headRight = null;
        long[] headTotal = null;
        double loss = 0;
        try (var scope = GradMode.noGrad()) {
            for (int k = 0; k < batches; k++) {
                TokenBatch batch = task.batch(batchSize, EVAL_OFFSET + k);
                Tensor logits = logits(model, batch);
                loss += AnswerLoss.of(logits, batch).item() / batches;
                IntTensor predicted = AnswerAccuracy.argmax(logits);
                double acc = AnswerAccuracy.of(batch, predicted);
                int n = batch.answerCount();
                correct += n == 0 ? 0 : acc * n;
                answers += n;
                int heads = batch.targets().rank() == 3 ? batch.targets().dim(2) : 1;
                if (headRight == null) {
                    headRight = new double[heads];
                    headTotal = new long[heads];
                }
                double[] per = heads == 1 ? new double[] {acc} : AnswerAccuracy.perHead(batch, predicted);
                long[] counts = answersPerHead(batch, heads);
                for (int h = 0; h < heads; h++) {
                    headRight[h] += counts[h] == 0 ? 0 : per[h] * counts[h];
                    headTotal[h] += counts[h];
                }
            }
        }
        double[] perHead = new double[headRight.length];
        for (int h = 0; h < perHead.length; h++) {
            perHead[h] = headTotal[h] == 0 ? Double.NaN : headRight[h] / headTotal[h];
        }
        return new Scores(answers == 0 ? Double.NaN : correct / answers, perHead, loss, answers);
    }

    private static long[] answersPerHead(TokenBatch batch, int heads) {
        long[] n = new long[heads];
        float[] m = batch.mask().data();
        for (int i = 0; i < m.length; i++) {
            n[i % heads] += m[i] != 0f ? 1 : 0;
        }
        return n;
    }
}
