package dev.recur.layers.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real GPT-NeoX-20B {@code tokenizer.json} (used by the public Mamba and Pythia checkpoints), when one is on
 * this machine: its path in the system property {@code recur.tokenizer.neox} or the environment variable
 * {@code RECUR_TOKENIZER_NEOX}. Skips otherwise. The expected ids are the ones public test suites assert for that
 * file with the Hugging Face {@code tokenizers} library, and were reproduced with {@code tokenizers} 0.22.2.
 */
class NeoxTokenizerTest {
    private static Tokenizer tok;

    @BeforeAll
    static void load() throws IOException {
        String path = System.getProperty("recur.tokenizer.neox", System.getenv("RECUR_TOKENIZER_NEOX"));
        Assumptions.assumeTrue(path != null && Files.isRegularFile(Path.of(path)),
                "no GPT-NeoX tokenizer.json: set -Drecur.tokenizer.neox=PATH to run these tests");
        tok = Tokenizer.load(Path.of(path));
    }

    @Test
    void knownEncodings() {
        assertThat(tok.encode("Hello world")).containsExactly(12092, 1533);
        assertThat(tok.encode("The quick brown fox.")).containsExactly(510, 3158, 8516, 30013, 15);
        assertThat(tok.encode("héllo wörld 東京 🙂"))
                .containsExactly(73, 860, 48620, 259, 6592, 392, 209, 12676, 111, 5494, 107, 42908);
        // Runs of spaces are added tokens (ids 50254.. for 24 down to 2 spaces), cut out leftmost-longest.
        assertThat(tok.encode("a" + " ".repeat(30) + "b")).containsExactly(66, 50254, 50272, 67);
        assertThat(tok.encode("<|endoftext|>hi")).containsExactly(0, 5801);
        assertThat(tok.vocabSize()).isEqualTo(50277);
    }

    @Test
    void roundTrips() {
        for (String text : new String[] {"Hello world", "  two  spaces\n\ttab", "東京 🙂 👨‍👩‍👧", "x" + " ".repeat(50)}) {
            assertThat(tok.decode(tok.encode(text))).isEqualTo(text);
        }
    }
}
