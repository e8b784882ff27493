package dev.recur.layers.ssm.mamba2;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.util.Map;

/** Small Mamba-2 models with random weights in the ranges trained checkpoints have, and random token ids. */
final class Mamba2TestModels {
    private Mamba2TestModels() {}

    /**
     * vocab 17, hidden 8, 2 layers, 4 heads of 4 channels, state 5, 2 groups, kernel 4, chunks of 3 steps (so
     * that sequences cross several chunk boundaries), the given biases, step limits and tying.
     */
    static Mamba2Config small(boolean biases, double dtMin, double dtMax, boolean tied) {
        return new Mamba2Config(17, 8, 2, 4, 4, 5, 2, 16, 4, 3, 1e-5f, biases, true, "silu", dtMin, dtMax, tied);
    }

    static Mamba2Config small() {
        return small(false, 0.0, Double.POSITIVE_INFINITY, false);
    }

    static Mamba2Model random(Mamba2Config config, long seed) {
        Rng rng = new Rng(seed);
        return new Mamba2Model(config, (name, shape) -> make(rng.derive(name.hashCode()), name, shape));
    }

    /** A model whose parameters are copies of {@code values} (same names). */
    static Mamba2Model copy(Mamba2Config config, Map<String, Tensor> values) {
        return new Mamba2Model(config, (name, shape) -> Tensor.of(values.get(name).data().clone(), shape)
                .requiresGrad(true));
    }

    static Tensor make(Rng rng, String name, int... shape) {
        Tensor t;
        if (name.endsWith("A_log")) {
            // A in [-16, -1], as transformers initialises it
            t = Tensor.uniform(rng, 0f, (float) Math.log(16), shape);
        } else if (name.endsWith("dt_bias")) {
            // softplus of these is roughly 0.02 to 0.3
            t = Tensor.uniform(rng, -4f, -1f, shape);
        } else if (name.endsWith(".D")) {
            t = Tensor.uniform(rng, 0.5f, 1.5f, shape);
        } else if (name.contains("norm") && name.endsWith(".weight")) {
            t = Tensor.uniform(rng, 0.7f, 1.3f, shape);
        } else if (name.endsWith(".bias")) {
            t = Tensor.uniform(rng, -0.2f, 0.2f, shape);
        } else if (name.endsWith("conv1d.weight")) {
            t = Tensor.uniform(rng, -0.5f, 0.5f, shape);
        } else {
            t = Tensor.randn(rng, 0.4f, shape);
        }
        return t.requiresGrad(true);
    }

}
