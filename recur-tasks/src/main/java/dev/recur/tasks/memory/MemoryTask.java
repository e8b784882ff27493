package dev.recur.tasks.memory;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.TokenTasks;

/**
 * N-parity and N-delayed-match-to-sample (N-DMS), the memory tasks of Khajehabdollahi et al. 2023, "Emergent
 * mechanisms for long timescales depend on training curriculum and affect performance in memory tasks": a stream
 * of random bits is read one per step and, at every step with enough history, the model answers for each head.
 *
 * <p>Encoding: inputs {@code [batch, seqLen]} of ids 0 and 1 (vocabulary 2), independent fair bits. For a head of
 * memory length {@code N}, at position {@code t}:
 * <ul>
 *   <li>parity: target {@code (x[t-N+1] + ... + x[t]) mod 2}, answered from {@code t = N-1};</li>
 *   <li>DMS: target 1 if {@code x[t] == x[t-N]} else 0, answered from {@code t = N}.</li>
 * </ul>
 * Earlier positions have target 0 and mask 0. With one head the targets and mask are {@code [batch, seqLen]};
 * with several (the multi-head curriculum) they are {@code [batch, seqLen, heads]}, head {@code h} answering for
 * {@code ns[h]}. Targets have 2 classes.
 */
public final class MemoryTask implements TokenTask {
    private final MemoryConfig config;
    private final Rng base;

    public MemoryTask(MemoryConfig config, long seed) {
        this.config = config;
        this.base = new Rng(seed);
    }

    public MemoryConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.kind().taskName();
    }

    @Override
    public int vocabSize() {
        return 2;
    }

    @Override
    public int targetClasses() {
        return 2;
    }

    @Override
    public int seqLen() {
        return config.seqLen();
    }

    @Override
    public TokenBatch batch(int batchSize, long index) {
        TokenTasks.requireBatch(name(), batchSize, index);
        int t = config.seqLen();
        int[] ns = config.ns();
        int heads = ns.length;
        int[] inputs = new int[batchSize * t];
        int[] targets = new int[batchSize * t * heads];
        float[] mask = new float[batchSize * t * heads];
        for (int b = 0; b < batchSize; b++) {
            Rng rng = base.derive(index * batchSize + b);
            for (int i = 0; i < t; i++) {
                inputs[b * t + i] = rng.nextInt(2);
            }
            for (int h = 0; h < heads; h++) {
                for (int i = config.kind().firstAnswer(ns[h]); i < t; i++) {
                    int k = (b * t + i) * heads + h;
                    targets[k] = config.kind().target(inputs, b * t, i, ns[h]);
                    mask[k] = 1f;
                }
            }
        }
        int[] shape = heads == 1 ? new int[] {batchSize, t} : new int[] {batchSize, t, heads};
        return new TokenBatch(index, IntTensor.of(inputs, batchSize, t), IntTensor.of(targets, shape),
                Tensor.of(mask, shape));
    }

    @Override
    public String renderSample() {
        TokenBatch batch = batch(1, 0);
        int t = config.seqLen();
        int heads = config.heads();
        StringBuilder s = new StringBuilder("inputs     : ");
        for (int i = 0; i < t; i++) {
            s.append(batch.inputs().data()[i]);
        }
        s.append('\n');
        int[] ns = config.ns();
        for (int h = 0; h < heads; h++) {
            s.append(String.format("N=%-3d target: ", ns[h]));
            for (int i = 0; i < t; i++) {
                int k = i * heads + h;
                s.append(batch.mask().data()[k] != 0f ? Integer.toString(batch.targets().data()[k]) : ".");
            }
            s.append('\n');
        }
        return s.toString();
    }
}
