package dev.recur.layers.lm;

import dev.recur.core.tensor.Tensor;
import java.util.Map;

/** Where a model takes its tensors from: by transformers' name, each checked against its expected shape. */
public interface WeightSource {
    /** The tensor named {@code name}, which must have {@code shape}. */
    Tensor apply(String name, int... shape);

    /** Whether a tensor of that name exists (to tell checkpoint layouts apart). */
    boolean has(String name);

    /** Takes the tensors of a checkpoint's weights. */
    static WeightSource of(HfWeights weights) {
        return new WeightSource() {
            @Override
            public Tensor apply(String name, int... shape) {
                return weights.take(name, shape);
            }

            @Override
            public boolean has(String name) {
                return weights.has(name);
            }
        };
    }

    /** This source, also putting every tensor it hands out into {@code taken} under its name. */
    default WeightSource recordingInto(Map<String, Tensor> taken) {
        WeightSource source = this;
        return new WeightSource() {
            @Override
            public Tensor apply(String name, int... shape) {
                Tensor t = source.apply(name, shape);
                taken.put(name, t);
                return t;
            }

            @Override
            public boolean has(String name) {
                return source.has(name);
            }
        };
    }
}
