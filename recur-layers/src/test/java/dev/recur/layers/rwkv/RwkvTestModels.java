package dev.recur.layers.rwkv;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.util.Map;

/** Small RWKV models with random weights in the ranges trained checkpoints have, and random token ids. */
final class RwkvTestModels {
    private RwkvTestModels() {}

    /** vocab 13, hidden 8, attention 6, intermediate 12, 3 blocks, the given rescaling and tying. */
    static RwkvConfig small(int rescaleEvery, boolean tied) {
        return new RwkvConfig(13, 8, 6, 12, 3, 1e-5f, rescaleEvery, tied);
    }

    static RwkvModel random(RwkvConfig config, long seed) {
        Rng rng = new Rng(seed);
        return new RwkvModel(config, (name, shape) -> make(rng.derive(name.hashCode()), name, shape));
    }

    /** A model whose parameters are copies of {@code values} (same names), e.g. to compare tied and untied heads. */
    static RwkvModel copy(RwkvConfig config, Map<String, Tensor> values) {
        return new RwkvModel(config, (name, shape) -> Tensor.of(values.get(name).data().clone(), shape)
                .requiresGrad(true));
    }

    static Tensor make(Rng rng, String name, int... shape) {
        Tensor t;
        if (name.endsWith("time_decay")) {
            t = Tensor.uniform(rng, -3f, 1f, shape);
        } else if (name.contains("time_mix")) {
            t = Tensor.uniform(rng, 0f, 1f, shape);
        } else if (name.endsWith("time_first")) {
            t = Tensor.uniform(rng, -1f, 1f, shape);
        } else if (name.contains("ln") && name.endsWith(".weight")) {
            t = Tensor.uniform(rng, 0.7f, 1.3f, shape);
        } else if (name.endsWith(".bias")) {
            t = Tensor.uniform(rng, -0.2f, 0.2f, shape);
        } else {
            t = Tensor.randn(rng, 0.5f, shape);
        }
        return t.requiresGrad(true);
    }

}
