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
 * The fast kernels equal the scalar reference kernels on the paths PyTorch's full recurrent API adds: the LSTM's
 * projection, variable-length batches (rows of every length from 1 to T, in no order) and time-major sequences, at
 * T = 1, 7 and 63 with odd hidden sizes, and with the units split over the threads: outputs, final states and
 * every gradient (input, h0, c0, each parameter), compared by name.
 */
class RnnPackedKernelTest {
    static Stream<Arguments> sizes() {
        List<Arguments> cases = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            RnnConfig base = new RnnConfig(cell, 5, 7, 1, false, true, 0f);
            cases.add(Arguments.of(base.withBatchFirst(false), 3, 1, true));
            cases.add(Arguments.of(base.withLayers(2).withBidirectional(true), 4, 7, true));
            cases.add(Arguments.of(base.withBias(false).withBatchFirst(false).withBidirectional(true), 5, 63, true));
            cases.add(Arguments.of(new RnnConfig(cell, 6, 37, 1, false, true, 0f), 3, 7, true));
        }
        // Wide enough that the LSTM and GRU kernels split their units over the compute threads.
        cases.add(Arguments.of(RnnConfig.lstm(5, 200).withBidirectional(true), 8, 7, true));
        cases.add(Arguments.of(RnnConfig.gru(5, 200).withBatchFirst(false), 8, 7, true));
        RnnConfig projected = RnnConfig.lstm(5, 7).withProjSize(3);
        cases.add(Arguments.of(projected, 3, 1, false));
        cases.add(Arguments.of(projected.withLayers(2).withBidirectional(true), 2, 7, false));
        cases.add(Arguments.of(projected.withBatchFirst(false).withBidirectional(true), 4, 63, true));
        cases.add(Arguments.of(RnnConfig.lstm(6, 37).withProjSize(11).withBias(false), 3, 7, true));
        cases.add(Arguments.of(RnnConfig.lstm(6, 37).withProjSize(5).withLayers(2), 2, 63, true));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} batch={1} seq={2} lengths={3}")
    @MethodSource("sizes")
    void fastEqualsReference(RnnConfig cfg, int batch, int steps, boolean withLengths) {
        int[] lengths = withLengths ? lengths(batch, steps) : null;
        Map<String, float[]> fast = run(cfg, batch, steps, lengths, false);
        Map<String, float[]> reference = run(cfg, batch, steps, lengths, true);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
            String name = e.getKey();
            double tolerance = name.startsWith("grad ") ? 1e-4 : 1e-5;
            double err = RnnKernelTest.relativeError(fast.get(name), e.getValue());
            if (!(err <= tolerance)) {
                failures.add(name + " rel err " + err);
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /** Lengths from 1 to {@code steps} spread over the rows, out of order, at least one row full. */
    static int[] lengths(int batch, int steps) {
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = 1 + (b * 5 + 3) % steps;
        }
        lengths[batch / 2] = steps;
        return lengths;
    }

    /** Forward and backward with fixed data; every result by name. */
    static Map<String, float[]> run(RnnConfig cfg, int batch, int steps, int[] lengths, boolean reference) {
        RnnLayer layer = new RnnLayer(cfg, new Rng(1));
        Rng data = new Rng(2);
        int[] hShape = {cfg.stateRows(), batch, cfg.stateSize()};
        int[] cShape = {cfg.stateRows(), batch, cfg.hiddenSize()};
        int[] xShape = cfg.batchFirst() ? new int[] {batch, steps, cfg.inputSize()}
                : new int[] {steps, batch, cfg.inputSize()};
        Tensor x = Tensor.randn(data, 1f, xShape).requiresGrad(true);
        Tensor h0 = Tensor.randn(data, 0.5f, hShape).requiresGrad(true);
        Tensor c0 = cfg.cell().hasCellState() ? Tensor.randn(data, 0.5f, cShape).requiresGrad(true) : null;
        PackedLengths packed = lengths == null ? null : PackedLengths.of(lengths);
        RnnOutput out = layer.forward(x, packed, new RnnState(h0, c0), reference);
        Map<String, float[]> results = new LinkedHashMap<>();
        results.put("output", out.output().data());
        results.put("h_n", out.state().h().data());
        out.output().backward(Tensor.randn(data, 1f, out.output().shape()).data());
        out.state().h().backward(Tensor.randn(data, 1f, hShape).data());
        if (c0 != null) {
            results.put("c_n", out.state().c().data());
            out.state().c().backward(Tensor.randn(data, 1f, cShape).data());
            results.put("grad c0", c0.grad().data());
        }
        results.put("grad input", x.grad().data());
        results.put("grad h0", h0.grad().data());
        for (Map.Entry<String, Tensor> p : layer.parameters().entrySet()) {
            results.put("grad " + p.getKey(), p.getValue().grad().data());
        }
        return results;
    }
}
