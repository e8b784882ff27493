package dev.recur.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.io.json.JsonException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import dev.recur.core.io.json.JsonWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict header JSON parser: what it accepts, what it rejects and where it says the problem is. */
class JsonParserTest {
    @Test
    void parsesEveryKindOfValue() {
        Object v = JsonParser.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"d\\n\\u00e9\\ud83d\\ude00\"}} ");
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("a", "b");
        assertThat(m.get("a")).asList().containsExactly(new JsonNumber("1"), new JsonNumber("-2.5e3"), true, false,
                null);
        assertThat(((Map<?, ?>) m.get("b")).get("c")).isEqualTo("d\né\ud83d\ude00");
    }

    @Test
    void numbersKeepTheirTextAndOnlyPlainIntegersConvert() {
        assertThat(new JsonNumber("0").nonNegativeLongOrMinusOne()).isZero();
        assertThat(new JsonNumber("9223372036854775807").nonNegativeLongOrMinusOne()).isEqualTo(Long.MAX_VALUE);
        assertThat(new JsonNumber("9223372036854775808").nonNegativeLongOrMinusOne()).isEqualTo(-1);
        assertThat(new JsonNumber("99999999999999999999").nonNegativeLongOrMinusOne()).isEqualTo(-1);
        assertThat(new JsonNumber("-1").nonNegativeLongOrMinusOne()).isEqualTo(-1);
        assertThat(new JsonNumber("1.0").nonNegativeLongOrMinusOne()).isEqualTo(-1);
        assertThat(new JsonNumber("1E2").nonNegativeLongOrMinusOne()).isEqualTo(-1);
        assertThat(new JsonNumber("-2.5e3").toBigDecimal().intValueExact()).isEqualTo(-2500);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\":1,\"a\":2}           | duplicate key \"a\" at offset 7",
        "[1,]                        | expected a value, got ']' at offset 3",
        "{\"a\":1,}                  | expected a string key, got '}' at offset 7",
        "01                          | expected no leading zero in a number, got '1' at offset 1",
        "1.                          | expected a digit after '.', got the end of the text at offset 2",
        "-                           | expected a digit in a number, got the end of the text",
        "1e                          | expected a digit in an exponent",
        "+1                          | expected a value, got '+' at offset 0",
        "tru                         | expected 'true'",
        "\"abc                       | expected a closing '\"', got the end of the text",
        "\"\\x\"                     | expected one of",
        "\"\\u12g4\"                 | expected a hex digit in \\u escape, got 'g'",
        "\"\\udc00\"                 | got a lone low surrogate",
        "\"\\ud800\\u0041\"          | expected a low surrogate after \\uD800, got \\u0041",
        "{} {}                       | expected the end of the text after the value, got '{' at offset 3",
        "/* c */ {}                  | expected a value, got '/'",
        "``                          | expected a value, got the end of the text at offset 0",
        "{'a':1}                     | expected a string key, got ''' at offset 1",
        "\"\\u０１２３\"              | expected a hex digit",
    })
    void rejectsMalformedTextSayingWhereAndWhat(String text, String message) {
        assertThatThrownBy(() -> JsonParser.parse(text)).isInstanceOf(JsonException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsRawControlCharactersAndUnpairedSurrogatesInStrings() {
        assertThatThrownBy(() -> JsonParser.parse("\"a\tb\"")).isInstanceOf(JsonException.class)
                .hasMessageContaining("raw U+0009 at offset 2");
        assertThatThrownBy(() -> JsonParser.parse("\"a\ud800\"")).isInstanceOf(JsonException.class)
                .hasMessageContaining("unpaired surrogate U+D800");
    }

    @Test
    void capsNestingWithoutExhaustingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> JsonParser.parse(deep)).isInstanceOf(JsonException.class)
                .hasMessageContaining("expected at most 64 nested objects/arrays");
        assertThat(JsonParser.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
        assertThatThrownBy(() -> JsonParser.parse("[[[]]]", 2)).isInstanceOf(JsonException.class);
    }

    @Test
    void writerOutputParsesBackToTheSameString() {
        String[] samples = {"", "plain", "quote\" backslash\\ slash/", "\u0000\u0001\u001f\u007f", "tab\tnl\ncr\r",
            "é ü 中文 \ud83d\ude00", "\b\f"};
        for (String s : samples) {
            String literal = JsonWriter.appendString(new StringBuilder(), s).toString();
            assertThat(JsonParser.parse(literal)).as(Arrays.toString(s.toCharArray())).isEqualTo(s);
        }
        assertThat(JsonWriter.appendString(new StringBuilder(), "a\"\u0001").toString()).isEqualTo("\"a\\\"\\u0001\"");
    }
}
