package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference case for a PyTorch {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} or {@code nn.RNNCell}/
 * {@code nn.LSTMCell}/{@code nn.GRUCell} (the reference case format: {@code config.json}, {@code model.safetensors},
 * {@code io.safetensors}, optional {@code grads.safetensors}; each tensor file may also be a {@code torch.save} file,
 * {@code model.pt} and so on, see {@link TensorFiles#find}). {@link #run()} loads the module
 * ({@link TorchModule}), feeds {@code input} and the optional {@code h0}, {@code c0} and {@code lengths}, and pairs
 * each computed tensor with the expected one: {@code output}, {@code h_n}, {@code c_n} (modules), then, when
 * gradients are given, the gradient of {@code sum(output * grad_output) + sum(h_n * grad_h_n)
 * + sum(c_n * grad_c_n)} (the last term only when {@code grad_c_n} is given; cells have only the first) for every
 * tensor in {@code grads.safetensors} (input, h0, c0, each parameter).
 */
public final class TorchRnnCase {
    /** A computed tensor beside the expected one; {@code gradient} tells the two tolerances apart. */
    public record Pair(String name, Tensor actual, Tensor expected, boolean gradient) {}

    private final Path dir;
    private final TorchModule module;

    private TorchRnnCase(Path dir, TorchModule module) {
        this.dir = dir;
        this.module = module;
    }

    /** Reads the case's config and weights; the inputs and expectations are opened by {@link #run()}. */
    public static TorchRnnCase load(Path dir) throws IOException {
        return new TorchRnnCase(dir, TorchModule.load(dir));
    }

    public TorchModule module() {
        return module;
    }

    /** The layer stack's config, or null for a cell case. */
    public RnnConfig config() {
        return module.isCell() ? null : module.layer().config();
    }

    /** One line: the module and its constructor arguments. */
    public String describe() {
        return module.describe();
    }

    /** Runs forward (and backward when a grads file exists) and pairs results with expectations. */
    public List<Pair> run() throws IOException {
        Path gradsPath = TensorFiles.find(dir, "grads");
        boolean withGrads = Files.exists(gradsPath);
        List<Pair> pairs = new ArrayList<>();
        Map<String, Tensor> sources = new LinkedHashMap<>();
        try (TensorFile io = TensorFiles.open(TorchModule.require(TensorFiles.find(dir, "io")))) {
            TorchModule.Inputs inputs = module.readInputs(io, withGrads);
            sources.put("input", inputs.input());
            sources.put("h0", inputs.h0());
            sources.put("c0", inputs.c0());
            Map<String, Tensor> outputs = module.run(inputs);
            for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
                pairs.add(expect(io, e.getKey(), e.getValue(), false));
            }
            if (withGrads) {
                // The loss is linear in the upstream gradients, so one pass per output adds up to one through all.
                for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
                    String upstream = "grad_" + e.getKey();
                    if (!e.getKey().equals("c_n") || io.contains(upstream)) {
                        Tensor out = e.getValue();
                        out.backward(TorchModule.checked(io, upstream, out.shape()).data());
                    }
                }
            }
        }
        if (withGrads) {
            try (TensorFile grads = TensorFiles.open(gradsPath)) {
                sources.putAll(module.parameters());
                for (String name : grads.names()) {
                    if (sources.get(name) == null) {
                        throw new RecurException(gradsPath + ": gradient '" + name + "' names no input or parameter of "
                                + module.module() + "; expected input, h0, c0 or one of "
                                + module.parameters().keySet());
                    }
                }
                for (Map.Entry<String, Tensor> e : sources.entrySet()) {
                    if (grads.contains(e.getKey())) {
                        Tensor source = e.getValue();
                        Tensor got = source.grad() == null ? Tensor.zeros(source.shape()) : source.grad();
                        pairs.add(expect(grads, e.getKey(), got, true));
                    }
                }
            }
        }
        return pairs;
    }

    private static Pair expect(TensorFile file, String name, Tensor actual, boolean gradient) {
        return new Pair(name, actual, TorchModule.checked(file, name, actual.shape()), gradient);
    }
}
