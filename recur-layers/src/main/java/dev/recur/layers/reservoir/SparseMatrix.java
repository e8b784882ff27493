package dev.recur.layers.reservoir;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import java.util.Arrays;

/**
 * A square sparse matrix in compressed sparse row form: row {@code i} holds {@code values[k]} at column
 * {@code indices[k]} for {@code k} in {@code [indptr[i], indptr[i+1])}, columns increasing within a row.
 * Immutable: the arrays are copied in and out.
 */
public final class SparseMatrix {
    private final int size;
    private final int[] indptr;
    private final int[] indices;
    private final float[] values;

    /** A matrix from its CSR arrays, checked: monotone row pointers, columns in range and increasing per row. */
    public SparseMatrix(int size, int[] indptr, int[] indices, float[] values) {
        if (size <= 0 || indptr == null || indices == null || values == null) {
            throw new RecurException("SparseMatrix: expected size > 0 and CSR arrays, got size " + size);
        }
        if (indptr.length != size + 1 || indptr[0] != 0 || indptr[size] != indices.length
                || indices.length != values.length) {
            throw new RecurException("SparseMatrix: expected indptr of length " + (size + 1) + " from 0 to nnz = "
                    + "indices.length = values.length, got indptr length " + indptr.length + " ending at "
                    + indptr[indptr.length - 1] + ", " + indices.length + " indices, " + values.length + " values");
        }
        for (int i = 0; i < size; i++) {
            if (indptr[i + 1] < indptr[i]) {
                throw new RecurException("SparseMatrix: indptr decreases at row " + i);
            }
        }
        for (int i = 0; i < size; i++) {
            for (int k = indptr[i]; k < indptr[i + 1]; k++) {
                if (indices[k] < 0 || indices[k] >= size || (k > indptr[i] && indices[k] <= indices[k - 1])) {
                    throw new RecurException("SparseMatrix: row " + i + " has column " + indices[k]
                            + " out of [0, " + size + ") or not increasing");
                }
            }
        }
        this.size = size;
        this.indptr = indptr.clone();
        this.indices = indices.clone();
        this.values = values.clone();
    }

    /** A random matrix: each entry non-zero with probability {@code density}, values uniform in [-1, 1]. */
    public static SparseMatrix random(int size, double density, Rng rng) {
        int[] indptr = new int[size + 1];
        int[] indices = new int[Math.max(16, (int) Math.min(Integer.MAX_VALUE - 8, size * (long) size * density * 1.2))];
        float[] values = new float[indices.length];
        int nnz = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                if (rng.nextDouble() < density) {
                    if (nnz == indices.length) {
                        int grown = (int) Math.min(Integer.MAX_VALUE - 8, 2L * nnz);
                        indices = Arrays.copyOf(indices, grown);
                        values = Arrays.copyOf(values, grown);
                    }
                    indices[nnz] = j;
                    values[nnz] = (float) (2 * rng.nextDouble() - 1);
                    nnz++;
                }
            }
            indptr[i + 1] = nnz;
        }
        return new SparseMatrix(size, indptr, Arrays.copyOf(indices, nnz), Arrays.copyOf(values, nnz));
    }

    public int size() {
        return size;
    }

    public int nonZeros() {
        return values.length;
    }

    public int[] indptr() {
        return indptr.clone();
    }

    public int[] indices() {
        return indices.clone();
    }

    public float[] values() {
        return values.clone();
    }

    /** The same pattern with every value multiplied by {@code factor} (rounded once to float). */
    public SparseMatrix scaled(double factor) {
        float[] v = new float[values.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) (values[k] * factor);
        }
        return new SparseMatrix(size, indptr, indices, v);
    }

    /** {@code out[i] = sum_k A[i, k] v[k]} in double. */
    public void multiply(double[] v, double[] out) {
        for (int i = 0; i < size; i++) {
            double acc = 0;
            for (int k = indptr[i]; k < indptr[i + 1]; k++) {
                acc += values[k] * v[indices[k]];
            }
            out[i] = acc;
        }
    }

    /** {@code out[i] += sum_k A[i, k] v[offset + k]}, for the reservoir update. */
    void multiplyAdd(float[] v, int offset, double[] out) {
        for (int i = 0; i < size; i++) {
            double acc = 0;
            for (int k = indptr[i]; k < indptr[i + 1]; k++) {
                acc += values[k] * v[offset + indices[k]];
            }
            out[i] += acc;
        }
    }

    /**
     * Estimates the spectral radius (largest |eigenvalue|) by power iteration: after {@code burnIn} normalised
     * multiplications, the mean of {@code log ||A v||} over {@code iterations} more. Averaging the growth rate,
     * rather than reading a Rayleigh quotient, also converges when the dominant eigenvalues are a complex pair
     * or {@code ±r}, where the iterate rotates and never settles; the error shrinks as {@code 1/iterations}.
     * Returns 0 for a matrix that maps the start vector to zero (a nilpotent pattern).
     */
    public double spectralRadius(int burnIn, int iterations, Rng rng) {
        if (burnIn < 0 || iterations <= 0) {
            throw new RecurException("SparseMatrix.spectralRadius: expected burnIn >= 0 and iterations > 0, got "
                    + burnIn + " and " + iterations);
        }
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextGaussian();
        }
        normalise(v);
        double[] w = new double[size];
        double sumLog = 0;
        for (int it = 0; it < burnIn + iterations; it++) {
            multiply(v, w);
            double norm = normalise(w);
            if (norm == 0) {
                return 0;
            }
            if (it >= burnIn) {
                sumLog += Math.log(norm);
            }
            double[] t = v;
            v = w;
            w = t;
        }
        return Math.exp(sumLog / iterations);
    }

    /** Power iteration with 300 burn-in and 2000 measured steps. */
    public double spectralRadius(Rng rng) {
        return spectralRadius(300, 2000, rng);
    }

    private static double normalise(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        double norm = Math.sqrt(s);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
        return norm;
    }
}
