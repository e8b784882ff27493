package dev.recur.layers.griffin;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.griffin.RecurrentGemmaConfig.BlockType;
import java.util.List;
import java.util.Map;

/** Small RecurrentGemma models with random weights in the ranges trained checkpoints have, and random ids. */
final class RecurrentGemmaTestModels {
    private RecurrentGemmaTestModels() {}

    /**
     * vocab 13, hidden 8, MLP 12, layers recurrent, recurrent, attention, recurrent, attention; LRU width 6 in 2
     * gate blocks, 2 query heads sharing 1 key/value head of 4 dims (2 rotated), window 5, 3 conv taps, soft cap 5
     * (low enough to bend the logits), pad id 0.
     */
    static RecurrentGemmaConfig small() {
        List<BlockType> blocks = List.of(BlockType.RECURRENT, BlockType.RECURRENT, BlockType.ATTENTION,
                BlockType.RECURRENT, BlockType.ATTENTION);
        return new RecurrentGemmaConfig(13, 8, 12, blocks, 6, 2, 1, 4, 2, 10000.0, 5, 3, 1e-6f, 5f, false, false, 0, true);
    }

    static RecurrentGemmaModel random(RecurrentGemmaConfig config, long seed) {
        Rng rng = new Rng(seed);
        return new RecurrentGemmaModel(config, (name, shape) -> make(rng.derive(name.hashCode()), name, shape));
    }

    /** A model whose parameters are copies of {@code values} (same names). */
    static RecurrentGemmaModel copy(RecurrentGemmaConfig config, Map<String, Tensor> values) {
        return new RecurrentGemmaModel(config, (name, shape) -> Tensor.of(values.get(name).data().clone(), shape)
                .requiresGrad(true));
    }

    static Tensor make(Rng rng, String name, int... shape) {
        Tensor t;
        if (name.endsWith("norm.weight")) {
            t = Tensor.uniform(rng, -0.3f, 0.3f, shape);
        } else if (name.endsWith("recurrent_param")) {
            // softplus of these gives decays a = exp(-8 r softplus) from about 0.99 down to 0.01
            t = Tensor.uniform(rng, -6f, 0f, shape);
        } else if (name.endsWith("bias")) {
            t = Tensor.uniform(rng, -0.2f, 0.2f, shape);
        } else {
            t = Tensor.randn(rng, 0.5f, shape);
        }
        return t.requiresGrad(true);
    }

}
