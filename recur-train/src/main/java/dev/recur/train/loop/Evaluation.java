package dev.recur.train.loop;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.tasks.text.ByteBatch;
import dev.recur.tasks.text.ByteBatcher;
import dev.recur.tasks.text.HeldOutBatches;

/**
 * Bits per byte on held-out bytes: the mean next-byte cross-entropy in nats over every byte that
 * {@link ByteBatcher#evaluation} scores, divided by ln 2. Each of {@code batch} streams walks its slice in
 * order, carrying the model's state, so every scored byte sees all earlier bytes of its slice. The sum is
 * taken in double from the logits (a log-sum-exp per position).
 */
public final class Evaluation {
    private Evaluation() {}

    /** The result of one pass: bits per byte and how many bytes were scored. */
    public record Result(double bitsPerByte, long bytes) {}

    public static Result bitsPerByte(CausalLm model, byte[] heldOut, int batch, int seqLen) {
        return bits(model, ByteBatcher.evaluation(heldOut, batch, seqLen));
    }

    /**
     * Bits per token on held-out token ids, as {@link #bitsPerByte} scores bytes ({@link Result#bytes()} then
     * counts tokens).
     */
    public static Result bitsPerToken(CausalLm model, int[] heldOut, int batch, int seqLen) {
        return bits(model, ByteBatcher.evaluationOfIds(heldOut, batch, seqLen));
    }

    private static Result bits(CausalLm model, HeldOutBatches batches) {
        int vocab = model.vocabSize();
        double nats = 0;
        long count = 0;
        LmState state = null;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (ByteBatch b : batches) {
                state = StreamStates.reset(model, state, b.resetState());
                LmOutput out = model.forward(b.inputs(), state);
                state = out.state();
                float[] logits = out.logits().data();       // [B, T, V]
                int[] targets = b.targets().data();         // [B, T]
                for (int i = 0; i < targets.length; i++) {
                    nats += negativeLogLikelihood(logits, i * vocab, vocab, targets[i]);
                }
                count += targets.length;
            }
        }
        return new Result(nats / count / Math.log(2), count);
    }

    /**
     * Bits per byte of one document read as a single stream in chunks of {@code chunk} bytes (the state carried
     * across chunks): every byte but the first is scored, with all earlier bytes as context.
     */
    public static Result documentBitsPerByte(CausalLm model, byte[] document, int chunk) {
        if (document.length < 2) {
            throw new RecurException("evaluation: a document needs at least 2 bytes (the first is only context),"
                    + " got " + document.length);
        }
        if (chunk < 1) {
            throw new RecurException("evaluation: chunk expected >= 1, got " + chunk);
        }
        int vocab = model.vocabSize();
        double nats = 0;
        LmState state = null;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            // inputs are bytes [0, n-1), each predicting the byte after it
            for (int start = 0; start < document.length - 1; start += chunk) {
                int len = Math.min(chunk, document.length - 1 - start);
                int[] ids = new int[len];
                for (int i = 0; i < len; i++) {
                    ids[i] = document[start + i] & 0xff;
                }
                LmOutput out = model.forward(IntTensor.of(ids, 1, len), state);
                state = out.state();
                float[] logits = out.logits().data();   // [1, len, V]
                for (int i = 0; i < len; i++) {
                    nats += negativeLogLikelihood(logits, i * vocab, vocab, document[start + i + 1] & 0xff);
                }
            }
        }
        long count = document.length - 1L;
        return new Result(nats / count / Math.log(2), count);
    }

    /** {@code -log softmax(logits[at : at + vocab])[target]}, in double. */
    static double negativeLogLikelihood(float[] logits, int at, int vocab, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, logits[at + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            sum += Math.exp(logits[at + v] - max);
        }
        return max + Math.log(sum) - logits[at + target];
    }
}
