package dev.recur.train.loop;

import dev.recur.core.random.Rng;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.rnn.bytelm.ByteLstmConfig;
import dev.recur.layers.rnn.bytelm.ByteLstmLm;
import dev.recur.tasks.text.Corpus;
import dev.recur.tasks.text.CorpusSplit;
import java.nio.charset.StandardCharsets;

/** Tiny models and corpora that train in well under a second. */
final class TinyRuns {
    private TinyRuns() {}

    static CorpusSplit corpus(int repeats) {
        String line = "the cat sat on the mat; the dog sat on the log. ";
        return Corpus.of("tiny", line.repeat(repeats).getBytes(StandardCharsets.UTF_8)).split(0.1);
    }

    static CausalLm lstm(int embed, int hidden, long seed) {
        return ByteLstmLm.create(new ByteLstmConfig(embed, hidden, 1, true, 1e-5f), new Rng(seed));
    }

    static TrainerConfig config(long steps, int batch, int seqLen, double lr) {
        return new TrainerConfig(steps, batch, seqLen, lr, "wsd:warmup=0.05,decay=0.2", 1.0, 0.01, 0, 2, 0, 2, 7);
    }
}
