package dev.recur.cli.verify;

import dev.recur.layers.rnn.TorchRnnCase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PyTorch {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} case (any {@code batch_first}, {@code proj_size},
 * variable lengths) or an {@code nn.RNNCell}/{@code nn.LSTMCell}/{@code nn.GRUCell} case, run by
 * {@link TorchRnnCase}.
 */
final class TorchModuleCase implements ReferenceCase {
    private final TorchRnnCase torchCase;

    private TorchModuleCase(TorchRnnCase torchCase) {
        this.torchCase = torchCase;
    }

    static TorchModuleCase load(Path dir) throws IOException {
        return new TorchModuleCase(TorchRnnCase.load(dir));
    }

    @Override
    public String describe() {
        return torchCase.describe();
    }

    @Override
    public List<TensorCheck> run(double outputTolerance, double gradientTolerance) throws IOException {
        List<TensorCheck> checks = new ArrayList<>();
        for (TorchRnnCase.Pair p : torchCase.run()) {
            String name = p.gradient() ? "grad " + p.name() : p.name();
            checks.add(TensorCheck.of(name, p.actual(), p.expected(),
                    p.gradient() ? gradientTolerance : outputTolerance));
        }
        return checks;
    }
}
