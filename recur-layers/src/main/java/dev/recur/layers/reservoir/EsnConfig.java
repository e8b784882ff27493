package dev.recur.layers.reservoir;

import dev.recur.core.RecurException;

/**
 * The shape and hyper-parameters of an echo state network, following the names of Lukoševičius (2012), "A
 * Practical Guide to Applying Echo State Networks". Validated when built: each message names the field and why.
 *
 * @param inputSize      features per timestep of the input {@code u}, {@code I}
 * @param reservoirSize  reservoir units, {@code N}
 * @param outputSize     features of the output {@code y}, {@code O}
 * @param density        fraction of the reservoir matrix's entries that are non-zero, in {@code (0, 1]}
 * @param spectralRadius the largest absolute eigenvalue the reservoir matrix is scaled to, {@code > 0}
 * @param leakRate       {@code a} in {@code x(n) = (1 - a) x(n-1) + a x~(n)}, in {@code (0, 1]}
 * @param inputScaling   half-width of the uniform distribution of the input weights, {@code >= 0}
 * @param biasScaling    half-width of the uniform distribution of the bias weights, {@code >= 0}
 * @param seed           seed of the random reservoir and input weights
 */
public record EsnConfig(int inputSize, int reservoirSize, int outputSize, double density, double spectralRadius,
                        double leakRate, double inputScaling, double biasScaling, long seed) {

    public EsnConfig {
        positive("inputSize", inputSize);
        positive("reservoirSize", reservoirSize);
        positive("outputSize", outputSize);
        if (!(density > 0 && density <= 1)) {
            throw new RecurException("EsnConfig.density: must be in (0, 1], got " + density);
        }
        if (!(spectralRadius > 0) || Double.isInfinite(spectralRadius)) {
            throw new RecurException("EsnConfig.spectralRadius: must be finite and > 0, got " + spectralRadius);
        }
        if (!(leakRate > 0 && leakRate <= 1)) {
            throw new RecurException("EsnConfig.leakRate: must be in (0, 1], got " + leakRate);
        }
        if (!(inputScaling >= 0) || Double.isInfinite(inputScaling)) {
            throw new RecurException("EsnConfig.inputScaling: must be finite and >= 0, got " + inputScaling);
        }
        if (!(biasScaling >= 0) || Double.isInfinite(biasScaling)) {
            throw new RecurException("EsnConfig.biasScaling: must be finite and >= 0, got " + biasScaling);
        }
        long features = 1L + inputSize + reservoirSize;
        if (features * features > Integer.MAX_VALUE || (long) reservoirSize * reservoirSize * density > 1e9) {
            throw new RecurException("EsnConfig: " + reservoirSize + " units with " + inputSize
                    + " inputs are too many for the dense readout normal equations");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new RecurException("EsnConfig." + field + ": must be positive, got " + value);
        }
    }

    /** An ESN with density 0.1, spectral radius 0.9, leak rate 1, input scaling 1, bias scaling 0.2. */
    public static EsnConfig of(int inputSize, int reservoirSize, int outputSize, long seed) {
        return new EsnConfig(inputSize, reservoirSize, outputSize, 0.1, 0.9, 1.0, 1.0, 0.2, seed);
    }

    public EsnConfig withDensity(double value) {
        return new EsnConfig(inputSize, reservoirSize, outputSize, value, spectralRadius, leakRate, inputScaling,
                biasScaling, seed);
    }

    public EsnConfig withSpectralRadius(double value) {
        return new EsnConfig(inputSize, reservoirSize, outputSize, density, value, leakRate, inputScaling,
                biasScaling, seed);
    }

    public EsnConfig withLeakRate(double value) {
        return new EsnConfig(inputSize, reservoirSize, outputSize, density, spectralRadius, value, inputScaling,
                biasScaling, seed);
    }

    public EsnConfig withInputScaling(double value) {
        return new EsnConfig(inputSize, reservoirSize, outputSize, density, spectralRadius, leakRate, value,
                biasScaling, seed);
    }

    public EsnConfig withBiasScaling(double value) {
        return new EsnConfig(inputSize, reservoirSize, outputSize, density, spectralRadius, leakRate, inputScaling,
                value, seed);
    }

    /** Readout features per timestep: {@code [1; u; x]}, so {@code 1 + I + N}. */
    public int featureSize() {
        return 1 + inputSize + reservoirSize;
    }
}
