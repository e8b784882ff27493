package dev.recur.layers.block;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** What every mixer adapter shares: its shape (spec, width, output scale) and its parameters in taking order. */
public abstract class AdapterMixer implements Mixer {
    protected final MixerShape shape;
    private final Map<String, Tensor> params = new LinkedHashMap<>();

    protected AdapterMixer(MixerShape shape) {
        this.shape = shape;
    }

    /** Takes parameter {@code name} of {@code dims} from {@code p} (drawn by {@code init}), records and returns it. */
    protected Tensor take(Params p, String name, int[] dims, Function<Rng, Tensor> init) {
        Tensor t = p.get(name, dims, init);
        params.put(name, t);
        return t;
    }

    /** A parameter taken before. */
    protected Tensor param(String name) {
        return params.get(name);
    }

    protected boolean hasParam(String name) {
        return params.containsKey(name);
    }

    @Override
    public BlockSpec spec() {
        return shape.spec();
    }

    @Override
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
    }
}
