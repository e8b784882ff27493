package dev.recur.layers.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelTest {
    @Test
    void mapsBytesAsGpt2Does() {
        // Values from the definition: printable Latin-1 bytes stand for themselves, the others count up from U+0100.
        assertThat(ByteLevel.charOf('a')).isEqualTo('a');
        assertThat(ByteLevel.charOf(0xE9)).isEqualTo('é');
        assertThat(ByteLevel.charOf(0x00)).isEqualTo('\u0100');
        assertThat(ByteLevel.charOf(' ')).isEqualTo('Ġ');
        assertThat(ByteLevel.charOf('\n')).isEqualTo('Ċ');
        assertThat(ByteLevel.charOf(0x7F)).isEqualTo('\u0121');
        assertThat(ByteLevel.charOf(0xAD)).isEqualTo('\u0143');
    }

    @Test
    void isABijectionOnTheImage() {
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevel.charOf(b);
            assertThat(seen.add(c)).as("byte %d", b).isTrue();
            assertThat(ByteLevel.byteOf(c)).isEqualTo(b);
            assertThat(Character.isWhitespace(c) || Character.isISOControl(c)).as("byte %d", b).isFalse();
        }
        assertThat(ByteLevel.byteOf(' ')).isEqualTo(-1);
        assertThat(ByteLevel.byteOf('東')).isEqualTo(-1);
    }

    @Test
    void encodesUtf8Bytes() {
        // é is C3 A9, both printable Latin-1; the space is 0x20.
        assertThat(ByteLevel.encode(" é")).isEqualTo("ĠÃ©");
    }
}
