package dev.recur.layers.hybrid.bamba;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.HfConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small Bamba models with random weights in the ranges trained checkpoints have, random ids and comparisons. */
final class BambaTestModels {
    private BambaTestModels() {}

    /**
     * vocab 19, hidden 16, MLP 24, 4 layers with attention at 1 and 3 (4 query heads of 4 dimensions over 2
     * key/value heads, 2 of them rotated), Mamba-2 mixers with 4 heads of 8 channels, state 5, 2 groups, kernel 4
     * and chunks of 3 steps (so that sequences cross several chunk boundaries), in-projection biases, pad id 0.
     */
    static Map<String, Object> fields() {
        Map<String, Object> m = new HashMap<>();
        m.put("model_type", "bamba");
        m.put("vocab_size", 19);
        m.put("hidden_size", 16);
        m.put("intermediate_size", 24);
        m.put("num_hidden_layers", 4);
        m.put("attn_layer_indices", List.of(1, 3));
        m.put("num_attention_heads", 4);
        m.put("num_key_value_heads", 2);
        m.put("mamba_n_heads", 4);
        m.put("mamba_d_head", 8);
        m.put("mamba_d_state", 5);
        m.put("mamba_n_groups", 2);
        m.put("mamba_expand", 2);
        m.put("mamba_d_conv", 4);
        m.put("mamba_chunk_size", 3);
        m.put("mamba_proj_bias", true);
        m.put("rope_parameters", Map.of("rope_theta", 10000.0, "rope_type", "default"));
        m.put("pad_token_id", 0);
        return m;
    }

    static BambaConfig small() {
        return BambaConfig.from(HfConfig.of("test/config.json", fields()));
    }

    static BambaModel random(BambaConfig config, long seed) {
        Rng rng = new Rng(seed);
        return new BambaModel(config, (name, shape) -> make(rng.derive(name.hashCode()), name, shape));
    }

    /** A model whose parameters are copies of {@code values} (same names). */
    static BambaModel copy(BambaConfig config, Map<String, Tensor> values) {
        return new BambaModel(config, (name, shape) -> Tensor.of(values.get(name).data().clone(), shape)
                .requiresGrad(true));
    }

    static Tensor make(Rng rng, String name, int... shape) {
        Tensor t;
        if (name.endsWith("A_log")) {
            t = Tensor.uniform(rng, 0f, (float) Math.log(16), shape);
        } else if (name.endsWith("dt_bias")) {
            t = Tensor.uniform(rng, -4f, -1f, shape);
        } else if (name.endsWith(".D")) {
            t = Tensor.uniform(rng, 0.5f, 1.5f, shape);
        } else if (name.contains("norm") && name.endsWith(".weight")) {
            t = Tensor.uniform(rng, 0.7f, 1.3f, shape);
        } else if (name.endsWith(".bias")) {
            t = Tensor.uniform(rng, -0.2f, 0.2f, shape);
        } else if (name.endsWith("conv1d.weight")) {
            t = Tensor.uniform(rng, -0.5f, 0.5f, shape);
        } else {
            t = Tensor.randn(rng, 0.4f, shape);
        }
        return t.requiresGrad(true);
    }

    static IntTensor slice(IntTensor ids, int start, int end) {
        int batch = ids.dim(0);
        int steps = ids.dim(1);
        int[] out = new int[batch * (end - start)];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids.data(), b * steps + start, out, b * (end - start), end - start);
        }
        return IntTensor.of(out, batch, end - start);
    }

    static Tensor concat(List<Tensor> pieces) {
        return Reshaping.concat(1, pieces.toArray(new Tensor[0]));
    }

}
