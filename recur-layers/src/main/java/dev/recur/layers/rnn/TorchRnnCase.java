package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference case for a PyTorch {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} (the reference case format:
 * {@code config.json}, {@code model.safetensors}, {@code io.safetensors}, optional {@code grads.safetensors}; each
 * tensor file may also be a {@code torch.save} file, {@code model.pt} and so on, see {@link TensorFiles#find}).
 * {@link #run()} loads the weights, feeds {@code input}, {@code h0} and {@code c0}, and pairs each computed
 * tensor with the expected one: {@code output}, {@code h_n}, {@code c_n}, then, when gradients are given, the
 * gradient of {@code sum(output * grad_output) + sum(h_n * grad_h_n)} for every tensor in
 * {@code grads.safetensors} (input, h0, c0, each parameter).
 */
public final class TorchRnnCase {
    /** A computed tensor beside the expected one; {@code gradient} tells the two tolerances apart. */
    public record Pair(String name, Tensor actual, Tensor expected, boolean gradient) {}

    private final Path dir;
    private final RnnConfig config;

    private TorchRnnCase(Path dir, RnnConfig config) {
        this.dir = dir;
        this.config = config;
    }

    /** Reads the case's config; files are opened by {@link #run()}. */
    public static TorchRnnCase load(Path dir) throws IOException {
        return new TorchRnnCase(dir, TorchRnnConfig.read(require(dir, "config.json")));
    }

    public RnnConfig config() {
        return config;
    }

    /** Runs forward (and backward when {@code grads.safetensors} exists) and pairs results with expectations. */
    public List<Pair> run() throws IOException {
        RnnLayer layer = new RnnLayer(config, new Rng(0));
        try (TensorFile model = TensorFiles.open(require(TensorFiles.find(dir, "model")))) {
            layer.loadStateDict(model);
        }
        Path gradsPath = TensorFiles.find(dir, "grads");
        boolean withGrads = Files.exists(gradsPath);
        List<Pair> pairs = new ArrayList<>();
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        try (TensorFile io = TensorFiles.open(require(TensorFiles.find(dir, "io")))) {
            Tensor x = read(io, "input").requiresGrad(withGrads);
            int batch = x.rank() == 3 ? x.dim(0) : -1;
            int[] stateShape = {config.stateRows(), batch, config.hiddenSize()};
            Tensor h0 = io.contains("h0") ? checked(io, "h0", stateShape).requiresGrad(withGrads) : null;
            Tensor c0 = null;
            if (config.cell().hasCellState() && io.contains("c0")) {
                c0 = checked(io, "c0", stateShape).requiresGrad(withGrads);
            }
            if (h0 == null && c0 != null) {
                h0 = Tensor.zeros(stateShape);
            }
            if (c0 == null && h0 != null && config.cell().hasCellState()) {
                c0 = Tensor.zeros(stateShape);
            }
            inputs.put("input", x);
            inputs.put("h0", h0);
            inputs.put("c0", c0);
            RnnOutput out = layer.forward(x, h0 == null ? null : new RnnState(h0, c0));
            pairs.add(expect(io, "output", out.output(), false));
            pairs.add(expect(io, "h_n", out.state().h(), false));
            if (config.cell().hasCellState()) {
                pairs.add(expect(io, "c_n", out.state().c(), false));
            }
            if (withGrads) {
                // The loss is linear in the upstream gradients, so two passes add up to one through both outputs.
                out.output().backward(checked(io, "grad_output", out.output().shape()).data());
                out.state().h().backward(checked(io, "grad_h_n", out.state().h().shape()).data());
            }
        }
        if (withGrads) {
            try (TensorFile grads = TensorFiles.open(gradsPath)) {
                Map<String, Tensor> sources = new LinkedHashMap<>(inputs);
                sources.putAll(layer.parameters());
                for (String name : grads.names()) {
                    if (sources.get(name) == null) {
                        throw new RecurException(gradsPath + ": gradient '" + name + "' names no input or parameter of "
                                + config.cell().torchModule() + "; expected input, h0, c0 or one of "
                                + config.parameterNames());
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

    private static Path require(Path dir, String file) throws IOException {
        return require(dir.resolve(file));
    }

    private static Path require(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString());
        }
        return p;
    }

    private static Tensor read(TensorFile file, String name) {
        if (!file.contains(name)) {
            throw new RecurException(file.path() + ": missing tensor '" + name + "'");
        }
        return file.readFloat(name);
    }

    private static Tensor checked(TensorFile file, String name, int[] shape) {
        Tensor t = read(file, name);
        Shapes.require(file.path().toString(), "tensor '" + name + "'", shape, t.shape());
        return t;
    }

    private static Pair expect(TensorFile file, String name, Tensor actual, boolean gradient) {
        return new Pair(name, actual, checked(file, name, actual.shape()), gradient);
    }
}
