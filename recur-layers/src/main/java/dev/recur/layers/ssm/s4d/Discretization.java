package dev.recur.layers.ssm.s4d;

/**
 * How the continuous diagonal system {@code x' = A x + B u} becomes the recurrence
 * {@code x_t = Abar x_{t-1} + Bbar u_t} for a step {@code dt}.
 * <ul>
 *   <li>{@link #ZOH}: zero-order hold, {@code Abar = exp(dt A)}, {@code Bbar = (Abar - 1) / A * B}.</li>
 *   <li>{@link #BILINEAR}: Tustin, {@code Abar = (1 + dt A / 2) / (1 - dt A / 2)},
 *       {@code Bbar = dt B / (1 - dt A / 2)}.</li>
 * </ul>
 */
public enum Discretization {
    ZOH, BILINEAR
}
