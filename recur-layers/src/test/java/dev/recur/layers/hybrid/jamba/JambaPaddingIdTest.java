package dev.recur.layers.hybrid.jamba;

import dev.recur.core.tensor.IntTensor;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.testing.HfFolders;
import dev.recur.layers.testing.PaddingIdCheck;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transformers builds {@code JambaModel}'s embedding as {@code nn.Embedding(vocab, hidden, pad_token_id)}: lookups
 * of the pad id give its row no gradient, and nothing else changes.
 */
class JambaPaddingIdTest {
    @TempDir
    Path dir;

    @Test
    void padLookupsGiveTheirRowNoGradient() throws Exception {
        Map<String, Object> padded = JambaTestModels.config();
        padded.put("pad_token_id", 0);
        Map<String, Object> plain = JambaTestModels.config();
        plain.put("pad_token_id", null);
        var weights = JambaTestModels.weights(21, false);
        IntTensor ids = IntTensor.of(new int[] {3, 0, 5, 0, 7, 1, 0, 2}, 2, 4);
        PaddingIdCheck.check(HfModels.load(HfFolders.write(dir.resolve("pad"), padded, weights)),
                HfModels.load(HfFolders.write(dir.resolve("plain"), plain, weights)), "model.embed_tokens.weight", 0,
                ids);
    }
}
