package dev.recur.layers.reservoir;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import java.util.Arrays;

/**
 * The fixed part of an echo state network: input weights {@code W_in [N, 1+I]} (column 0 is the bias) and the
 * sparse reservoir matrix {@code W [N, N]} scaled to the configured spectral radius. The update is eq. 2-3 of
 * Lukoševičius (2012):
 * <pre>
 *   x~(n) = tanh(W_in [1; u(n)] + W x(n-1)),    x(n) = (1 - a) x(n-1) + a x~(n).
 * </pre>
 */
public final class Reservoir {
    private final int inputSize;
    private final double leakRate;
    private final float[] inputWeight; // [N, 1+I]
    private final SparseMatrix weight; // [N, N]

    /** A reservoir from its parts (as loaded from a file); {@code inputWeight} is {@code [N, 1+I]} row-major. */
    public Reservoir(int inputSize, double leakRate, float[] inputWeight, SparseMatrix weight) {
        if (weight == null || inputWeight == null
                || inputWeight.length != (long) weight.size() * (1 + inputSize)) {
            throw new RecurException("Reservoir: expected input weights [" + (weight == null ? "N" : weight.size())
                    + ", " + (1 + inputSize) + "], got " + (inputWeight == null ? "none" : inputWeight.length
                    + " values"));
        }
        if (!(leakRate > 0 && leakRate <= 1)) {
            throw new RecurException("Reservoir: leak rate must be in (0, 1], got " + leakRate);
        }
        this.inputSize = inputSize;
        this.leakRate = leakRate;
        this.inputWeight = inputWeight.clone();
        this.weight = weight;
    }

    /**
     * Draws a reservoir from the config's seed: the sparse pattern and values, then the input and bias weights,
     * each from its own stream; the matrix is scaled by {@code spectralRadius / estimate}, the estimate coming
     * from power iteration ({@link SparseMatrix#spectralRadius(Rng)}).
     */
    public static Reservoir generate(EsnConfig config) {
        Rng root = new Rng(config.seed());
        int n = config.reservoirSize();
        SparseMatrix raw = SparseMatrix.random(n, config.density(), root.derive(1));
        double radius = raw.spectralRadius(root.derive(3));
        if (!(radius > 0)) {
            throw new RecurException("Reservoir: the random matrix (" + n + " units, density " + config.density()
                    + ", " + raw.nonZeros() + " non-zeros) has spectral radius 0 and cannot be scaled; raise the "
                    + "density or the size");
        }
        SparseMatrix scaled = raw.scaled(config.spectralRadius() / radius);
        Rng in = root.derive(2);
        int cols = 1 + config.inputSize();
        float[] win = new float[n * cols];
        for (int i = 0; i < n; i++) {
            win[i * cols] = (float) (config.biasScaling() * (2 * in.nextDouble() - 1));
            for (int j = 1; j < cols; j++) {
                win[i * cols + j] = (float) (config.inputScaling() * (2 * in.nextDouble() - 1));
            }
        }
        return new Reservoir(config.inputSize(), config.leakRate(), win, scaled);
    }

    public int size() {
        return weight.size();
    }

    public int inputSize() {
        return inputSize;
    }

    public double leakRate() {
        return leakRate;
    }

    /** A copy of {@code W_in [N, 1+I]}. */
    public float[] inputWeight() {
        return inputWeight.clone();
    }

    /** The reservoir matrix {@code W}. */
    public SparseMatrix weight() {
        return weight;
    }

    /**
     * One update: reads {@code u} at {@code uOff} ({@code I} values) and {@code x(n-1)} at {@code xOff},
     * writes {@code x(n)} at {@code outOff}. {@code pre} is an {@code N}-long scratch array.
     */
    void update(float[] u, int uOff, float[] x, int xOff, float[] out, int outOff, double[] pre) {
        int n = weight.size();
        int cols = 1 + inputSize;
        Arrays.fill(pre, 0);
        weight.multiplyAdd(x, xOff, pre);
        for (int i = 0; i < n; i++) {
            double acc = inputWeight[i * cols];
            for (int j = 0; j < inputSize; j++) {
                acc += inputWeight[i * cols + 1 + j] * (double) u[uOff + j];
            }
            double candidate = Math.tanh(pre[i] + acc);
            out[outOff + i] = (float) ((1 - leakRate) * x[xOff + i] + leakRate * candidate);
        }
    }
}
