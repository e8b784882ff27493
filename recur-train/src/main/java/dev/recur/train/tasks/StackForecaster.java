package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reductions;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.layers.stack.LayerSpec;
import dev.recur.layers.stack.StackBlock;
import dev.recur.train.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A one-step-ahead forecaster built from any layer spec: the standardised values of all {@code D} series at a
 * step, projected to {@code width} ({@code input.weight [W, D]}, {@code input.bias}), then the spec's pre-norm
 * residual {@link StackBlock}s ({@code blocks.i.*}), a final RMSNorm ({@code norm.weight}) and a linear head
 * ({@code head.weight [D, W]}, {@code head.bias}) that predicts every series' standardised increment. The head
 * starts small (uniform in {@code +-0.1/sqrt(W)}) so that the first forecasts stay near persistence, as
 * {@link LocalForecaster}'s does. Trained by teacher forcing; forecasts run closed-loop, each new value fed back
 * through the blocks one step at a time with their carried states.
 */
public final class StackForecaster implements Forecaster {
    private static final float NORM_EPS = 1e-5f;

    private final String spec;
    private final double[] mean;
    private final double[] std;
    private final int dims;
    private final Tensor inputWeight; // [W, D]
    private final Tensor inputBias;   // [W]
    private final List<StackBlock> blocks;
    private final Tensor finalNorm;   // [W]
    private final Tensor headWeight;  // [D, W]
    private final Tensor headBias;    // [D]
    private final Parameters parameters;

    /**
     * A forecaster of series whose dimension {@code i} has {@code mean[i]} and {@code std[i]}, through the blocks of
     * the layer spec {@code spec} at width {@code width} with SwiGLU MLPs of {@code mlpHidden} units (0: none).
     */
    public StackForecaster(String spec, double[] mean, double[] std, int width, int mlpHidden, Rng rng) {
        int d = mean.length;
        if (d == 0 || std.length != d || width < 1 || mlpHidden < 0) {
            throw new RecurException("StackForecaster: expected dims > 0 means and stds, width >= 1 and mlp >= 0, got "
                    + d + " means, " + std.length + " stds, width " + width + ", mlp " + mlpHidden);
        }
        for (int i = 0; i < d; i++) {
            if (!(std[i] > 0) || !Double.isFinite(std[i]) || !Double.isFinite(mean[i])) {
                throw new RecurException("StackForecaster: series " + i + " expected a finite mean and a finite std"
                        + " > 0, got mean " + mean[i] + ", std " + std[i]);
            }
        }
        List<BlockSpec> specs = LayerSpec.parse(spec);
        this.spec = LayerSpec.format(specs);
        this.dims = d;
        this.mean = mean.clone();
        this.std = std.clone();
        Params p = Params.drawn(rng);
        Map<String, Tensor> all = new LinkedHashMap<>();
        inputWeight = p.get("input.weight", new int[] {width, d}, Params.fanIn(width, d, 1f));
        inputBias = p.get("input.bias", new int[] {width}, Params.constant(0f, width));
        all.put("input.weight", inputWeight);
        all.put("input.bias", inputBias);
        blocks = StackBlock.build(specs, width, mlpHidden, NORM_EPS, p, all);
        finalNorm = p.get("norm.weight", new int[] {width}, Params.constant(1f, width));
        all.put("norm.weight", finalNorm);
        float bound = (float) (0.1 / Math.sqrt(width));
        headWeight = p.get("head.weight", new int[] {d, width}, r -> Tensor.uniform(r, -bound, bound, d, width));
        headBias = p.get("head.bias", new int[] {d}, Params.constant(0f, d));
        all.put("head.weight", headWeight);
        all.put("head.bias", headBias);
        parameters = Parameters.of(all);
    }

