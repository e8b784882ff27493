package dev.recur.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Emits pickle opcodes one by one (CPython's {@code Lib/pickletools.py} names), for tests that need pickles
 * PyTorch would never write. Shared with other modules' tests through the test jar.
 */
public final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PickleBytes proto(int protocol) {
        return op(0x80).raw(protocol);
    }

    public PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    public PickleBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    public PickleBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public PickleBytes global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    public PickleBytes mark() {
        return op('(');
    }

    public PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').int32(b.length).raw(b);
    }

    /** A BINUNICODE that declares {@code length} bytes but carries none. */
    public PickleBytes strClaiming(long length) {
        return op('X').int32((int) length);
    }

    /** The smallest integer opcode that holds {@code v}. */
    public PickleBytes integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').raw((int) v);
        }
        if (v >= 0 && v < 65536) {
            return op('M').raw((int) v & 0xff, (int) (v >>> 8));
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').int32((int) v);
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        return op(0x8a).raw(8).raw(b.array());
    }

    public PickleBytes bool(boolean v) {
        return op(v ? 0x88 : 0x89);
    }

    public PickleBytes none() {
        return op('N');
    }

    public PickleBytes tuple() {
        return op('t');
    }

    public PickleBytes emptyTuple() {
        return op(')');
    }

    public PickleBytes emptyDict() {
        return op('}');
    }

    public PickleBytes emptyList() {
        return op(']');
    }

    public PickleBytes reduce() {
        return op('R');
    }

    public PickleBytes setItem() {
        return op('s');
    }

    public PickleBytes setItems() {
        return op('u');
    }

    public PickleBytes append() {
        return op('a');
    }

    public PickleBytes build() {
        return op('b');
    }

    public PickleBytes persistentId() {
        return op('Q');
    }

    public PickleBytes put(int index) {
        return index < 256 ? op('q').raw(index) : op('r').int32(index);
    }

    public PickleBytes get(int index) {
        return index < 256 ? op('h').raw(index) : op('j').int32(index);
    }

    public PickleBytes stop() {
        return op('.');
    }

    /** {@code collections.OrderedDict()}. */
    public PickleBytes orderedDict() {
        return global("collections", "OrderedDict").emptyTuple().reduce();
    }

    /** {@code ('storage', torch.<type>, key, 'cpu', numel)} loaded as a persistent id. */
    public PickleBytes storage(String type, String key, long numel) {
        return mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel).tuple().persistentId();
    }

    /**
     * {@code _rebuild_tensor_v2(storage, offset, shape, stride, False, OrderedDict())}, the storage being
     * {@code ('storage', torch.<type>, key, 'cpu', numel)}.
     */
    public PickleBytes tensor(String type, String key, long numel, long offset, long[] shape, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark().storage(type, key, numel).integer(offset);
        mark();
        for (long d : shape) {
            integer(d);
        }
        tuple().mark();
        for (long s : stride) {
            integer(s);
        }
        return tuple().bool(false).orderedDict().tuple().reduce();
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    private PickleBytes int32(int v) {
        return raw(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    }
}
