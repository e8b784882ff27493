package dev.recur.layers.block;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import java.util.Map;

/**
 * The token-mixing half of a stack block: {@code x [B, T, D]} and the state before it give {@code y [B, T, D]}
 * and the state after it. The state is explicit ({@link MixerState}); a forward never modifies the state it is
 * given, so a sequence run in pieces that pass the state along equals one run over the whole of it.
 */
public interface Mixer {
    /** The spec this mixer was built from. */
    BlockSpec spec();

    /** The trainable tensors under names local to the mixer ({@code wq}, {@code A_log}, ...), in a stable order. */
    Map<String, Tensor> parameters();

    /** The state before any token, for {@code batch} streams. */
    MixerState initialState(int batch);

    /** Mixes {@code x [B, T, D]} from {@code state} (null: {@link #initialState}). */
    MixerOutput forward(Tensor x, MixerState state);

    /** One token {@code x [B, D]}: the forward of a one-token sequence. */
    default MixerOutput step(Tensor x, MixerState state) {
        int batch = x.dim(0);
        int width = x.dim(1);
        MixerOutput out = forward(Reshaping.reshape(x, batch, 1, width), state);
        return new MixerOutput(Reshaping.reshape(out.output(), batch, width), out.state());
    }
}
