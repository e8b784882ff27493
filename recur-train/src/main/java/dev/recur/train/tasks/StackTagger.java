package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.stack.StackConfig;
import dev.recur.layers.stack.StackLm;
import dev.recur.tasks.TokenTask;
import dev.recur.train.Parameters;

/**
 * A {@link StackLm} as a token-task model: ids {@code [B, T]} to logits {@code [B, T, C]} over the task's target
 * classes, each sequence from the empty state. The stack's head has the class count as its width.
 */
public final class StackTagger implements TokenModel {
    private final StackLm model;
    private final Parameters parameters;

    /** Wraps {@code model} (its output size is the class count). */
    public StackTagger(StackLm model) {
        if (model == null) {
            throw new RecurException("StackTagger: a model is required");
        }
        this.model = model;
        this.parameters = Parameters.of(model.parameters());
    }

    /**
     * A fresh stack of {@code spec} for {@code task}: its vocabulary in, its target classes out, width
     * {@code dModel}, SwiGLU MLPs of {@code mlpHidden} units (0: none).
     */
    public static StackTagger create(String spec, TokenTask task, int dModel, int mlpHidden, Rng rng) {
        StackConfig config = StackConfig.of(spec, task.vocabSize(), dModel, mlpHidden)
                .withOutputSize(task.targetClasses());
        return new StackTagger(StackLm.create(config, rng));
    }

    /**
     * A stack for {@code vocab} input ids and {@code outputs} logits per position, without a task at hand (a run
     * folder's saved sizes).
     */
    public static StackTagger of(String spec, int vocab, int outputs, int dModel, int mlpHidden, Rng rng) {
        return new StackTagger(StackLm.create(StackConfig.of(spec, vocab, dModel, mlpHidden).withOutputSize(outputs),
                rng));
    }

    public StackLm model() {
        return model;
    }

    @Override
    public Tensor forward(IntTensor ids) {
        return model.forward(ids, null).logits();
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
