package dev.recur.layers.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed or unsupported tokenizer.json fails with one message naming the file and the section. */
class TokenizerErrorsTest {
    private static void assertVariantFails(String old, String replacement, String... messageParts) {
        assertThatThrownBy(() -> TinyTokenizer.variant(old, replacement))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("tiny-bpe-variant.json")
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void notJson() {
        assertThatThrownBy(() -> Tokenizer.parse("{\"model\": ", "bad.json"))
                .isInstanceOf(RecurException.class).hasMessageContainingAll("bad.json", "not valid JSON");
    }

    @Test
    void unsupportedSections() {
        assertVariantFails("\"type\": \"BPE\"", "\"type\": \"WordPiece\"", "'model'", "WordPiece");
        assertVariantFails("\"normalizer\": {\n    \"type\": \"NFC\"", "\"normalizer\": {\n    \"type\": \"Lowercase\"",
                "'normalizer'", "Lowercase");
        assertVariantFails("\"pre_tokenizer\": {\n    \"type\": \"ByteLevel\"",
                "\"pre_tokenizer\": {\n    \"type\": \"Metaspace\"", "'pre_tokenizer'", "Metaspace");
        assertVariantFails("\"decoder\": {\n    \"type\": \"ByteLevel\"", "\"decoder\": {\n    \"type\": \"WordPiece\"",
                "'decoder'", "WordPiece");
        assertVariantFails("\"post_processor\": {\n    \"type\": \"ByteLevel\"",
                "\"post_processor\": {\n    \"type\": \"TemplateProcessing\"", "'post_processor'", "TemplateProcessing");
        assertVariantFails("\"truncation\": null", "\"truncation\": {\"max_length\": 8}", "'truncation'");
        assertVariantFails("\"version\": \"1.0\"", "\"version\": \"1.0\", \"extras\": 1", "'extras'");
        assertVariantFails("\"byte_fallback\": false", "\"byte_fallback\": true", "'model.byte_fallback'");
    }

    @Test
    void nestedPreTokenizerIsNamedByItsPath() {
        assertVariantFails("\"pre_tokenizer\": {\n    \"type\": \"ByteLevel\",",
                "\"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Whitespace\"}],",
                "'pre_tokenizer.pretokenizers[0]'", "Whitespace");
    }

    @Test
    void badMerges() {
        assertVariantFails("\"Ġ t\",", "\"Ġt\",", "'model.merges[0]'", "\"Ġt\"");
        assertVariantFails("\"Ġ t\",", "\"Ġ q7\",", "'model.merges[0]'", "q7", "not in model.vocab");
    }

    @Test
    void badVocabAndAddedTokens() {
        assertVariantFails("\"hello\": 262", "\"hello\": -262", "'model.vocab.hello'", "-262");
        assertVariantFails("\"id\": 273,", "\"id\": 300,", "'added_tokens[0].id'", "expected 273", "got 300");
        assertVariantFails("\"id\": 273,", "", "'added_tokens[0].id'", "missing");
    }

    @Test
    void decodeOfAnUnknownId() {
        Tokenizer tok = TinyTokenizer.load();
        assertThatThrownBy(() -> tok.decode(new int[] {5, 277})).isInstanceOf(RecurException.class)
                .hasMessageContainingAll("decode", "[0, 277)", "277");
        assertThatThrownBy(() -> tok.decode(new int[] {-1})).isInstanceOf(RecurException.class);
    }

    @Test
    void loadAndFind(@TempDir Path dir) throws IOException {
        assertThat(Tokenizer.find(dir)).isEmpty();
        assertThatThrownBy(() -> Tokenizer.load(dir.resolve("tokenizer.json")))
                .isInstanceOf(RecurException.class).hasMessageContaining("tokenizer.json");
        Files.writeString(dir.resolve("tokenizer.json"), TinyTokenizer.json());
        assertThat(Tokenizer.find(dir)).hasValueSatisfying(
                t -> assertThat(t.encode("hello world")).containsExactly(TinyTokenizer.HELLO, TinyTokenizer.SPACE_WORLD));
    }
}
