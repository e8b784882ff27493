package dev.recur.layers.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** decode(encode(text)) gives back the NFC form of the text. */
class TokenizerRoundTripTest {
    private final Tokenizer tok = TinyTokenizer.load();

    private void assertRoundTrip(String text) {
        assertThat(tok.decode(tok.encode(text))).isEqualTo(Normalizer.normalize(text, Normalizer.Form.NFC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\t\n\r\n  \u00a0\u3000\u2003 x  ", "東京都 日本語のテキスト", "😀👍🏽👨‍👩‍👧 🇫🇷",
        "e\u0301 A\u030a ﬁ ß ſ", "\u0000\u001f\u007f\u0085", "<|endoftext|><mask>cat    <|endoftext"})
    void fixedTexts(String text) {
        assertRoundTrip(text);
    }

    @Test
    void randomUnicode() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(1, 40);
            for (int i = 0; i < n; i++) {
                int kind = rnd.nextInt(5);
                int cp = switch (kind) {
                    case 0 -> rnd.nextInt(0x20, 0x7F);
                    case 1 -> " \t\n\u3000".charAt(rnd.nextInt(4));
                    case 2 -> rnd.nextInt(0x4E00, 0x9FFF);
                    case 3 -> rnd.nextInt(0x1F300, 0x1FAFF);
                    default -> rnd.nextInt(0, 0x10FFFF);
                };
                if (!Character.isSurrogate((char) cp) || cp > 0xFFFF) {
                    sb.appendCodePoint(cp);
                }
            }
            assertRoundTrip(sb.toString());
        }
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharacters() {
        assertThat(tok.decode(tok.encode("a\uD800b\uDC00c\uD83D"))).isEqualTo("a\uFFFDb\uFFFDc\uFFFD");
        assertThat(tok.encode("\uD800")).containsExactly(tok.encode("\uFFFD"));
    }

    @Test
    void idsThatCutACharacterDecodeToReplacementCharacters() {
        // 東 is E6 9D B1: its first byte alone is not UTF-8; the bytes stay available whole.
        assertThat(tok.decode(new int[] {0xE6})).isEqualTo("\uFFFD");
        assertThat(tok.decodeBytes(new int[] {0xE6, 0x9D}, false)).containsExactly((byte) 0xE6, (byte) 0x9D);
        assertThat(tok.decode(new int[] {0xE6, 0x9D, 0xB1})).isEqualTo("東");
    }
}
