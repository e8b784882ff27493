package dev.recur.layers.ssm.s4d;

import dev.recur.core.RecurException;

/**
 * Sizes and choices of an {@link S4dLayer}: {@code channels} (H) independent single-input single-output systems,
 * each with a real state size {@code stateSize} (N, even; kept as N/2 complex modes), an initialisation, a
 * discretisation, and the range {@code [dtMin, dtMax]} from which each channel's timescale is drawn
 * log-uniformly.
 */
public record S4dConfig(int channels, int stateSize, S4dInit init, Discretization discretization, double dtMin,
                        double dtMax) {
    public S4dConfig {
        if (channels <= 0) {
            throw new RecurException("S4dConfig: channels must be positive, got " + channels);
        }
        if (stateSize < 2 || stateSize % 2 != 0) {
            throw new RecurException("S4dConfig: stateSize must be even and >= 2, got " + stateSize);
        }
        if (init == null || discretization == null) {
            throw new RecurException("S4dConfig: init and discretization are required, got " + init + " and "
                    + discretization);
        }
        if (!(dtMin > 0) || !(dtMax >= dtMin) || Double.isInfinite(dtMax)) {
            throw new RecurException("S4dConfig: expected 0 < dtMin <= dtMax finite, got dtMin=" + dtMin
                    + " dtMax=" + dtMax);
        }
    }

    /** S4D-Lin with zero-order hold and timescales in [0.001, 0.1], the paper's defaults. */
    public static S4dConfig of(int channels, int stateSize) {
        return new S4dConfig(channels, stateSize, S4dInit.LIN, Discretization.ZOH, 0.001, 0.1);
    }

    /** Number of complex modes per channel, {@code stateSize / 2}. */
    public int modes() {
        return stateSize / 2;
    }
}
