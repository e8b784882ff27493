package dev.recur.core.io.pickle;

import dev.recur.core.RecurException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a pickle (Python's {@code pickle} protocol 2, as {@code torch.save} writes it, plus the few protocol 4
 * opcodes that a state dict saved with {@code pickle_protocol=4} adds) with a fixed set of opcodes: the ones that
 * build strings, numbers, tuples, lists and dicts, the memo, and {@code GLOBAL}, {@code REDUCE},
 * {@code BINPERSID} and {@code BUILD}, each of which asks the caller's {@link PickleHooks}. Every other opcode
 * ({@code INST}, {@code OBJ}, {@code NEWOBJ}, {@code EXT*}, byte strings, ...) is refused, like
 * {@code torch.load(weights_only=True)} refuses anything beyond the globals a state dict needs.
 *
 * <p>Nothing is trusted to size an allocation: a string's declared length is checked against the bytes left, and
 * the value stack, the mark stack and the memo (a dense array, as Python numbers its entries) are capped, so a
 * hostile pickle fails with one line instead of exhausting memory. The machine is a loop over a stack, so deep
 * nesting cannot overflow the Java stack.
 * Opcodes are those of CPython's {@code Lib/pickletools.py}.
 */
public final class RestrictedUnpickler {
    /** Most values on the stack at once (a state dict's {@code SETITEMS} holds at most 1000 pairs there). */
    static final int MAX_STACK = 1_000_000;
    /** Most nested {@code MARK}s. */
    static final int MAX_MARKS = 10_000;
    /** Memo indices must lie below this (Python's pickler numbers them 0, 1, 2, ...). */
    static final int MAX_MEMO = 4_000_000;
    /** Longest string accepted, in UTF-8 bytes. */
    static final int MAX_STRING_BYTES = 1 << 20;
    /** Longest module or name line of a {@code GLOBAL}. */
    private static final int MAX_GLOBAL_LINE = 256;
    private static final int HIGHEST_PROTOCOL = 5;

    private static final Object MARK = new Object();

    private final String source;
    private final ByteBuffer in;
    private final PickleHooks hooks;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private Object[] memo = new Object[64];
    private int memoCount;
    private int opcodeAt;

    private RestrictedUnpickler(String source, ByteBuffer in, PickleHooks hooks) {
        this.source = source;
        this.in = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.hooks = hooks;
    }

    /**
     * Runs the pickle in {@code bytes} (from its position to its limit) and returns the value {@code STOP} leaves.
     *
     * @param source names the pickle in errors, which read {@code source + " byte " + offset + ": " + reason}
     * @throws RecurException for anything malformed or not allowed
     */
    public static Object load(String source, ByteBuffer bytes, PickleHooks hooks) {
        return new RestrictedUnpickler(source, bytes, hooks).run();
    }

    private Object run() {
        int start = in.position();
        try {
            while (true) {
                if (!in.hasRemaining()) {
                    opcodeAt = in.position() - start;
                    throw new PickleRefusal("the pickle ends without a STOP opcode");
                }
                opcodeAt = in.position() - start;
                int op = in.get() & 0xff;
                if (op == '.') {
                    return stop();
                }
                step(op);
            }
        } catch (PickleRefusal e) {
            throw new RecurException(source + " byte " + opcodeAt + ": " + e.getMessage());
        }
    }

    private Object stop() {
        if (stack.size() != 1 || !marks.isEmpty()) {
            throw new PickleRefusal("STOP: expected exactly one value on the stack and no open mark, got "
                    + stack.size() + " values and " + marks.size() + " marks");
        }
        Object value = stack.get(0);
        if (value == MARK) {
            throw new PickleRefusal("STOP: expected a value, got a mark");
        }
        return value;
    }

