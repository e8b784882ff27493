package dev.recur.peers.dl4j;

import dev.recur.cli.bench.RnnSuite;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The layer of {@link RnnSuite} in Deeplearning4j (nd4j-native on the CPU): an {@code LSTM} of
 * {@link RnnSuite#INPUT} -> {@link RnnSuite#HIDDEN} units over {@link RnnSuite#BATCH} sequences of
 * {@link RnnSuite#SEQ} steps, in float32 and DL4J's default {@code [batch, features, time]} layout. Forward is
 * {@code output} (inference mode); train is {@code computeGradientAndScore} under a parameter-free
 * {@code RnnLossLayer} (mean squared error against a fixed random target, identity activation), which adds one
 * elementwise loss and its gradient to the LSTM's forward and backward. Deeplearning4j has no GRU layer.
 */
final class Dl4jLstm {
    private final MultiLayerNetwork net;
    private final INDArray x;
    private final INDArray target;

    Dl4jLstm() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.FLOAT)
                .list()
                .layer(new LSTM.Builder().nIn(RnnSuite.INPUT).nOut(RnnSuite.HIDDEN).activation(Activation.TANH)
                        .build())
                .layer(new RnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(6);
        x = Nd4j.randn(DataType.FLOAT, RnnSuite.BATCH, RnnSuite.INPUT, RnnSuite.SEQ);
        target = Nd4j.randn(DataType.FLOAT, RnnSuite.BATCH, RnnSuite.HIDDEN, RnnSuite.SEQ);
    }

    /** Sets nd4j's thread counts (OpenMP and the calling threads) for the calls that follow. */
    static void threads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
    }

    /** One call of the row: inference, or forward + backward of every parameter. */
    Runnable operation(boolean train) {
        return train ? this::trainStep : this::forward;
    }

    private void forward() {
        net.output(x, false);
    }

    private void trainStep() {
        net.setInput(x);
        net.setLabels(target);
        net.computeGradientAndScore();
    }
}
