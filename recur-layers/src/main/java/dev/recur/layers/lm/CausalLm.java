package dev.recur.layers.lm;

import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.util.Map;

/**
 * A causal language model: token ids in, next-token logits out, with an explicit recurrent state.
 *
 * <p>{@link #forward} over a whole prompt and a loop of one-token calls that pass the state along give the
 * same logits: generation, chunked prefill and streaming are all {@code forward} calls with a state.
 */
public interface CausalLm {
    /** The architecture, as the checkpoint's {@code model_type} names it ({@code mamba}, {@code rwkv}, ...). */
    String modelType();

    int vocabSize();

    /**
     * The parameters under the checkpoint's own names, in a stable order. They are leaves that require
     * gradients; a tied output head appears once, under the embedding's name.
     */
    Map<String, Tensor> parameters();

    /** The state before any token, for {@code batch} independent streams. */
    LmState initialState(int batch);

    /**
     * Runs ids {@code [B, T]} starting from {@code state} (which is not modified; null means
     * {@link #initialState}) and returns logits {@code [B, T, V]} and the state after the last token.
     */
    LmOutput forward(IntTensor ids, LmState state);
}
