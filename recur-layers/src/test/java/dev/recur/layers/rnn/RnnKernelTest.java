package dev.recur.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast sequence kernels (GEMM input projection, fused per-step cells, time-batched weight gradients) equal the
 * scalar reference cells on awkward sizes: outputs, final states and every gradient (input, h0, c0, each
 * parameter), compared by name.
 */
class RnnKernelTest {
    private static final double OUTPUT_TOLERANCE = 1e-5;
    private static final double GRADIENT_TOLERANCE = 1e-4;

    static Stream<Arguments> sizes() {
        List<Arguments> cases = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            RnnConfig base = new RnnConfig(cell, 5, 7, 1, false, true, 0f);
            cases.add(Arguments.of(base, 3, 1));
            cases.add(Arguments.of(base.withLayers(2).withBidirectional(true), 2, 63));
            cases.add(Arguments.of(base.withBias(false), 2, 257));
            cases.add(Arguments.of(new RnnConfig(cell, 7, 500, 1, false, true, 0f), 2, 4));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} batch={1} seq={2}")
    @MethodSource("sizes")
    void fastEqualsReference(RnnConfig cfg, int batch, int steps) {
        Map<String, float[]> fast = run(cfg, batch, steps, false);
        Map<String, float[]> reference = run(cfg, batch, steps, true);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
            String name = e.getKey();
            double tolerance = name.startsWith("grad ") ? GRADIENT_TOLERANCE : OUTPUT_TOLERANCE;
            double err = relativeError(fast.get(name), e.getValue());
            if (!(err <= tolerance)) {
                failures.add(name + " rel err " + err);
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /** Forward and backward with fixed data; every result by name. */
    static Map<String, float[]> run(RnnConfig cfg, int batch, int steps, boolean reference) {
        RnnLayer layer = new RnnLayer(cfg, new Rng(1));
        Rng data = new Rng(2);
        int[] stateShape = {cfg.stateRows(), batch, cfg.hiddenSize()};
        Tensor x = Tensor.randn(data, 1f, batch, steps, cfg.inputSize()).requiresGrad(true);
        Tensor h0 = Tensor.randn(data, 0.5f, stateShape).requiresGrad(true);
        Tensor c0 = cfg.cell().hasCellState() ? Tensor.randn(data, 0.5f, stateShape).requiresGrad(true) : null;
        RnnOutput out = layer.forward(x, new RnnState(h0, c0), reference);
        Map<String, float[]> results = new LinkedHashMap<>();
        results.put("output", out.output().data());
        results.put("h_n", out.state().h().data());
        out.output().backward(Tensor.randn(data, 1f, out.output().shape()).data());
        out.state().h().backward(Tensor.randn(data, 1f, stateShape).data());
        if (c0 != null) {
            results.put("c_n", out.state().c().data());
            out.state().c().backward(Tensor.randn(data, 1f, stateShape).data());
            results.put("grad c0", c0.grad().data());
        }
        results.put("grad input", x.grad().data());
        results.put("grad h0", h0.grad().data());
        for (Map.Entry<String, Tensor> p : layer.parameters().entrySet()) {
            results.put("grad " + p.getKey(), p.getValue().grad().data());
        }
        return results;
    }

    static double relativeError(float[] actual, float[] expected) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-12);
    }
}
