package dev.recur.tasks.listops;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.TokenTasks;
import java.util.ArrayList;
import java.util.List;

/**
 * ListOps (Nangia and Bowman 2018, "ListOps: A Diagnostic Dataset for Latent Tree Learning") as generated for Long
 * Range Arena (Tay et al. 2021): nested MIN, MAX, MED and SM (sum mod 10) over digits; the answer is a digit.
 *
 * <p>The generator is LRA's: an expression at level {@code d < maxDepth} is an operator with probability 0.25
 * (else a digit, uniform), always a digit at {@code maxDepth}; an operator is uniform over the four and takes a
 * uniform number of arguments in {@code [2, maxArgs]}, each generated at level {@code d + 1}. Trees are drawn from
 * level 1 until one has a token count strictly between {@code minLength} and {@code maxLength}.
 *
 * <p>Encoding ({@link ListOpsTokens}, vocabulary 16): the tree's tokens in reading order, e.g. {@code [MAX 2 9 ]},
 * then padding (id 0) up to {@code maxLength}; inputs {@code [batch, maxLength]}. The answer position is the last
 * token, the root's closing {@code ]} at index {@code tokenCount - 1}: there the target is the value as a class
 * 0 to 9 ({@link #targetClasses()} is 10) and the mask is 1; elsewhere target and mask are 0.
 */
public final class ListOpsTask implements TokenTask {
    private static final double OPERATOR_P = 0.25;
    private static final int MAX_TRIES = 1_000_000;
    private final ListOpsConfig config;
    private final Rng base;

    public ListOpsTask(ListOpsConfig config, long seed) {
        this.config = config;
        this.base = new Rng(seed);
    }

    public ListOpsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "listops";
    }

    @Override
    public int vocabSize() {
        return ListOpsTokens.VOCAB_SIZE;
    }

    @Override
    public int targetClasses() {
        return 10;
    }

    @Override
    public int seqLen() {
        return config.maxLength();
    }

    /** Example {@code id}'s tree. */
    public ListOpsTree tree(long id) {
        Rng rng = base.derive(id);
        for (int i = 0; i < MAX_TRIES; i++) {
            int[] budget = {config.maxLength()};
            ListOpsTree t = generate(rng, 1, budget);
            if (t != null) {
                int n = t.tokenCount();
                if (n > config.minLength() && n < config.maxLength()) {
                    return t;
                }
            }
        }
        throw new RecurException("listops: no tree with between " + config.minLength() + " and "
                + config.maxLength() + " tokens in " + MAX_TRIES + " draws; widen the length window");
    }

    /**
     * One draw of LRA's recursion; null once the tree has used up {@code budget} tokens (it would be rejected
     * anyway, so the rest of it is not built).
     */
    private ListOpsTree generate(Rng rng, int depth, int[] budget) {
        double r = depth < config.maxDepth() ? rng.nextDouble() : 1.0;
        if (r > OPERATOR_P) {
            budget[0] -= 1;
            return budget[0] <= 0 ? null : new ListOpsTree.Digit(rng.nextInt(10));
        }
        int count = 2 + rng.nextInt(config.maxArgs() - 1);
        budget[0] -= 2;
        List<ListOpsTree> args = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (budget[0] <= 0) {
                return null;
            }
            ListOpsTree arg = generate(rng, depth + 1, budget);
            if (arg == null) {
                return null;
            }
            args.add(arg);
        }
        ListOpsOperator op = ListOpsOperator.values()[rng.nextInt(4)];
        return budget[0] <= 0 ? null : new ListOpsTree.Apply(op, args);
    }

    @Override
    public TokenBatch batch(int batchSize, long index) {
        TokenTasks.requireBatch("listops", batchSize, index);
        int t = config.maxLength();
        int[] inputs = new int[batchSize * t];
        int[] targets = new int[batchSize * t];
        float[] mask = new float[batchSize * t];
        for (int b = 0; b < batchSize; b++) {
            ListOpsTree tree = tree(index * batchSize + b);
            int[] ids = ListOpsTokens.encode(tree);
            System.arraycopy(ids, 0, inputs, b * t, ids.length);
            targets[b * t + ids.length - 1] = tree.evaluate();
            mask[b * t + ids.length - 1] = 1f;
        }
        return new TokenBatch(index, IntTensor.of(inputs, batchSize, t), IntTensor.of(targets, batchSize, t),
                Tensor.of(mask, batchSize, t));
    }

    @Override
    public String renderSample() {
        ListOpsTree tree = tree(0);
        int[] ids = ListOpsTokens.encode(tree);
        StringBuilder s = new StringBuilder("tokens (" + ids.length + "): ");
        for (int id : ids) {
            s.append(ListOpsTokens.text(id)).append(' ');
        }
        return s.toString().stripTrailing() + "\nanswer at position " + (ids.length - 1) + ": " + tree.evaluate()
                + "\n";
    }
}
