package dev.recur.layers.griffin;

import dev.recur.core.RecurException;

/**
 * The sizes of Griffin's recurrent block ({@link GriffinMixer}). Validated when built.
 *
 * @param lruWidth  L, the width of the RG-LRU and of the block's two branches
 * @param heads     the RG-LRU's gate blocks (each gate is block-diagonal, {@code heads} blocks of
 *                  {@code L / heads}); a divisor of {@code lruWidth}
 * @param convWidth taps of the causal depthwise convolution before the RG-LRU
 * @param exactGelu the exact GELU on the gate branch rather than its tanh form (RecurrentGemma's
 *                  {@code hidden_activation})
 */
public record GriffinMixerConfig(int lruWidth, int heads, int convWidth, boolean exactGelu) {
    public GriffinMixerConfig {
        if (lruWidth < 1 || heads < 1 || convWidth < 1) {
            throw new RecurException("griffin mixer config: lru width, heads and conv width must be >= 1, got "
                    + lruWidth + ", " + heads + ", " + convWidth);
        }
        if (lruWidth % heads != 0) {
            throw new RecurException("griffin mixer config: heads (" + heads + ") must divide the lru width ("
                    + lruWidth + ")");
        }
    }

    /** Channels per RG-LRU gate block. */
    public int blockWidth() {
        return lruWidth / heads;
    }
}
