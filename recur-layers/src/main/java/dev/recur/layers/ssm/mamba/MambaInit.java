package dev.recur.layers.ssm.mamba;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.TimeStepBias;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Initial weights for training a Mamba LM from scratch, under transformers' names, following the initialisation
 * of Gu and Dao (2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", section 3.6 and the
 * reference code): {@code A_log[d, n] = log(n + 1)} (S4D-real), {@code D = 1}, {@code dt_proj.bias} the inverse
 * softplus of a step drawn log-uniformly from [0.001, 0.1], {@code dt_proj.weight ~ U(+-rank^-1/2)}, linear and
 * convolution weights {@code U(+-1/sqrt(fan_in))} (PyTorch's default), the output projections divided by
 * {@code sqrt(numLayers)} (GPT-2's residual rescaling), embedding {@code N(0, 0.02)} and norm gains 1.
 */
public final class MambaInit {
    private static final String PREFIX = "backbone.";

    private MambaInit() {}

    /** The weights a {@code MambaLm} with {@code config} loads (untied head only when the config says so). */
    public static Map<String, Tensor> weights(MambaConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException("mamba init: a config and a generator are required");
        }
        if (config.useBias() || config.normalizeBcDt()) {
            throw new RecurException("mamba init: only plain Mamba without projection biases is initialised here,"
                    + " got use_bias " + config.useBias() + ", falcon_mamba " + config.normalizeBcDt());
        }
        int h = config.hiddenSize();
        int inner = config.intermediateSize();
        int n = config.stateSize();
        int r = config.timeStepRank();
        int k = config.convKernel();
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put(PREFIX + "embeddings.weight", Tensor.randn(rng, 0.02f, config.vocabSize(), h));
        float residualScale = (float) (1.0 / Math.sqrt(config.numLayers()));
        for (int i = 0; i < config.numLayers(); i++) {
            String m = PREFIX + "layers." + i + ".mixer.";
            float[] aLog = new float[inner * n];
            for (int d = 0; d < inner; d++) {
                for (int s = 0; s < n; s++) {
                    aLog[d * n + s] = (float) Math.log(s + 1);
                }
            }
            w.put(m + "A_log", Tensor.of(aLog, inner, n));
            w.put(m + "D", Tensor.full(1f, inner));
            float convBound = (float) (1.0 / Math.sqrt(k));
            w.put(m + "conv1d.weight", Tensor.uniform(rng, -convBound, convBound, inner, 1, k));
            w.put(m + "conv1d.bias", Tensor.uniform(rng, -convBound, convBound, inner));
            float dtBound = (float) Math.pow(r, -0.5);
            w.put(m + "dt_proj.weight", Tensor.uniform(rng, -dtBound, dtBound, inner, r));
            w.put(m + "dt_proj.bias", TimeStepBias.draw(rng, inner));
            w.put(m + "in_proj.weight", uniformLinear(rng, 2 * inner, h, 1f));
            w.put(m + "x_proj.weight", uniformLinear(rng, r + 2 * n, inner, 1f));
            w.put(m + "out_proj.weight", uniformLinear(rng, h, inner, residualScale));
            w.put(PREFIX + "layers." + i + ".norm.weight", Tensor.full(1f, h));
        }
        w.put(PREFIX + "norm_f.weight", Tensor.full(1f, h));
        if (!config.tieWordEmbeddings()) {
            w.put("lm_head.weight", uniformLinear(rng, config.vocabSize(), h, 1f));
        }
        return w;
    }

    private static Tensor uniformLinear(Rng rng, int out, int in, float scale) {
        float bound = (float) (scale / Math.sqrt(in));
        return Tensor.uniform(rng, -bound, bound, out, in);
    }
}
