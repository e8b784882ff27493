package dev.recur.cli.bench;

import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.ssm.mamba.MambaConfig;
import dev.recur.layers.ssm.mamba.MambaLm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Mamba LM with random weights of a given size, built through the same checkpoint loader a real model goes
 * through (a temporary {@code model.safetensors}, deleted once read). The initialisation follows the Mamba
 * paper's recipe closely enough for the numbers to stay finite: projections N(0, 0.02), {@code A_log = log(1..N)},
 * {@code D = 1}, {@code dt} biased to softplus^-1 of 0.01, norms at one. The head is tied to the embedding.
 */
final class RandomMamba {
    private RandomMamba() {}

    /** A {@code mamba} config: expand 2, state 16, conv 4, dt rank ceil(hidden / 16), no projection biases. */
    static MambaConfig config(int vocab, int hidden, int layers) {
        return new MambaConfig("mamba", vocab, hidden, 2 * hidden, 16, 4, (hidden + 15) / 16, layers, 1e-5f,
                false, true, true, false, 1e-6f);
    }

    static MambaLm build(MambaConfig c, long seed) {
        Rng rng = new Rng(seed);
        int h = c.hiddenSize();
        int inner = c.intermediateSize();
        int n = c.stateSize();
        int r = c.timeStepRank();
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("backbone.embeddings.weight", Tensor.randn(rng, 0.02f, c.vocabSize(), h));
        float[] aLog = new float[inner * n];
        for (int i = 0; i < inner; i++) {
            for (int s = 0; s < n; s++) {
                aLog[i * n + s] = (float) Math.log(s + 1);
            }
        }
        float dtBias = (float) Math.log(Math.expm1(0.01));
        for (int i = 0; i < c.numLayers(); i++) {
            String m = "backbone.layers." + i + ".mixer.";
            w.put(m + "A_log", Tensor.of(aLog.clone(), inner, n));
            w.put(m + "D", Tensor.full(1f, inner));
            w.put(m + "conv1d.weight", Tensor.randn(rng, 0.2f, inner, 1, c.convKernel()));
            w.put(m + "conv1d.bias", Tensor.zeros(inner));
            w.put(m + "dt_proj.weight", Tensor.randn(rng, (float) (1 / Math.sqrt(r)), inner, r));
            w.put(m + "dt_proj.bias", Tensor.full(dtBias, inner));
            w.put(m + "in_proj.weight", Tensor.randn(rng, 0.02f, 2 * inner, h));
            w.put(m + "out_proj.weight", Tensor.randn(rng, 0.02f, h, inner));
            w.put(m + "x_proj.weight", Tensor.randn(rng, 0.02f, r + 2 * n, inner));
            w.put("backbone.layers." + i + ".norm.weight", Tensor.full(1f, h));
        }
        w.put("backbone.norm_f.weight", Tensor.full(1f, h));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("recur-bench-mamba");
            Path file = dir.resolve("model.safetensors");
            write(w, file);
            // Drop our copies before loading the file's, so that a big model is held once.
            w.clear();
            try (HfWeights weights = HfWeights.open(dir)) {
                MambaLm lm = MambaLm.load(c, weights);
                weights.requireAllTaken();
                return lm;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot write a random Mamba checkpoint", e);
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // A leftover empty temporary folder is harmless.
                }
            }
        }
    }

    private static void write(Map<String, Tensor> tensors, Path file) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        tensors.forEach(writer::add);
        writer.write(file);
    }

    /** Floats in every parameter: each is read once per generated token. */
    static long parameterCount(MambaLm lm) {
        long total = 0;
        for (Tensor t : lm.parameters().values()) {
            total += t.size();
        }
        return total;
    }

    /**
     * Weights that enter a matrix product, per token: every layer's in, x, dt and out projections, and the head
     * (the tied embedding); each costs 2 FLOPs per weight forward and 4 backward (input and weight gradients).
     */
    static long matmulWeights(MambaConfig c) {
        long h = c.hiddenSize();
        long inner = c.intermediateSize();
        long n = c.stateSize();
        long r = c.timeStepRank();
        long perLayer = 2 * inner * h + (r + 2 * n) * inner + inner * r + h * inner;
        return c.numLayers() * perLayer + (long) c.vocabSize() * h;
    }
}
