package dev.recur.layers.qlstm;

import static dev.recur.core.ops.Activations.sigmoid;
import static dev.recur.core.ops.Activations.tanh;
import static dev.recur.core.ops.Arithmetic.add;
import static dev.recur.core.ops.Arithmetic.mul;
import static dev.recur.core.ops.Matmul.matmul;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.scan.diagonal.DiagonalScan;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quasi-LSTM of the Languini Kitchen (Stanić, Ashley, Serikov, Kirsch, Faccio, Schmidhuber, Schlag and
 * Irie, 2023, "The Languini Kitchen: Enabling Language Modelling Research at Different Scales of Compute",
 * its quasi-LSTM baseline, {@code MultiHeadQuasiLSTMCell} in the paper's code): an LSTM whose gates read the
 * input only,
 * <pre>
 *   f_t = sigmoid(x_t W_f + b_f + 1),  i_t = sigmoid(x_t W_i + b_i),
 *   z_t = tanh(x_t W_z + b_z),         o_t = sigmoid(x_t W_o + b_o),
 *   c_t = f_t * c_{t-1} + i_t * z_t,   h_t = o_t * tanh(c_t).
 * </pre>
 * The gates of all timesteps come from one GEMM ({@code [B*T, I] x [I, 4H]}); the cell recurrence is then
 * elementwise and runs as the diagonal scan {@link DiagonalScan} ({@code a = f}, {@code b = i z}). The paper's
 * heads only group channels, which an elementwise recurrence does not mix, so a multi-head block is this layer
 * followed by the caller's output projection; the forget offset ({@code +1} above) is
 * {@link QlstmConfig#forgetBias()}.
 *
 * <p>Parameters ({@code x W} layout, gate blocks in the order f, i, z, o): {@code weight [I, 4H]} drawn from
 * {@code N(0, initStd^2)} and {@code bias [4H]} starting at zero. Composed of autograd ops and the scan's own
 * backward.
 */
public final class QlstmLayer {
    private final QlstmConfig config;
    private final Map<String, Tensor> params;

    /** A freshly initialised layer. */
    public QlstmLayer(QlstmConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException("QlstmLayer: config and rng are required");
        }
        this.config = config;
        this.params = new LinkedHashMap<>();
        int g = 4 * config.hiddenSize();
        params.put("weight", Tensor.randn(rng, config.initStd(), config.inputSize(), g).requiresGrad(true));
        params.put("bias", Tensor.zeros(g).requiresGrad(true));
    }

    private QlstmLayer(QlstmConfig config, Map<String, Tensor> params) {
        this.config = config;
        this.params = params;
    }

    /** A layer over the given {@code weight [I, 4H]} and {@code bias [4H]}, used as they are (not copied). */
    public static QlstmLayer fromParameters(QlstmConfig config, Tensor weight, Tensor bias) {
        if (config == null || weight == null || bias == null) {
            throw new RecurException("QlstmLayer.fromParameters: config, weight and bias are required");
        }
        int g = 4 * config.hiddenSize();
        Shapes.require("QlstmLayer", "weight", new int[] {config.inputSize(), g}, weight.shape());
        Shapes.require("QlstmLayer", "bias", new int[] {g}, bias.shape());
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("weight", weight);
        params.put("bias", bias);
        return new QlstmLayer(config, params);
    }

    public QlstmConfig config() {
        return config;
    }

    /** {@code weight} and {@code bias}. */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** A zero state for {@code batch} sequences. */
    public QlstmState initialState(int batch) {
        return QlstmState.zeros(batch, config.hiddenSize());
    }

    /** Runs over {@code x [B, T, I]} from {@code state} (null for zeros); output {@code [B, T, H]}. */
    public QlstmOutput forward(Tensor x, QlstmState state) {
        if (x == null || x.rank() != 3 || x.dim(2) != config.inputSize() || x.dim(0) == 0 || x.dim(1) == 0) {
            throw new RecurException(label() + ": expected input [batch, seq, " + config.inputSize()
                    + "] with batch, seq > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        Tensor c0 = initial(state, x.dim(0));
        Tensor[] gates = gates(x, 2); // each [B, T, H]
        ScanOutput scan = DiagonalScan.apply(gates[0], gates[1], c0); // c [B, T, H], c_T [B, H]
        Tensor h = mul(gates[2], tanh(scan.output()));
        return new QlstmOutput(h, new QlstmState(scan.state()));
    }

    /** One token {@code x [B, I]} from {@code state} (null for zeros); output {@code [B, H]}. */
    public QlstmOutput step(Tensor x, QlstmState state) {
        if (x == null || x.rank() != 2 || x.dim(1) != config.inputSize() || x.dim(0) == 0) {
            throw new RecurException(label() + ".step: expected input [batch, " + config.inputSize()
                    + "] with batch > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        Tensor c0 = initial(state, x.dim(0));
        Tensor[] gates = gates(x, 1); // each [B, H]
        Tensor c = add(mul(gates[0], c0), gates[1]);
        return new QlstmOutput(mul(gates[2], tanh(c)), new QlstmState(c));
    }

    /** {forget, input times candidate, output} from one GEMM over every position of {@code x}. */
    private Tensor[] gates(Tensor x, int axis) {
        int h = config.hiddenSize();
        Tensor pre = add(matmul(x, params.get("weight")), params.get("bias")); // [..., 4H]
        List<Tensor> parts = Reshaping.split(pre, axis, h, h, h, h);
        Tensor forget = sigmoid(add(parts.get(0), config.forgetBias()));
        Tensor update = mul(sigmoid(parts.get(1)), tanh(parts.get(2)));
        return new Tensor[] {forget, update, sigmoid(parts.get(3))};
    }

    private Tensor initial(QlstmState state, int batch) {
        if (state == null) {
            return Tensor.zeros(batch, config.hiddenSize());
        }
        Shapes.require(label(), "state c", new int[] {batch, config.hiddenSize()}, state.c().shape());
        return state.c();
    }

    private String label() {
        return "QuasiLSTM(" + config.inputSize() + ", " + config.hiddenSize() + ")";
    }
}