    private void step(int op) {
        switch (op) {
            case 0x80 -> {
                int protocol = u8();
                if (protocol > HIGHEST_PROTOCOL) {
                    throw new PickleRefusal("PROTO: expected a protocol of at most " + HIGHEST_PROTOCOL + ", got "
                            + protocol);
                }
            }
            case 0x95 -> skipFrame();
            case '(' -> mark();
            case ')' -> push(new PickleTuple(List.of()));
            case 't' -> push(new PickleTuple(popToMark()));
            case 0x85, 0x86, 0x87 -> push(new PickleTuple(popItems(op - 0x84)));
            case ']' -> push(new PickleList());
            case 'a' -> {
                Object item = pop();
                list(peek(), "APPEND").add(item);
            }
            case 'e' -> {
                List<Object> items = popToMark();
                PickleList list = list(peek(), "APPENDS");
                items.forEach(list::add);
            }
            case '}' -> push(new PickleDict(false));
            case 's' -> {
                Object value = pop();
                Object key = pop();
                dict(peek(), "SETITEM").put(key, value);
            }
            case 'u' -> {
                List<Object> items = popToMark();
                if (items.size() % 2 != 0) {
                    throw new PickleRefusal("SETITEMS: expected key/value pairs, got " + items.size() + " items");
                }
                PickleDict dict = dict(peek(), "SETITEMS");
                for (int i = 0; i < items.size(); i += 2) {
                    dict.put(items.get(i), items.get(i + 1));
                }
            }
            case 'N' -> push(PickleValues.NONE);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'K' -> push((long) u8());
            case 'M' -> push((long) (bytes(2).getShort() & 0xffff));
            case 'J' -> push((long) bytes(4).getInt());
            case 0x8a -> push(long1());
            case 'G' -> push(bytes(8).order(ByteOrder.BIG_ENDIAN).getDouble());
            case 'X' -> push(string(bytes(4).getInt() & 0xffffffffL));
            case 0x8c -> push(string(u8()));
            case 'c' -> push(hooks.global(line("module"), line("name")));
            case 0x93 -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleRefusal("STACK_GLOBAL: expected two str, got " + PickleValues.describe(module)
                            + " and " + PickleValues.describe(name));
                }
                push(hooks.global(m, n));
            }
            case 'R' -> {
                Object args = pop();
                Object callable = pop();
                if (!(args instanceof PickleTuple t)) {
                    throw new PickleRefusal("REDUCE: expected a tuple of arguments, got "
                            + PickleValues.describe(args));
                }
                push(hooks.call(callable, t));
            }
            case 'b' -> {
                Object state = pop();
                hooks.build(peek(), state);
            }
            case 'Q' -> push(hooks.persistentLoad(pop()));
            case 'q' -> put(u8());
            case 'r' -> put(bytes(4).getInt() & 0xffffffffL);
            case 0x94 -> put(memoCount);
            case 'h' -> push(get(u8()));
            case 'j' -> push(get(bytes(4).getInt() & 0xffffffffL));
            default -> throw new PickleRefusal("opcode " + opcodeName(op) + " is not allowed in a state dict");
        }
    }

    private void skipFrame() {
        long length = bytes(8).getLong();
        if (length < 0 || length > in.remaining()) {
            throw new PickleRefusal("FRAME of " + Long.toUnsignedString(length) + " bytes: expected at most the "
                    + in.remaining() + " bytes left");
        }
    }

    private void mark() {
        if (marks.size() >= MAX_MARKS) {
            throw new PickleRefusal("expected at most " + MAX_MARKS + " nested marks, got more");
        }
        marks.add(stack.size());
    }

    private void push(Object value) {
        if (stack.size() >= MAX_STACK) {
            throw new PickleRefusal("expected at most " + MAX_STACK + " values on the pickle stack, got more");
        }
        stack.add(value);
    }

    private Object pop() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw new PickleRefusal("expected a value on the stack, got " + (marks.isEmpty() ? "an empty stack"
                    : "a mark"));
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw new PickleRefusal("expected a value on the stack, got " + (marks.isEmpty() ? "an empty stack"
                    : "a mark"));
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popItems(int n) {
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(0, pop());
        }
        return items;
    }

    private List<Object> popToMark() {
        if (marks.isEmpty()) {
            throw new PickleRefusal("expected a mark on the stack, got none");
        }
        int at = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(at, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private void put(long index) {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw new PickleRefusal("memo put: expected a value on the stack, got "
                    + (marks.isEmpty() ? "an empty stack" : "a mark"));
        }
        if (index >= MAX_MEMO) {
            throw new PickleRefusal("memo put at index " + index + ": expected an index below " + MAX_MEMO);
        }
        int i = (int) index;
        if (i >= memo.length) {
            memo = java.util.Arrays.copyOf(memo, (int) Math.min(MAX_MEMO, Math.max(i + 1L, 2L * memo.length)));
        }
        memoCount += memo[i] == null ? 1 : 0;
        memo[i] = stack.get(stack.size() - 1);
    }

    private Object get(long index) {
        Object value = index < memo.length ? memo[(int) index] : null;
        if (value == null) {
            throw new PickleRefusal("memo get: no value was put at index " + index);
        }
        return value;
    }

    private static PickleList list(Object target, String op) {
        if (!(target instanceof PickleList list)) {
            throw new PickleRefusal(op + ": expected a list, got " + PickleValues.describe(target));
        }
        return list;
    }

    private static PickleDict dict(Object target, String op) {
        if (!(target instanceof PickleDict dict)) {
            throw new PickleRefusal(op + ": expected a dict, got " + PickleValues.describe(target));
        }
        return dict;
    }

    private int u8() {
        return bytes(1).get() & 0xff;
    }

    private ByteBuffer bytes(int n) {
        if (in.remaining() < n) {
            throw new PickleRefusal("expected " + n + " more bytes for the opcode's argument, got "
                    + in.remaining());
        }
        ByteBuffer b = in.slice().order(ByteOrder.LITTLE_ENDIAN).limit(n);
        in.position(in.position() + n);
        return b;
    }

    /** LONG1: a little-endian two's-complement integer of n bytes; state dicts need no more than 8. */
    private long long1() {
        int n = u8();
        if (n > 8) {
            throw new PickleRefusal("LONG1 of " + n + " bytes: expected an integer of at most 8 bytes");
        }
        ByteBuffer b = bytes(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b.get(i) & 0xffL) << (8 * i);
        }
        if (n > 0 && n < 8 && (b.get(n - 1) & 0x80) != 0) {
            v |= -1L << (8 * n);
        }
        return v;
    }

    private String string(long length) {
        if (length > MAX_STRING_BYTES) {
            throw new PickleRefusal("a string of " + length + " bytes: expected at most " + MAX_STRING_BYTES);
        }
        ByteBuffer b = bytes((int) length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b).toString();
        } catch (CharacterCodingException e) {
            throw new PickleRefusal("a string of " + length + " bytes: expected UTF-8, got invalid bytes");
        }
    }

    /** One newline-terminated ASCII line of a GLOBAL opcode. */
    private String line(String what) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) {
                throw new PickleRefusal("GLOBAL: the " + what + " line ends without a newline");
            }
            int c = in.get() & 0xff;
            if (c == '\n') {
                return sb.toString();
            }
            if (c < 0x20 || c >= 0x7f) {
                throw new PickleRefusal("GLOBAL: expected a printable ASCII " + what + ", got the byte 0x"
                        + String.format("%02X", c));
            }
            if (sb.length() >= MAX_GLOBAL_LINE) {
                throw new PickleRefusal("GLOBAL: expected a " + what + " of at most " + MAX_GLOBAL_LINE
                        + " characters, got more");
            }
            sb.append((char) c);
        }
    }

    private static String opcodeName(int op) {
        String name = switch (op) {
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 0x82, 0x83, 0x84 -> "EXT";
            case 'S' -> "STRING";
            case 'T', 'U' -> "BINSTRING";
            case 'B', 'C', 0x8e -> "BINBYTES";
            case 0x96 -> "BYTEARRAY8";
            case 0x97, 0x98 -> "BUFFER";
            case 'V' -> "UNICODE";
            case 0x8d -> "BINUNICODE8";
            case 'P' -> "PERSID";
            case 'I', 'L', 'F' -> "text number";
            case 'd', 'l' -> "text container";
            case '0', '1', '2' -> "POP/DUP";
            case 'g', 'p' -> "text memo";
            case 0x8f, 0x90, 0x91 -> "set";
            default -> null;
        };
        String hex = String.format("0x%02X", op);
        if (name == null) {
            return hex + (op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "") + " (not a pickle opcode)";
        }
        return hex + " (" + name + ")";
    }
}
