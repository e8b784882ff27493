package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Matmul;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.train.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A per-position classifier for token tasks: {@code ids [B, T] -> embedding [B, T, E] -> LSTM [B, T, H] ->
 * logits [B, T, C]}. The head is a dense layer initialised uniformly in {@code ±1/sqrt(H)} (PyTorch's
 * {@code nn.Linear}); the embedding is standard normal scaled by {@code 1/sqrt(E)}.
 */
public final class LstmTagger implements TokenModel {
    private final Tensor embedding;
    private final RnnLayer lstm;
    private final Tensor headWeight;
    private final Tensor headBias;
    private final int vocab;

    /** A tagger over {@code vocab} ids with embedding width {@code embed}, {@code hidden} units, {@code classes}. */
    public LstmTagger(int vocab, int embed, int hidden, int classes, Rng rng) {
        if (vocab <= 0 || embed <= 0 || hidden <= 0 || classes <= 0) {
            throw new RecurException("LstmTagger: vocab, embed, hidden and classes must be positive, got "
                    + vocab + ", " + embed + ", " + hidden + ", " + classes);
        }
        this.vocab = vocab;
        this.embedding = Tensor.randn(rng.split(), (float) (1 / Math.sqrt(embed)), vocab, embed).requiresGrad(true);
        this.lstm = new RnnLayer(RnnConfig.lstm(embed, hidden), rng.split());
        float bound = (float) (1 / Math.sqrt(hidden));
        this.headWeight = Tensor.uniform(rng.split(), -bound, bound, hidden, classes).requiresGrad(true);
        this.headBias = Tensor.uniform(rng.split(), -bound, bound, classes).requiresGrad(true);
    }

    @Override
    public Tensor forward(IntTensor ids) {
        if (ids.rank() != 2) {
            throw new RecurException("LstmTagger: expected ids [B, T], got " + Shapes.format(ids.shape()));
        }
        Tensor x = Embedding.embedding(embedding, ids);            // [B, T, E]
        Tensor h = lstm.forward(x).output();                       // [B, T, H]
        return Arithmetic.add(Matmul.matmul(h, headWeight), headBias); // [B, T, C]
    }

    @Override
    public Parameters parameters() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        all.put("embedding", embedding);
        lstm.parameters().forEach((k, v) -> all.put("lstm." + k, v));
        all.put("head.weight", headWeight);
        all.put("head.bias", headBias);
        return Parameters.of(all);
    }

    /** The vocabulary size. */
    public int vocab() {
        return vocab;
    }
}
