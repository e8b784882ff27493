package dev.recur.cli.verify;

import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.TorchRnnCase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A PyTorch {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} case, run by {@link TorchRnnCase}. */
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
        RnnConfig c = torchCase.config();
        String module = c.cell().torchModule() + (c.cell().torchModule().equals("RNN")
                ? "(" + c.cell().label().substring(4) + ")" : "");
        return "PyTorch " + module + ", input " + c.inputSize() + ", hidden " + c.hiddenSize() + ", "
                + c.numLayers() + (c.numLayers() == 1 ? " layer" : " layers")
                + (c.bidirectional() ? ", bidirectional" : "") + (c.bias() ? "" : ", no bias");
    }

    @Override
    public List<TensorCheck> run(double outputTolerance, double gradientTolerance) throws IOException {
        List<TensorCheck> checks = new ArrayList<>();
        for (TorchRnnCase.Pair p : torchCase.run()) {
            String name = p.gradient() ? "grad " + p.name() : p.name();
            checks.add(TensorCheck.of(name, p.actual(), p.expected(), p.gradient() ? gradientTolerance : outputTolerance));
        }
        return checks;
    }
}
