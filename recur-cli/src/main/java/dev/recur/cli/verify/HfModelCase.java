package dev.recur.cli.verify;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfReferenceCase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An HF causal-LM case, run by {@link HfReferenceCase}; generated ids must match exactly. */
final class HfModelCase implements ReferenceCase {
    private final HfReferenceCase hfCase;

    private HfModelCase(HfReferenceCase hfCase) {
        this.hfCase = hfCase;
    }

    static HfModelCase load(Path dir) throws IOException {
        return new HfModelCase(HfReferenceCase.load(dir));
    }

    @Override
    public String describe() {
        CausalLm m = hfCase.model();
        long params = m.parameters().values().stream().mapToLong(t -> t.size()).sum();
        return "HF causal LM " + m.modelType() + ", vocabulary " + m.vocabSize() + ", " + params + " parameters";
    }

    @Override
    public List<TensorCheck> run(double outputTolerance, double gradientTolerance) throws IOException {
        List<TensorCheck> checks = new ArrayList<>();
        for (HfReferenceCase.Pair p : hfCase.run()) {
            double tolerance = p.exact() ? 0 : p.gradient() ? gradientTolerance : outputTolerance;
            String name = p.gradient() ? "grad " + p.name() : p.name();
            checks.add(TensorCheck.of(name, p.actual(), p.expected(), tolerance));
        }
        return checks;
    }
}
