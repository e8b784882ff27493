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
 * Adam (Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization") with decoupled weight decay
 * (Loshchilov and Hutter 2019, "Decoupled Weight Decay Regularization"), following PyTorch's
 * {@code torch.optim.AdamW}. For each parameter {@code w} with gradient {@code g}, at its step {@code t = 1, 2, ...}:
 *
 * <pre>
 *   w = w * (1 - lr * weightDecay)                 (only for decayed parameters; the gradient never sees it)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w = w - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <p>Unlike Adam with an L2 penalty, the decay does not pass through the adaptive scaling, so every weight
 * shrinks at the same rate. As in PyTorch the decay rate is multiplied by the scheduled learning rate, and
 * each parameter counts its own steps (a parameter without a gradient does not advance). Scalar coefficients
 * are computed in double, elementwise updates in float32.
 *
 * <p>Which parameters decay is a predicate, commonly {@link #matricesOnly()} to spare biases and
 * normalisation gains. State names: {@code adamw.step.<parameter>} (the step count as float32 {@code [2]},
 * low and high 24 bits, so it is exact), {@code adamw.m.<parameter>}, {@code adamw.v.<parameter>}. Not
 * thread-safe.
 */
public final class AdamW extends ParameterOptimizer {
    private static final String OP = "AdamW";
    private static final String PREFIX = "adamw";
    private static final String[] SLOTS = {"step", "m", "v"};

    private final AdamWConfig config;
    private final long[] steps;
    private final float[][] firstMoments;
    private final float[][] secondMoments;

    /** AdamW decaying every parameter (PyTorch's default). */
    public AdamW(Parameters params, AdamWConfig config) {
        this(params, config, p -> true);
    }

    /** AdamW decaying only the parameters for which {@code decay} holds. */
    public AdamW(Parameters params, AdamWConfig config, Predicate<NamedParameter> decay) {
        super(OP, params, config, decay);
        this.config = config;
        int n = params.size();
        this.steps = new long[n];
        this.firstMoments = new float[n][];
        this.secondMoments = new float[n][];
        setLearningRate(config.learningRate());
    }

    /** Decays tensors of rank 2 and more (weight matrices, embeddings); spares biases and norm gains. */
    public static Predicate<NamedParameter> matricesOnly() {
        return p -> p.value().rank() >= 2;
    }

    public AdamWConfig config() {
        return config;
    }

    /** Whether weight decay applies to the named parameter; false for unknown names. */
    public boolean decays(String name) {
        List<NamedParameter> list = params.list();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(name)) {
                return decayed[i];
            }
        }
        return false;
    }

    @Override
    @SuppressWarnings("try") // the scope is held only for its effect on grad mode
    public void step() {
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float oneMinusB1 = (float) (1 - config.beta1());
        float oneMinusB2 = (float) (1 - config.beta2());
        float eps = (float) config.eps();
        List<NamedParameter> list = params.list();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int p = 0; p < list.size(); p++) {
                float[] g = list.get(p).gradData();
                if (g == null) {
                    continue;
                }
                float[] w = list.get(p).value().data();
                if (firstMoments[p] == null) {
                    firstMoments[p] = new float[w.length];
                    secondMoments[p] = new float[w.length];
                }
                float[] m = firstMoments[p];
                float[] v = secondMoments[p];
                long t = ++steps[p];
                float shrink = decayed[p] ? (float) (1 - learningRate() * config.weightDecay()) : 1f;
                float stepSize = (float) (learningRate() / (1 - Math.pow(config.beta1(), t)));
                float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(config.beta2(), t));
                for (int i = 0; i < w.length; i++) {
                    float gi = g[i];
                    float mi = Math.fma(oneMinusB1, gi, b1 * m[i]);
                    float vi = Math.fma(oneMinusB2, gi * gi, b2 * v[i]);
                    m[i] = mi;
                    v[i] = vi;
                    float denom = (float) Math.sqrt(vi) / bias2Sqrt + eps;
                    w[i] = Math.fma(-stepSize, mi / denom, w[i] * shrink);
                }
            }
        }
    }

    @Override
    public Map<String, Tensor> exportState() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        List<NamedParameter> list = params.list();
        for (int p = 0; p < list.size(); p++) {
            if (steps[p] > 0) {
                String name = list.get(p).name();
                state.put(PREFIX + ".step." + name, OptimizerState.encodeCount(steps[p]));
                state.put(PREFIX + ".m." + name, OptimizerState.snapshot(firstMoments[p], list.get(p)));
                state.put(PREFIX + ".v." + name, OptimizerState.snapshot(secondMoments[p], list.get(p)));
            }
        }
        return state;
    }

    @Override
    public void importState(Map<String, Tensor> state) {
        OptimizerState.requireKnownKeys(OP, state, PREFIX, SLOTS, params);
        List<NamedParameter> list = params.list();
        int n = list.size();
        long[] newSteps = new long[n];
        float[][] newM = new float[n][];
        float[][] newV = new float[n][];
        for (int p = 0; p < n; p++) {
            NamedParameter param = list.get(p);
            String stepKey = PREFIX + ".step." + param.name();
            String mKey = PREFIX + ".m." + param.name();
            String vKey = PREFIX + ".v." + param.name();
            int present = (state.containsKey(stepKey) ? 1 : 0) + (state.containsKey(mKey) ? 1 : 0)
                    + (state.containsKey(vKey) ? 1 : 0);
            if (present == 0) {
                continue;
            }
            if (present != 3) {
                throw new RecurException(OP + ": state for parameter '" + param.name() + "' is incomplete: expected "
                        + stepKey + ", " + mKey + " and " + vKey + ", got " + present + " of them");
            }
            newSteps[p] = OptimizerState.decodeCount(OP, stepKey, state.get(stepKey));
            newM[p] = OptimizerState.copyLike(OP, mKey, state.get(mKey), param);
            newV[p] = OptimizerState.copyLike(OP, vKey, state.get(vKey), param);
            for (float x : newV[p]) {
                if (!(x >= 0) || Float.isInfinite(x)) {
                    throw new RecurException(OP + ": state '" + vKey + "' expected finite values >= 0 (a second"
                            + " moment), got " + x);
                }
            }
        }
        System.arraycopy(newSteps, 0, steps, 0, n);
        System.arraycopy(newM, 0, firstMoments, 0, n);
        System.arraycopy(newV, 0, secondMoments, 0, n);
    }
}
