package dev.recur.cli.bench;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Norms;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rat.RatConfig;
import dev.recur.layers.rat.RatLayer;
import dev.recur.layers.rat.RatState;

/**
 * RAT layers ({@link RatLayer}) with chunks of {@code L} tokens and {@code d / 64} heads of 64: a step updates
 * the current chunk's recurrence and attends to one key per finished chunk, so cost and state grow with the
 * context divided by {@code L}.
 */
final class RatDecode extends DecodeStack<RatState[]> {
    private final RatLayer[] mixers;
    private final Tensor[] norms;

    RatDecode(int dModel, int layers, int chunkLen, long seed) {
        super(dModel, layers);
        int headDim = Math.min(64, dModel);
        Rng rng = new Rng(seed);
        mixers = new RatLayer[layers];
        norms = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            mixers[l] = new RatLayer(new RatConfig(dModel, dModel / headDim, headDim, chunkLen), rng.split());
            norms[l] = Tensor.full(1f, dModel);
        }
    }

    @Override
    String name() {
        return "rat";
    }

    @Override
    RatState[] start() {
        RatState[] s = new RatState[layers];
        for (int l = 0; l < layers; l++) {
            s[l] = mixers[l].initialState(1);
        }
        return s;
    }

    @Override
    RatState[] forward(Tensor x, RatState[] state) {
        RatState[] next = new RatState[layers];
        for (int l = 0; l < layers; l++) {
            var out = mixers[l].forward(Norms.rmsNorm(x, norms[l], 1e-5f), state[l]);
            next[l] = out.state();
            x = Arithmetic.add(x, out.output());
        }
        return next;
    }

    @Override
    long stateFloats(RatState[] state) {
        long n = 0;
        for (RatState s : state) {
            n += s.floatCount();
        }
        return n;
    }

    @Override
    long weightFloats() {
        long n = floats(norms);
        for (RatLayer mixer : mixers) {
            n += floats(mixer.parameters().values().toArray(new Tensor[0]));
        }
        return n;
    }
}
