package dev.recur.train.optim;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.NamedParameter;
import dev.recur.train.Parameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Stochastic gradient descent with momentum, following PyTorch's {@code torch.optim.SGD}. For each parameter
 * {@code w} with gradient {@code g}:
 *
 * <pre>
 *   d = g + weightDecay * w                       (coupled weight decay, only for decayed parameters)
 *   b = d                      on the first step  (momentum buffer)
 *   b = momentum * b + (1 - dampening) * d        afterwards
 *   d = d + momentum * b       with Nesterov (Sutskever et al. 2013), else d = b
 *   w = w - learningRate * d
 * </pre>
 *
 * <p>With {@code momentum = 0} there is no buffer and no state. State names: {@code sgd.momentum.<parameter>}.
 * Gradients are read, never modified. Not thread-safe.
 */
public final class Sgd extends ParameterOptimizer {
    private static final String OP = "Sgd";
    private static final String PREFIX = "sgd";
    private static final String[] SLOTS = {"momentum"};

    private final SgdConfig config;
    private final float[][] buffers;

    /** SGD with weight decay (if any) applied to every parameter. */
    public Sgd(Parameters params, SgdConfig config) {
        this(params, config, p -> true);
    }

    /**
     * SGD with weight decay applied only where {@code decay} holds (for example {@link AdamW#matricesOnly()}).
     */
    public Sgd(Parameters params, SgdConfig config, Predicate<NamedParameter> decay) {
        super(OP, params, config, decay);
        this.config = config;
        this.buffers = new float[params.size()][];
        setLearningRate(config.learningRate());
    }

    public SgdConfig config() {
        return config;
    }

    @Override
    @SuppressWarnings("try") // the scope is held only for its effect on grad mode
    public void step() {
        float lr = (float) learningRate();
        float momentum = (float) config.momentum();
        float keep = (float) (1 - config.dampening());
        boolean nesterov = config.nesterov();
        List<NamedParameter> list = params.list();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int p = 0; p < list.size(); p++) {
                float[] g = list.get(p).gradData();
                if (g == null) {
                    continue;
                }
                float[] w = list.get(p).value().data();
                float wd = decayed[p] ? (float) config.weightDecay() : 0f;
                if (config.momentum() == 0) {
                    for (int i = 0; i < w.length; i++) {
                        w[i] = Math.fma(-lr, Math.fma(wd, w[i], g[i]), w[i]);
                    }
                    continue;
                }
                float[] b = buffers[p];
                boolean first = b == null;
                if (first) {
                    b = new float[w.length];
                    buffers[p] = b;
                }
                for (int i = 0; i < w.length; i++) {
                    float d = Math.fma(wd, w[i], g[i]);
                    float bi = first ? d : Math.fma(keep, d, momentum * b[i]);
                    b[i] = bi;
                    d = nesterov ? Math.fma(momentum, bi, d) : bi;
                    w[i] = Math.fma(-lr, d, w[i]);
                }
            }
        }
    }

    @Override
    public Map<String, Tensor> exportState() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        List<NamedParameter> list = params.list();
        for (int p = 0; p < list.size(); p++) {
            if (buffers[p] != null) {
                state.put(PREFIX + ".momentum." + list.get(p).name(), OptimizerState.snapshot(buffers[p], list.get(p)));
            }
        }
        return state;
    }

    @Override
    public void importState(Map<String, Tensor> state) {
        OptimizerState.requireKnownKeys(OP, state, PREFIX, SLOTS, params);
        if (config.momentum() == 0 && !state.isEmpty()) {
            throw new RecurException(OP + ": state has " + state.size() + " momentum buffers, but this optimiser"
                    + " has momentum 0 and keeps none");
        }
        List<NamedParameter> list = params.list();
        float[][] loaded = new float[list.size()][];
        for (int p = 0; p < list.size(); p++) {
            String key = PREFIX + ".momentum." + list.get(p).name();
            Tensor t = state.get(key);
            if (t != null) {
                loaded[p] = OptimizerState.copyLike(OP, key, t, list.get(p));
            }
        }
        System.arraycopy(loaded, 0, buffers, 0, loaded.length);
    }
}
