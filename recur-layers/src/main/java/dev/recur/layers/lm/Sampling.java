package dev.recur.layers.lm;

import dev.recur.core.RecurException;

/**
 * How the next token is chosen from logits: greedy when {@code temperature} is 0, otherwise sampled from the
 * softmax at that temperature, restricted to the {@code topK} most likely tokens (0: all) and to the smallest
 * set whose probability reaches {@code topP} (1: all), as in Holtzman et al. 2020, "The Curious Case of
 * Neural Text Degeneration".
 */
public record Sampling(double temperature, int topK, double topP, long seed) {
    public Sampling {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new RecurException("sampling: temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new RecurException("sampling: top-k must be >= 0 (0 keeps every token), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new RecurException("sampling: top-p must be in (0, 1], got " + topP);
        }
    }

    public static Sampling greedy() {
        return new Sampling(0, 0, 1, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
