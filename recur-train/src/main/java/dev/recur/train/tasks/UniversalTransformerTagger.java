package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.depth.ActResult;
import dev.recur.layers.depth.UniversalTransformer;
import dev.recur.layers.depth.UniversalTransformerConfig;
import dev.recur.tasks.TokenBatch;
import dev.recur.train.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Universal Transformer classifier for token tasks: {@code ids [B, T] -> embedding [B, T, D]}, the shared
 * block applied under Adaptive Computation Time ({@link UniversalTransformer}), a final RMSNorm and a dense
 * head to {@code [B, T, C]}. Its training loss is the answer cross-entropy plus {@code ponderWeight} times the
 * mean ponder cost {@code N + R} (Graves 2016's tau).
 */
public final class UniversalTransformerTagger implements TokenModel {
    /** Logits {@code [B, T, C]} and what ACT did to reach them. */
    public record Output(Tensor logits, ActResult act) {}

    private final UniversalTransformer block;
    private final double ponderWeight;
    private final Tensor embedding;   // [V, D]
    private final Tensor finalNorm;   // [D]
    private final Tensor head;        // [C, D]

    /** A fresh model over {@code vocab} ids with {@code classes} outputs; {@code ponderWeight >= 0}. */
    public UniversalTransformerTagger(int vocab, int classes, UniversalTransformerConfig config, double ponderWeight,
                                      Rng rng) {
        if (vocab <= 0 || classes <= 0 || config == null || rng == null) {
            throw new RecurException("UniversalTransformerTagger: expected positive vocab and classes, a config and"
                    + " a generator, got vocab " + vocab + ", classes " + classes);
        }
        if (!(ponderWeight >= 0) || Double.isInfinite(ponderWeight)) {
            throw new RecurException("UniversalTransformerTagger: ponderWeight must be finite and >= 0, got "
                    + ponderWeight);
        }
        int d = config.width();
        this.embedding = Tensor.randn(rng.split(), 1f, vocab, d).requiresGrad(true);
        this.block = UniversalTransformer.create(config, rng.split());
        this.ponderWeight = ponderWeight;
        this.finalNorm = Tensor.full(1f, d).requiresGrad(true);
        this.head = Tensor.randn(rng.split(), (float) (1 / Math.sqrt(d)), classes, d).requiresGrad(true);
    }

    /** Logits and the halting counts and ponder cost of every position. */
    public Output run(IntTensor ids) {
        if (ids == null || ids.rank() != 2) {
            throw new RecurException("UniversalTransformerTagger: expected ids [B, T], got "
                    + (ids == null ? "null" : Shapes.format(ids.shape())));
        }
        ActResult act = block.forward(Embedding.embedding(embedding, ids));                  // [B, T, D]
        Tensor logits = Linear.apply(Norms.rmsNorm(act.output(), finalNorm, 1e-5f), head);   // [B, T, C]
        return new Output(logits, act);
    }

    @Override
    public Tensor forward(IntTensor ids) {
        return run(ids).logits();
    }

    @Override
    public Tensor loss(TokenBatch batch) {
        Output out = run(batch.inputs());
        Tensor task = AnswerLoss.of(TokenTaskTraining.splitHeads(out.logits(), batch), batch);
        return ponderWeight == 0 ? task
                : Arithmetic.add(task, Arithmetic.mul(out.act().ponderCost(), (float) ponderWeight));
    }

    @Override
    public Parameters parameters() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        all.put("embedding", embedding);
        block.parameters().forEach((name, t) -> all.put("block." + name, t));
        all.put("norm", finalNorm);
        all.put("head", head);
        return Parameters.of(all);
    }
}
