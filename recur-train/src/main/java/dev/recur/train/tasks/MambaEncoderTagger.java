package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Matmul;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.ssm.lbmamba.LbMambaConfig;
import dev.recur.layers.ssm.lbmamba.LbMambaEncoder;
import dev.recur.train.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A per-position classifier over a Mamba encoder: {@code ids [B, T] -> embedding [B, T, H] ->}
 * {@link LbMambaEncoder} {@code [B, T, H] -> logits [B, T, C]}. Unidirectional, LBMamba or global
 * bi-directional as its config says; the last two see later tokens, so they suit tasks whose answer needs later
 * context (e.g. {@code lookahead}). The embedding is standard normal; the head is uniform in
 * {@code ±1/sqrt(H)} (PyTorch's {@code nn.Linear}, no bias).
 */
public final class MambaEncoderTagger implements TokenModel {
    private final int vocab;
    private final Tensor embedding; // [V, H]
    private final LbMambaEncoder encoder;
    private final Tensor head;      // [H, C]

    public MambaEncoderTagger(int vocab, int classes, LbMambaConfig config, Rng rng) {
        if (vocab <= 0 || classes <= 0 || config == null) {
            throw new RecurException("MambaEncoderTagger: expected positive vocab and classes and a config, got "
                    + vocab + ", " + classes + ", " + config);
        }
        int h = config.hiddenSize();
        this.vocab = vocab;
        this.embedding = Tensor.randn(rng.split(), 1f, vocab, h).requiresGrad(true);
        this.encoder = LbMambaEncoder.create(config, rng.split());
        float bound = (float) (1 / Math.sqrt(h));
        this.head = Tensor.uniform(rng.split(), -bound, bound, h, classes).requiresGrad(true);
    }

    @Override
    public Tensor forward(IntTensor ids) {
        if (ids.rank() != 2) {
            throw new RecurException("MambaEncoderTagger: expected ids [B, T], got " + Shapes.format(ids.shape()));
        }
        Tensor x = Embedding.embedding(embedding, ids); // [B, T, H]
        return Matmul.matmul(encoder.forward(x), head); // [B, T, C]
    }

    @Override
    public Parameters parameters() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        all.put("embedding", embedding);
        encoder.parameters().forEach((k, v) -> all.put("encoder." + k, v));
        all.put("head", head);
        return Parameters.of(all);
    }

    /** The vocabulary size. */
    public int vocab() {
        return vocab;
    }

    /** The encoder's sizes. */
    public LbMambaConfig config() {
        return encoder.config();
    }
}
