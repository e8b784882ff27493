package dev.recur.tasks.noncausal;

import dev.recur.core.random.Rng;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.TokenTasks;

/**
 * Lookahead: at every position, name the token {@code offset} positions later. The inputs are uniform ids, so
 * a causal model, which has not read that token yet, can do no better than chance ({@code 1 / vocabSize}); an
 * encoder that sees {@code offset} tokens ahead (a bi-directional scan, or LBMamba with a window of more than
 * {@code offset} tokens) can reach 100%. It separates non-causal encoders from causal models in a few hundred
 * steps.
 *
 * <p>Encoding of one example: {@code seqLen} ids uniform in {@code [0, vocabSize)}. Answer positions
 * {@code 0 .. seqLen - offset - 1}: the target at {@code t} is the input at {@code t + offset} (mask 1); the last
 * {@code offset} positions have target and mask 0.
 */
public final class LookaheadTask implements TokenTask {
    private final LookaheadConfig config;
    private final Rng base;

    public LookaheadTask(LookaheadConfig config, long seed) {
        this.config = config;
        this.base = new Rng(seed);
    }

    public LookaheadConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "lookahead";
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
        int k = config.offset();
        return TokenTasks.batchOfExamples("lookahead", batchSize, index, t, base, (rng, inputs, targets, mask, off) -> {
            for (int i = 0; i < t; i++) {
                inputs[off + i] = rng.nextInt(config.vocabSize());
            }
            for (int i = 0; i + k < t; i++) {
                targets[off + i] = inputs[off + i + k];
                mask[off + i] = 1f;
            }
        });
    }

    @Override
    public String renderSample() {
        return TokenTasks.render(batch(1, 0), 0, Integer::toString);
    }
}
