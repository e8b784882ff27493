package dev.recur.layers.registry;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.Generator;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.NextTokenLoss;
import dev.recur.layers.lm.Sampling;
import dev.recur.core.RecurException;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An HF causal-LM reference case (format: {@code docs/reference-cases.md}): runs the model on
 * {@code input_ids}, compares logits and loss, back-propagates the loss and compares every parameter's
 * gradient, and compares a greedy generation from {@code prompt_ids} token for token.
 */
public final class HfReferenceCase {
    /** One comparison; {@code exact} ones (generated ids) must match to the bit. */
    public record Pair(String name, Tensor actual, Tensor expected, boolean gradient, boolean exact) {}

    private final Path dir;
    private final CausalLm model;

    private HfReferenceCase(Path dir, CausalLm model) {
        this.dir = dir;
        this.model = model;
    }

    public static HfReferenceCase load(Path dir) throws IOException {
        return new HfReferenceCase(dir, HfModels.load(dir));
    }

    public CausalLm model() {
        return model;
    }

    public List<Pair> run() throws IOException {
        List<Pair> pairs = new ArrayList<>();
        try (TensorFile io = TensorFiles.open(TensorFiles.find(dir, "io"))) {
            IntTensor ids = io.readInt("input_ids");
            LmOutput out = model.forward(ids, null);
            pairs.add(new Pair("logits", out.logits(), io.readFloat("logits"), false, false));
            Tensor loss = NextTokenLoss.of(out.logits(), ids);
            pairs.add(new Pair("loss", loss, io.readFloat("loss"), false, false));
            Path gradsPath = TensorFiles.find(dir, "grads");
            if (Files.isRegularFile(gradsPath)) {
                loss.backward();
                try (TensorFile grads = TensorFiles.open(gradsPath)) {
                    Map<String, Tensor> params = model.parameters();
                    for (String name : grads.names()) {
                        Tensor p = params.get(name);
                        if (p == null) {
                            throw new RecurException(gradsPath + ": gradient '" + name
                                    + "' names no parameter of the model");
                        }
                        Tensor g = p.grad() == null ? Tensor.zeros(p.shape()) : p.grad();
                        pairs.add(new Pair(name, g, grads.readFloat(name), true, false));
                    }
                }
            }
            if (io.contains("prompt_ids") && io.contains("generated_ids")) {
                pairs.add(generation(io.readInt("prompt_ids"), io.readInt("generated_ids")));
            }
        }
        return pairs;
    }

    private Pair generation(IntTensor prompt, IntTensor expected) {
        int[] p = prompt.data();
        int[] e = expected.data();
        int[] fresh = Generator.generate(model, p, e.length - p.length, Sampling.greedy());
        int[] actual = Arrays.copyOf(p, e.length);
        System.arraycopy(fresh, 0, actual, p.length, fresh.length);
        return new Pair("generated_ids", asFloats(actual), asFloats(e), false, true);
    }

    private static Tensor asFloats(int[] ids) {
        float[] f = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            f[i] = ids[i];
        }
        return Tensor.of(f, 1, ids.length);
    }
}
