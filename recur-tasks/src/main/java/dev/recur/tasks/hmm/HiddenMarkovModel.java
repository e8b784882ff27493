package dev.recur.tasks.hmm;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;

/**
 * A discrete hidden Markov model: initial distribution {@code pi[S]}, transitions {@code a[S][S]} (row = from) and
 * emissions {@code b[S][V]}, all in double, with the forward algorithm (Rabiner 1989, "A tutorial on hidden Markov
 * models and selected applications in speech recognition", section III.A) for the exact next-token distribution.
 */
public final class HiddenMarkovModel {
    private final double[] pi;
    private final double[][] a;
    private final double[][] b;

    /** Checks that every row is a distribution; the arrays are copied. */
    public HiddenMarkovModel(double[] initial, double[][] transitions, double[][] emissions) {
        int s = initial.length;
        if (transitions.length != s || emissions.length != s || s == 0) {
            throw new RecurException("hmm: expected " + s + " transition and emission rows, got "
                    + transitions.length + " and " + emissions.length);
        }
        requireDistribution("initial distribution", initial, s);
        this.pi = initial.clone();
        this.a = new double[s][];
        this.b = new double[s][];
        int v = emissions[0].length;
        for (int i = 0; i < s; i++) {
            requireDistribution("transition row " + i, transitions[i], s);
            requireDistribution("emission row " + i, emissions[i], v);
            a[i] = transitions[i].clone();
            b[i] = emissions[i].clone();
        }
    }

    private static void requireDistribution(String what, double[] p, int length) {
        double sum = 0;
        for (double x : p) {
            if (!(x >= 0)) {
                throw new RecurException("hmm: " + what + " has a negative or NaN entry " + x);
            }
            sum += x;
        }
        if (p.length != length || Math.abs(sum - 1) > 1e-9) {
            throw new RecurException("hmm: " + what + " expected " + length + " probabilities summing to 1, got "
                    + p.length + " summing to " + sum);
        }
    }

    /**
     * A random model of the given structure: uniform initial distribution; each transition row Dirichlet over the
     * allowed moves, each emission row Dirichlet over the vocabulary, both with the given concentration.
     */
    public static HiddenMarkovModel random(int states, int vocab, HmmStructure structure, double concentration,
                                           Rng rng) {
        double[] pi = new double[states];
        java.util.Arrays.fill(pi, 1.0 / states);
        double[][] a = new double[states][states];
        double[][] b = new double[states][];
        for (int i = 0; i < states; i++) {
            boolean[] allowed = new boolean[states];
            for (int j = 0; j < states; j++) {
                allowed[j] = structure.allows(i, j, states);
            }
            a[i] = Dirichlet.sample(rng, concentration, allowed);
        }
        for (int i = 0; i < states; i++) {
            boolean[] all = new boolean[vocab];
            java.util.Arrays.fill(all, true);
            b[i] = Dirichlet.sample(rng, concentration, all);
        }
        return new HiddenMarkovModel(pi, a, b);
    }

    public int states() {
        return pi.length;
    }

    public int vocabSize() {
        return b[0].length;
    }

    public double transition(int from, int to) {
        return a[from][to];
    }

    public double emission(int state, int id) {
        return b[state][id];
    }

    public double initial(int state) {
        return pi[state];
    }

    /** Emits {@code length} ids, drawing states and ids from {@code rng}. */
    public int[] sample(Rng rng, int length) {
        int[] out = new int[length];
        int state = draw(rng, pi);
        for (int t = 0; t < length; t++) {
            out[t] = draw(rng, b[state]);
            state = draw(rng, a[state]);
        }
        return out;
    }

    private static int draw(Rng rng, double[] p) {
        double u = rng.nextDouble();
        double acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            if (u < acc) {
                return i;
            }
        }
        // rounding left u above the last partial sum: take the last state with mass
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] > 0) {
                return i;
            }
        }
        throw new IllegalStateException("empty distribution");
    }

    /**
     * The exact distribution of the next id after each prefix: row {@code t} is {@code p(x[t+1] | x[0..t])}, for
     * {@code t = 0 .. length-2} (the first id's is {@link #firstDistribution()}). The forward variables are
     * renormalised at every step, so long sequences do not underflow.
     */
    public double[][] nextDistributions(int[] ids) {
        int s = pi.length;
        int v = vocabSize();
        double[][] out = new double[Math.max(0, ids.length - 1)][v];
        // filtered[i] = p(state_t = i | x[0..t])
        double[] filtered = new double[s];
        for (int i = 0; i < s; i++) {
            filtered[i] = pi[i] * b[i][check(ids[0])];
        }
        normalise(filtered);
        double[] prior = new double[s];
        for (int t = 0; t + 1 < ids.length; t++) {
            java.util.Arrays.fill(prior, 0);
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    prior[j] += filtered[i] * a[i][j];
                }
            }
            for (int j = 0; j < s; j++) {
                for (int k = 0; k < v; k++) {
                    out[t][k] += prior[j] * b[j][k];
                }
            }
            int next = check(ids[t + 1]);
            for (int j = 0; j < s; j++) {
                filtered[j] = prior[j] * b[j][next];
            }
            normalise(filtered);
        }
        return out;
    }

    /** The first id's distribution, {@code sum_i pi[i] b[i][.]}. */
    public double[] firstDistribution() {
        double[] p = new double[vocabSize()];
        for (int i = 0; i < pi.length; i++) {
            for (int k = 0; k < p.length; k++) {
                p[k] += pi[i] * b[i][k];
            }
        }
        return p;
    }

    private int check(int id) {
        if (id < 0 || id >= vocabSize()) {
            throw new RecurException("hmm: expected ids in [0, " + vocabSize() + "), got " + id);
        }
        return id;
    }

    private static void normalise(double[] p) {
        double sum = 0;
        for (double x : p) {
            sum += x;
        }
        if (!(sum > 0)) {
            throw new RecurException("hmm: the sequence has probability 0 under this model");
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
    }
}
