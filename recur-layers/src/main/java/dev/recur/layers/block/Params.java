package dev.recur.layers.block;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.WeightSource;
import java.util.function.Function;

/**
 * Where a block takes its parameters from: freshly drawn (each tensor from its own split of one generator, so a
 * seed fixes every weight) or from a checkpoint under a name prefix. One construction path serves both, so a
 * saved stack loads into exactly the layout it was created with.
 */
public interface Params {
    /**
     * The parameter {@code name} of {@code shape}: drawn by {@code init} from a fresh generator, or taken from the
     * checkpoint. Either way a leaf that requires gradients.
     */
    Tensor get(String name, int[] shape, Function<Rng, Tensor> init);

    /** Whether parameters are being drawn (rather than loaded). */
    boolean drawing();

    /** A generator for mixers that draw several tensors at once (only while {@link #drawing}). */
    Rng rng();

    /** The same source with {@code prefix} added in front of every name. */
    Params under(String prefix);

    /** Parameters drawn from {@code rng}. */
    static Params drawn(Rng rng) {
        return new Params() {
            @Override
            public Tensor get(String name, int[] shape, Function<Rng, Tensor> init) {
                Tensor t = init.apply(rng.split());
                Shapes.require("stack init", name, shape, t.shape());
                return t.requiresGrad(true);
            }

            @Override
            public boolean drawing() {
                return true;
            }

            @Override
            public Rng rng() {
                return rng.split();
            }

            @Override
            public Params under(String prefix) {
                return this;
            }
        };
    }

    /** Parameters taken from a checkpoint, each name prefixed by {@code prefix}. */
    static Params loaded(WeightSource weights, String prefix) {
        return new Params() {
            @Override
            public Tensor get(String name, int[] shape, Function<Rng, Tensor> init) {
                return weights.apply(prefix + name, shape).requiresGrad(true);
            }

            @Override
            public boolean drawing() {
                return false;
            }

            @Override
            public Rng rng() {
                throw new RecurException("stack: no generator while loading a checkpoint");
            }

            @Override
            public Params under(String more) {
                return loaded(weights, prefix + more);
            }
        };
    }

    /** {@code U(+-scale / sqrt(in))} for a PyTorch-layout weight {@code [out, in]}. */
    static Function<Rng, Tensor> fanIn(int out, int in, float scale) {
        float bound = (float) (scale / Math.sqrt(in));
        return rng -> Tensor.uniform(rng, -bound, bound, out, in);
    }

    /** A constant tensor. */
    static Function<Rng, Tensor> constant(float value, int... shape) {
        return rng -> Tensor.full(value, shape);
    }
}
