package dev.recur.peers;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.recur.cli.bench.RnnSuite;
import dev.recur.layers.rnn.CellType;

/**
 * The same recurrent layer as {@link RnnSuite} in DJL on the PyTorch engine (CPU, {@code torch.lstm} /
 * {@code torch.gru}): {@link RnnSuite#BATCH} x {@link RnnSuite#SEQ} x {@link RnnSuite#INPUT} -> {@link
 * RnnSuite#HIDDEN}, batch first. Forward runs outside a gradient collector (no graph, as Recur's inference);
 * train runs forward in a collector and back-propagates {@code sum(y * g)} for a fixed random {@code g}, which
 * sends {@code g} as the output's gradient exactly as Recur's train row does. Tokens/s = batch * seq per call.
 */
final class DjlRnn implements AutoCloseable {
    private final NDManager manager;
    private final RecurrentBlock block;
    private final ParameterStore parameters;
    private final NDArray x;
    private final NDArray upstream;

    DjlRnn(CellType cell) {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        block = cell == CellType.LSTM
                ? LSTM.builder().setStateSize(RnnSuite.HIDDEN).setNumLayers(1).optBatchFirst(true)
                        .optReturnState(false).build()
                : GRU.builder().setStateSize(RnnSuite.HIDDEN).setNumLayers(1).optBatchFirst(true)
                        .optReturnState(false).build();
        Shape input = new Shape(RnnSuite.BATCH, RnnSuite.SEQ, RnnSuite.INPUT);
        block.initialize(manager, DataType.FLOAT32, input);
        parameters = new ParameterStore(manager, false);
        manager.getEngine().setRandomSeed(5);
        x = manager.randomNormal(input);
        upstream = manager.randomNormal(new Shape(RnnSuite.BATCH, RnnSuite.SEQ, RnnSuite.HIDDEN));
    }

    /** Sets PyTorch's intra-op thread count for the calls that follow (loading the engine first). */
    static void threads(int threads) {
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }

    /** One call of the row: inference, or forward + backward; tokens per call {@code BATCH * SEQ}. */
    Runnable operation(boolean train) {
        return train ? this::trainStep : this::forward;
    }

    private void forward() {
        try (NDManager scope = manager.newSubManager()) {
            x.tempAttach(scope);
            block.forward(parameters, new NDList(x), false).close();
        }
    }

    private void trainStep() {
        try (NDManager scope = manager.newSubManager();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            x.tempAttach(scope);
            upstream.tempAttach(scope);
            NDArray y = block.forward(parameters, new NDList(x), true).singletonOrThrow();
            collector.backward(y.mul(upstream).sum());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
