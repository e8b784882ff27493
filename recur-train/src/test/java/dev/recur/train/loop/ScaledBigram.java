package dev.recur.train.loop;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stateless test model: logits = table[id] * scale. Shows that the trainer needs nothing but the contract.
 * With {@code poisoned}, the backward pass adds an infinity to the scale's gradient while the loss stays finite.
 */
final class ScaledBigram implements CausalLm {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final boolean poisoned;

    ScaledBigram(boolean poisoned) {
        this.poisoned = poisoned;
        params.put("table", Tensor.zeros(256, 256).requiresGrad(true));
        params.put("scale", Tensor.full(1f, 1).requiresGrad(true));
    }

    @Override
    public String modelType() {
        return "scaled_bigram";
    }

    @Override
    public int vocabSize() {
        return 256;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return params;
    }

    @Override
    public LmState initialState(int batch) {
        return new LmState(Map.of(), 0);
    }

    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        Tensor scale = params.get("scale");
        Tensor s = !poisoned ? scale : Tensor.result("poison", scale.data().clone(), scale.shape(), g -> {
            float[] gs = scale.gradBuffer();
            if (gs != null) {
                gs[0] += g[0] + Float.POSITIVE_INFINITY;
            }
        }, scale);
        Tensor logits = Arithmetic.mul(Embedding.embedding(params.get("table"), ids), s);
        return new LmOutput(logits, new LmState(Map.of(), (state == null ? 0 : state.position()) + ids.dim(1)));
    }
}
