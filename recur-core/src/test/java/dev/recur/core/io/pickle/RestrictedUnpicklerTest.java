package dev.recur.core.io.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.PickleBytes;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The values each allowed opcode builds, as Python's {@code pickle.loads} gives them for the same bytes (the
 * encodings of CPython's {@code Lib/pickletools.py}), with hooks that refuse every global, call and persistent id.
 */
class RestrictedUnpicklerTest {
    private static final PickleHooks NOTHING = new PickleHooks() {
        @Override
        public Object global(String module, String name) {
            throw new PickleRefusal("no globals here: " + module + "." + name);
        }

        @Override
        public Object call(Object callable, PickleTuple args) {
            throw new PickleRefusal("no calls here");
        }

        @Override
        public Object persistentLoad(Object persistentId) {
            throw new PickleRefusal("no persistent ids here");
        }

        @Override
        public void build(Object target, Object state) {
            throw new PickleRefusal("no BUILD here");
        }
    };

    private static Object load(PickleBytes p) {
        return RestrictedUnpickler.load("test.pkl", ByteBuffer.wrap(p.stop().bytes()), NOTHING);
    }

    @Test
    void integersOfEveryWidth() {
        assertThat(load(new PickleBytes().proto(2).op('K').raw(255))).isEqualTo(255L);
        assertThat(load(new PickleBytes().proto(2).op('M').raw(0xff, 0xff))).isEqualTo(65535L);
        assertThat(load(new PickleBytes().proto(2).op('J').raw(0xfe, 0xff, 0xff, 0xff))).isEqualTo(-2L);
        // LONG1: n little-endian two's-complement bytes; pickle.loads(b'\x80\x02\x8a\x01\xff.') == -1
        assertThat(load(new PickleBytes().proto(2).op(0x8a).raw(1, 0xff))).isEqualTo(-1L);
        assertThat(load(new PickleBytes().proto(2).op(0x8a).raw(0))).isEqualTo(0L);
        // pickle.dumps(2**40, 2) = b'\x80\x02\x8a\x06\x00\x00\x00\x00\x00\x01.'
        assertThat(load(new PickleBytes().proto(2).op(0x8a).raw(6, 0, 0, 0, 0, 0, 1))).isEqualTo(1L << 40);
        // pickle.dumps(2**63 - 1, 2) = b'\x80\x02\x8a\x08\xff\xff\xff\xff\xff\xff\xff\x7f.'; -2**63 also takes 8.
        assertThat(load(new PickleBytes().proto(2).op(0x8a).raw(8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(load(new PickleBytes().proto(2).op(0x8a).raw(8, 0, 0, 0, 0, 0, 0, 0, 0x80)))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void floatsStringsAndConstants() {
        // BINFLOAT is big-endian: pickle.dumps(1.5, 2) = b'\x80\x02G?\xf8\x00\x00\x00\x00\x00\x00.'
        assertThat(load(new PickleBytes().proto(2).op('G').raw(0x3f, 0xf8, 0, 0, 0, 0, 0, 0))).isEqualTo(1.5);
        String accents = "\u00e9t\u00e9 \ud83d\ude00";
        assertThat(load(new PickleBytes().proto(2).str(accents))).isEqualTo(accents);
        assertThat(load(new PickleBytes().proto(4).op(0x8c).raw(2, 'h', 'i'))).isEqualTo("hi");
        assertThat(load(new PickleBytes().proto(2).none())).isSameAs(PickleValues.NONE);
        assertThat(load(new PickleBytes().proto(2).bool(true))).isEqualTo(true);
    }

    @Test
    void containersAndTheMemo() {
        Object t = load(new PickleBytes().proto(2).str("a").put(0).get(0).integer(3).op(0x87));
        assertThat(t).isInstanceOf(PickleTuple.class);
        assertThat(((PickleTuple) t).items()).containsExactly("a", "a", 3L);
        Object list = load(new PickleBytes().proto(2).emptyList().mark().integer(1).integer(2).op('e').integer(3)
                .append());
        assertThat(((PickleList) list).items()).containsExactly(1L, 2L, 3L);
        Object dict = load(new PickleBytes().proto(4).emptyDict().op(0x94).mark().str("k").none().integer(7)
                .bool(false).setItems());
        assertThat(((PickleDict) dict).entries()).containsExactly(
                java.util.Map.entry("k", PickleValues.NONE), java.util.Map.entry(7L, false));
        // FRAME (protocol 4) only announces the next bytes.
        Object framed = load(new PickleBytes().proto(4).op(0x95).raw(2, 0, 0, 0, 0, 0, 0, 0).integer(9));
        assertThat(framed).isEqualTo(9L);
    }

    @Test
    void refusalsNameTheOffsetAndTheReason() {
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).global("os", "system")))
                .isExactlyInstanceOf(RecurException.class).hasMessage("test.pkl byte 2: no globals here: os.system");
        assertThatThrownBy(() -> load(new PickleBytes().proto(6))).isInstanceOf(RecurException.class)
                .hasMessage("test.pkl byte 0: PROTO: expected a protocol of at most 5, got 6");
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).none().op('0')))
                .hasMessage("test.pkl byte 3: opcode 0x30 (POP/DUP) is not allowed in a state dict");
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).mark().append()))
                .hasMessage("test.pkl byte 3: expected a value on the stack, got a mark");
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).op('t')))
                .hasMessage("test.pkl byte 2: expected a mark on the stack, got none");
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).mark().integer(1).integer(2).setItems()))
                .hasMessage("test.pkl byte 7: expected a value on the stack, got an empty stack");
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).emptyDict().mark().integer(1).setItems()))
                .hasMessage("test.pkl byte 6: SETITEMS: expected key/value pairs, got 1 items");
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).str("x").integer(1).append()))
                .hasMessage("test.pkl byte 10: APPEND: expected a list, got the str \"x\"");
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).mark()))
                .hasMessage("test.pkl byte 3: STOP: expected exactly one value on the stack and no open mark, got 0 "
                        + "values and 1 marks");
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).op(0x95).raw(0xff, 0, 0, 0, 0, 0, 0, 0)))
                .hasMessage("test.pkl byte 2: FRAME of 255 bytes: expected at most the 1 bytes left");
        assertThatThrownBy(() -> load(new PickleBytes().proto(2).raw('X', 2, 0, 0, 0, 0xc3, 0x28)))
                .hasMessage("test.pkl byte 2: a string of 2 bytes: expected UTF-8, got invalid bytes");
    }

    @Test
    void describeNeverWalksIntoAValue() {
        PickleList self = new PickleList();
        self.add(self);
        assertThat(PickleValues.describe(self)).isEqualTo("a list of 1 item");
        assertThat(PickleValues.describe(new PickleTuple(List.of(1L, 2L)))).isEqualTo("a tuple of 2 items");
        assertThat(PickleValues.describe("a\nb")).isEqualTo("the str \"a\\u000Ab\"");
    }
}
