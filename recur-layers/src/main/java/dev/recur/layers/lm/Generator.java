package dev.recur.layers.lm;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Generates tokens with a {@link CausalLm}: one forward over the prompt, then one single-token forward per new
 * token, carrying the recurrent state; this is the step-by-step path of every architecture.
 */
public final class Generator {
    private Generator() {}

    /** The {@code maxNewTokens} ids that follow {@code prompt} (a single stream). */
    public static int[] generate(CausalLm model, int[] prompt, int maxNewTokens, Sampling sampling) {
        if (prompt.length == 0) {
            throw new RecurException("generate: the prompt must hold at least one token");
        }
        if (maxNewTokens < 0) {
            throw new RecurException("generate: max new tokens must be >= 0, got " + maxNewTokens);
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= model.vocabSize()) {
                throw new RecurException("generate: prompt id " + prompt[i] + " at position " + i
                        + " is outside the vocabulary [0, " + model.vocabSize() + ")");
            }
        }
        Rng rng = new Rng(sampling.seed());
        int[] out = new int[maxNewTokens];
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput step = model.forward(IntTensor.of(prompt.clone(), 1, prompt.length), null);
            for (int i = 0; i < maxNewTokens; i++) {
                float[] logits = lastLogits(step, model.vocabSize());
                out[i] = choose(logits, sampling, rng);
                if (i + 1 < maxNewTokens) {
                    step = model.forward(IntTensor.of(new int[] {out[i]}, 1, 1), step.state());
                }
            }
        }
        return out;
    }

    private static float[] lastLogits(LmOutput output, int vocab) {
        float[] all = output.logits().data();
        return Arrays.copyOfRange(all, all.length - vocab, all.length);
    }

    /** Picks one token id from a row of logits. */
    public static int choose(float[] logits, Sampling sampling, Rng rng) {
        if (sampling.isGreedy()) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        Integer[] order = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]));
        int keep = sampling.topK() == 0 ? logits.length : Math.min(sampling.topK(), logits.length);
        double max = logits[order[0]];
        double[] p = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / sampling.temperature());
            total += p[i];
        }
        double cumulative = 0;
        int nucleus = keep;
        for (int i = 0; i < keep; i++) {
            cumulative += p[i] / total;
            if (cumulative >= sampling.topP()) {
                nucleus = i + 1;
                break;
            }
        }
        double mass = 0;
        for (int i = 0; i < nucleus; i++) {
            mass += p[i];
        }
        double u = rng.nextDouble() * mass;
        for (int i = 0; i < nucleus; i++) {
            u -= p[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }
}
