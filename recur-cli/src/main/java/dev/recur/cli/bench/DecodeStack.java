package dev.recur.cli.bench;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;

/**
 * A stack of one family's token mixers for the decode latency rows ({@link LatencySuite}): {@code layers}
 * pre-norm residual blocks {@code x + mixer(rmsNorm(x))} of width {@code dModel}, random weights, batch 1, no
 * MLP, embedding or head, so that every family does the same work around its mixer. Its state is immutable:
 * a step from a prefilled state leaves that state as it was. Timed decoding ({@link #decoder}) steps forward from
 * a prefilled state as a user's generation does, going back to it every {@value #RESTART} tokens, so that the
 * context stays within that many tokens of the one reported (and an attention cache that appends in place does,
 * between restarts).
 *
 * @param <S> the family's carried state (KV caches, recurrent states, ...)
 */
abstract class DecodeStack<S> {
    /** Tokens per prefill chunk: bounds attention's score matrices at {@code heads x 512 x context}. */
    static final int PREFILL_CHUNK = 512;

    final int dModel;
    final int layers;
    private final Rng inputs = new Rng(97);
    private final Tensor token;

    DecodeStack(int dModel, int layers) {
        this.dModel = dModel;
        this.layers = layers;
        this.token = Tensor.randn(new Rng(98), 1f, 1, 1, dModel);
    }

    /** The short name in row names: {@code attn}, {@code rat}, {@code gdn}, {@code mamba}. */
    abstract String name();

    /** The state before any token. */
    abstract S start();

    /** Runs {@code x [1, T, dModel]} from {@code state} and returns the new state. */
    abstract S forward(Tensor x, S state);

    /** Floats held by a state: constant for a recurrence, growing with the context for attention. */
    abstract long stateFloats(S state);

    /** Floats of the weights a step reads. */
    abstract long weightFloats();

    /** Per layer a zero convolution state of {@code convShape}, then a zero recurrent state of {@code stateShape}. */
    static Tensor[] zeroStates(int layers, int[] convShape, int[] stateShape) {
        Tensor[] s = new Tensor[2 * layers];
        for (int l = 0; l < layers; l++) {
            s[2 * l] = Tensor.zeros(convShape);
            s[2 * l + 1] = Tensor.zeros(stateShape);
        }
        return s;
    }

    /** The floats in some tensors. */
    static long floats(Tensor... tensors) {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.size();
        }
        return n;
    }

    /** Feeds {@code tokens} more random inputs, in chunks of {@value #PREFILL_CHUNK}, without autograd. */
    S prefill(S state, int tokens) {
        S s = state;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int done = 0; done < tokens; done += PREFILL_CHUNK) {
                int n = Math.min(PREFILL_CHUNK, tokens - done);
                s = forward(Tensor.randn(inputs, 1f, 1, n, dModel), s);
            }
        }
        return s;
    }

    /** Tokens a timed decoder generates from a prefilled state before it starts over from that state. */
    static final int RESTART = 64;

    /** One decoding step from {@code state} (the new state is dropped, so {@code state} can be reused). */
    void step(S state) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            forward(token, state);
        }
    }

    /**
     * A decoding step per call: from {@code prefilled}, then from each step's state, starting over from
     * {@code prefilled} every {@value #RESTART} calls.
     */
    Runnable decoder(S prefilled) {
        return new Runnable() {
            private S state = prefilled;
            private int made;

            @Override
            public void run() {
                if (made++ % RESTART == 0) {
                    state = prefilled;
                }
                try (GradMode.Scope ignored = GradMode.noGrad()) {
                    state = forward(token, state);
                }
            }
        };
    }
}