    /** The canonical spec of the blocks. */
    public String spec() {
        return spec;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public Tensor oneStepLoss(Tensor window) {
        requireSeries(window, "oneStepLoss");
        int b = window.dim(0);
        int t = window.dim(1);
        if (t < 2) {
            throw new RecurException("StackForecaster.oneStepLoss: expected at least 2 steps, got " + t);
        }
        float[] x = window.data();
        float[] in = new float[b * (t - 1) * dims];
        float[] delta = new float[b * (t - 1) * dims];
        for (int r = 0; r < b; r++) {
            for (int s = 0; s < t - 1; s++) {
                int row = (r * t + s) * dims;
                int at = (r * (t - 1) + s) * dims;
                for (int i = 0; i < dims; i++) {
                    in[at + i] = standardised(x[row + i], i);
                    delta[at + i] = (float) ((x[row + dims + i] - x[row + i]) / std[i]);
                }
            }
        }
        Tensor pred = run(Tensor.of(in, b, t - 1, dims), null, new ArrayList<>());   // [B, T-1, D]
        Tensor target = Tensor.of(delta, b, t - 1, dims);
        return Reductions.mean(Arithmetic.square(Arithmetic.sub(pred, target)));
    }

    @Override
    public Tensor forecast(Tensor history, int horizon) {
        requireSeries(history, "forecast");
        if (horizon < 1) {
            throw new RecurException("StackForecaster.forecast: horizon expected >= 1, got " + horizon);
        }
        int b = history.dim(0);
        int len = history.dim(1);
        float[] x = history.data();
        float[] out = new float[b * horizon * dims];
        try (var scope = GradMode.noGrad()) {
            float[] in = new float[b * len * dims];
            for (int j = 0; j < in.length; j++) {
                in[j] = standardised(x[j], j % dims);
            }
            List<MixerState> states = new ArrayList<>();
            float[] pred = run(Tensor.of(in, b, len, dims), null, states).data();   // [B, H, D]
            float[] current = new float[b * dims];
            float[] d = new float[b * dims];
            for (int r = 0; r < b; r++) {
                System.arraycopy(x, (r * len + len - 1) * dims, current, r * dims, dims);
                System.arraycopy(pred, (r * len + len - 1) * dims, d, r * dims, dims);
            }
            float[] step = new float[b * dims];
            for (int k = 0; k < horizon; k++) {
                for (int j = 0; j < b * dims; j++) {
                    current[j] += (float) (d[j] * std[j % dims]);
                    step[j] = standardised(current[j], j % dims);
                }
                for (int r = 0; r < b; r++) {
                    System.arraycopy(current, r * dims, out, (r * horizon + k) * dims, dims);
                }
                if (k + 1 < horizon) {
                    List<MixerState> next = new ArrayList<>();
                    d = run(Tensor.of(step, b, 1, dims), states, next).data();     // [B, 1, D]
                    states = next;
                }
            }
        }
        return Tensor.of(out, b, horizon, dims);
    }

    /**
     * Standardised increments {@code [B, T, D]} for standardised values {@code x [B, T, D]}, each block from its
     * state in {@code from} (null: the initial states); the blocks' final states go into {@code to}.
     */
    private Tensor run(Tensor x, List<MixerState> from, List<MixerState> to) {
        Tensor h = Linear.apply(x, inputWeight, inputBias);                             // [B, T, W]
        for (int i = 0; i < blocks.size(); i++) {
            MixerOutput o = blocks.get(i).forward(h, from == null ? null : from.get(i));
            h = o.output();
            to.add(o.state());
        }
        return Linear.apply(Norms.rmsNorm(h, finalNorm, NORM_EPS), headWeight, headBias); // [B, T, D]
    }

    private float standardised(double v, int i) {
        return (float) ((v - mean[i]) / std[i]);
    }

    private void requireSeries(Tensor x, String op) {
        if (x.rank() != 3 || x.dim(2) != dims || x.dim(0) == 0 || x.dim(1) == 0) {
            throw new RecurException("StackForecaster." + op + ": expected [batch, steps, " + dims + "], got "
                    + Shapes.format(x.shape()));
        }
    }
}
