package dev.recur.layers.leaky;

/** The nonlinearity {@code f} of a leaky RNN's update. */
public enum LeakyActivation {
    TANH,
    RELU
}
