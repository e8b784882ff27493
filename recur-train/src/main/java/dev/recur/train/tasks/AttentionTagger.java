package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Matmul;
import dev.recur.core.ops.Norms;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.CausalAttention;
import dev.recur.train.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small attention-only classifier for token tasks: {@code ids [B, T] -> embedding [B, T, D]}, then {@code L}
 * pre-norm residual blocks {@code x = x + W_o attn(rms(x) W_q, rms(x) W_k, rms(x) W_v)} with rotary positions,
 * a final RMSNorm and a dense head to {@code [B, T, C]}. Two blocks suffice for associative recall: one head
 * copies each key into the following value's position, the next matches a query against those keys.
 */
public final class AttentionTagger implements TokenModel {
    private final AttentionConfig attention;
    private final Tensor embedding;
    private final Tensor[][] blocks;
    private final Tensor finalNorm;
    private final Tensor head;

    /** {@code layers} blocks of {@code heads} heads of {@code headDim}; width {@code heads * headDim}. */
    public AttentionTagger(int vocab, int classes, int layers, int heads, int headDim, Rng rng) {
        if (vocab <= 0 || classes <= 0 || layers <= 0 || heads <= 0 || headDim <= 0 || headDim % 2 != 0) {
            throw new RecurException("AttentionTagger: expected positive vocab, classes, layers, heads and an even "
                    + "headDim, got " + vocab + ", " + classes + ", " + layers + ", " + heads + ", " + headDim);
        }
        int d = heads * headDim;
        this.attention = new AttentionConfig(heads, heads, headDim, headDim, 10000.0, 0);
        this.embedding = Tensor.randn(rng.split(), 1f, vocab, d).requiresGrad(true);
        float std = (float) (1 / Math.sqrt(d));
        this.blocks = new Tensor[layers][];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new Tensor[] {
                Tensor.full(1f, d).requiresGrad(true),
                Tensor.randn(rng.split(), std, d, d).requiresGrad(true),
                Tensor.randn(rng.split(), std, d, d).requiresGrad(true),
                Tensor.randn(rng.split(), std, d, d).requiresGrad(true),
                Tensor.randn(rng.split(), std / (float) Math.sqrt(2 * layers), d, d).requiresGrad(true),
            };
        }
        this.finalNorm = Tensor.full(1f, d).requiresGrad(true);
        this.head = Tensor.randn(rng.split(), std, d, classes).requiresGrad(true);
    }

    @Override
    public Tensor forward(IntTensor ids) {
        if (ids.rank() != 2) {
            throw new RecurException("AttentionTagger: expected ids [B, T], got " + Shapes.format(ids.shape()));
        }
        Tensor x = Embedding.embedding(embedding, ids);                       // [B, T, D]
        for (Tensor[] b : blocks) {
            Tensor n = Norms.rmsNorm(x, b[0], 1e-5f);                         // [B, T, D]
            Tensor a = CausalAttention.forward(attention, Matmul.matmul(n, b[1]), Matmul.matmul(n, b[2]),
                    Matmul.matmul(n, b[3]), null, 0).output();                 // [B, T, D]
            x = Arithmetic.add(x, Matmul.matmul(a, b[4]));
        }
        return Matmul.matmul(Norms.rmsNorm(x, finalNorm, 1e-5f), head);        // [B, T, C]
    }

    @Override
    public Parameters parameters() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        all.put("embedding", embedding);
        String[] names = {"norm", "wq", "wk", "wv", "wo"};
        for (int l = 0; l < blocks.length; l++) {
            for (int i = 0; i < names.length; i++) {
                all.put("block" + l + "." + names[i], blocks[l][i]);
            }
        }
        all.put("norm", finalNorm);
        all.put("head", head);
        return Parameters.of(all);
    }
}
