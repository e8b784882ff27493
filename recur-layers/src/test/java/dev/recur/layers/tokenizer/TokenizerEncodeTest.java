package dev.recur.layers.tokenizer;

import static dev.recur.layers.tokenizer.TinyTokenizer.CAT;
import static dev.recur.layers.tokenizer.TinyTokenizer.END_OF_TEXT;
import static dev.recur.layers.tokenizer.TinyTokenizer.FOUR_SPACES;
import static dev.recur.layers.tokenizer.TinyTokenizer.HELLO;
import static dev.recur.layers.tokenizer.TinyTokenizer.MASK;
import static dev.recur.layers.tokenizer.TinyTokenizer.SPACE_WORLD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Encodings of {@code tiny-bpe.json} derived by hand from its merge rules (see {@link TinyTokenizer}). */
class TokenizerEncodeTest {
    private final Tokenizer tok = TinyTokenizer.load();

    @Test
    void mergesByRankNotByPosition() {
        // hello: h e l l o -> he(1) -> lo(3) before ll(4) -> l+lo(5) -> he+llo(6).
        // Ġworld: Ġw(7), or(8), Ġw+or(9), ld(10), Ġwor+ld(11).
        assertThat(tok.encode("hello world")).containsExactly(HELLO, SPACE_WORLD);
        // t h e: only he(1) applies, and "t he" is no rule; " the": Ġt(0) then Ġt+he(2).
        assertThat(tok.encode("the")).containsExactly('t', 257);
        assertThat(tok.encode(" the")).containsExactly(258);
    }

    @Test
    void overlappingPairsMergeLeftmostFirst() {
        // a a a: the first pair merges, the last a is left alone; five a: aa aa a -> aaaa a.
        assertThat(tok.encode("aaa")).containsExactly(269, 'a');
        assertThat(tok.encode("aaaaa")).containsExactly(270, 'a');
    }

    @Test
    void contractionsAreWordsOfTheirOwn() {
        assertThat(tok.encode("it's")).containsExactly('i', 't', 268);
    }

    @Test
    void unicodeGoesThroughNfcAndUtf8Bytes() {
        // é is C3 A9 -> "Ã©" (rule 16, rank last), after lo(3), l+lo(5).
        int[] expected = {'h', 272, 261};
        assertThat(tok.encode("héllo")).containsExactly(expected);
        // e + COMBINING ACUTE ACCENT composes to é under NFC.
        assertThat(tok.encode("he\u0301llo")).containsExactly(expected);
        // 東 is E6 9D B1, no rule touches it.
        assertThat(tok.encode("東")).containsExactly(0xE6, 0x9D, 0xB1);
    }

    @Test
    void whitespaceRunsLeaveTheirLastSpaceToTheNextWord() {
        // "a", "  " -> ĠĠ(15), " b" -> Ġ b.
        assertThat(tok.encode("a   b")).containsExactly('a', 271, ' ', 'b');
        // Five spaces: the added four-space token is cut out first, leftmost-longest.
        assertThat(tok.encode("a     b")).containsExactly('a', FOUR_SPACES, ' ', 'b');
        assertThat(tok.encode("")).isEmpty();
    }

    @Test
    void specialTokensAreMatchedBeforeBpe() {
        assertThat(tok.encode("hello<|endoftext|> world")).containsExactly(HELLO, END_OF_TEXT, SPACE_WORLD);
        // lstrip: <mask> takes the spaces before it.
        assertThat(tok.encode("hello   <mask>!")).containsExactly(HELLO, MASK, '!');
        // A broken special token is plain text.
        assertThat(tok.encode("<|endoftext")).containsExactly("<|endoftext".chars().toArray());
    }

    @Test
    void singleWordTokensNeedWordBoundaries() {
        assertThat(tok.encode("cat")).containsExactly(CAT);
        assertThat(tok.encode("a cat.")).containsExactly('a', ' ', CAT, '.');
        assertThat(tok.encode("cats")).containsExactly('c', 'a', 't', 's');
        assertThat(tok.encode("concat")).containsExactly('c', 'o', 'n', 'c', 'a', 't');
    }

    @Test
    void decodeKeepsOrSkipsSpecialTokens() {
        int[] ids = {HELLO, END_OF_TEXT, SPACE_WORLD};
        assertThat(tok.decode(ids)).isEqualTo("hello<|endoftext|> world");
        assertThat(tok.decode(ids, true)).isEqualTo("hello world");
        assertThat(tok.isSpecial(END_OF_TEXT)).isTrue();
        assertThat(tok.isSpecial(CAT)).isFalse();
        assertThat(tok.id("<|endoftext|>")).hasValue(END_OF_TEXT);
        assertThat(tok.id("Ġworld")).hasValue(SPACE_WORLD);
        assertThat(tok.token(HELLO)).hasValue("hello");
        assertThat(tok.vocabSize()).isEqualTo(277);
    }

    @Test
    void addPrefixSpacePutsASpaceBeforeTheText() {
        Tokenizer prefixed = TinyTokenizer.variant(
                "\"pre_tokenizer\": {\n    \"type\": \"ByteLevel\",\n    \"add_prefix_space\": false",
                "\"pre_tokenizer\": {\n    \"type\": \"ByteLevel\",\n    \"add_prefix_space\": true");
        // Ġhello: he(1), lo(3), l+lo(5), he+llo(6); "Ġ hello" is no rule.
        assertThat(prefixed.encode("hello")).containsExactly(' ', HELLO);
        assertThat(prefixed.decode(prefixed.encode("hello"))).isEqualTo(" hello");
        assertThat(prefixed.encode(" the")).containsExactly(258);
    }

    @Test
    void pairFormMergesAndSplitSequenceGiveTheSameIds() {
        String json = TinyTokenizer.json();
        int merges = json.indexOf("\"merges\"");
        String pairs = json.substring(0, merges)
                + json.substring(merges).replaceAll("\"([^\" ]+) ([^\" ]+)\"", "[\"$1\", \"$2\"]");
        assertThat(pairs).contains("[\"Ġ\", \"t\"]");
        String regex = ByteLevelPreTokenizer.GPT2_PATTERN.replace("\\", "\\\\");
        String sequence = json.replace(
                "\"pre_tokenizer\": {\n    \"type\": \"ByteLevel\",\n    \"add_prefix_space\": false,\n"
                        + "    \"trim_offsets\": true,\n    \"use_regex\": true\n  }",
                "\"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": ["
                        + "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"" + regex + "\"},"
                        + " \"behavior\": \"Isolated\", \"invert\": false},"
                        + "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": false}]}");
        assertThat(sequence).contains("Sequence");
        List<Tokenizer> forms = List.of(Tokenizer.parse(pairs, "pairs"), Tokenizer.parse(sequence, "sequence"));
        for (String text : List.of("hello world", " the", "it's", "aaaaa", "héllo", "a   b", "a     b",
                "hello   <mask>!", "a cat.")) {
            for (Tokenizer form : forms) {
                assertThat(form.encode(text)).as("%s: %s", form.source(), text).containsExactly(tok.encode(text));
            }
        }
        assertThat(forms.get(0).encode("hello world")).containsExactly(HELLO, SPACE_WORLD);
    }
}
