package dev.recur.tasks.recall;

import dev.recur.core.random.Rng;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.TokenTasks;
import java.util.Arrays;

/**
 * Selective copying, the Mamba paper's version (Gu and Dao 2023, "Mamba: Linear-Time Sequence Modeling with
 * Selective State Spaces", section 4.1.1): data tokens at random positions among noise must be reproduced, in
 * order, at the end; the spacing varies, so a time-invariant model cannot solve it by a fixed delay.
 *
 * <p>Encoding of one example, with {@code M = numTokens}, {@code R = seqLen - M}, {@code V = vocabSize}:
 * <ul>
 *   <li>positions {@code 0 .. R-1}: {@code M} data ids drawn uniformly from {@code [1, V-2]} placed at {@code M}
 *   distinct positions drawn uniformly (kept in increasing order); every other position holds the noise id 0;</li>
 *   <li>positions {@code R .. seqLen-1}: the marker id {@code V-1}, {@code M} times.</li>
 * </ul>
 * The answer positions are the {@code M} marker positions: the target at marker {@code j} is the {@code j}-th
 * data id of the region (mask 1); elsewhere target and mask are 0.
 */
public final class SelectiveCopyTask implements TokenTask {
    private final SelectiveCopyConfig config;
    private final Rng base;

    public SelectiveCopyTask(SelectiveCopyConfig config, long seed) {
        this.config = config;
        this.base = new Rng(seed);
    }

    public SelectiveCopyConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "selective-copy";
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int seqLen() {
        return config.seqLen();
    }

    /** The noise id. */
    public int noiseId() {
        return 0;
    }

    /** The copy marker id. */
    public int markerId() {
        return config.vocabSize() - 1;
    }

    @Override
    public TokenBatch batch(int batchSize, long index) {
        int m = config.numTokens();
        int region = config.seqLen() - m;
        return TokenTasks.batchOfExamples("selective-copy", batchSize, index, config.seqLen(), base,
                (rng, inputs, targets, mask, off) -> {
                    int[] positions = TokenTasks.distinct(rng, 0, region, m);
                    Arrays.sort(positions);
                    for (int j = 0; j < m; j++) {
                        int token = 1 + rng.nextInt(config.vocabSize() - 2);
                        inputs[off + positions[j]] = token;
                        inputs[off + region + j] = markerId();
                        targets[off + region + j] = token;
                        mask[off + region + j] = 1f;
                    }
                });
    }

    @Override
    public String renderSample() {
        return TokenTasks.render(batch(1, 0), 0, id -> id == 0 ? "_" : id == markerId() ? "M" : Integer.toString(id));
    }
}
