package dev.recur.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hand-built malformed or hostile {@code torch.save} files, each with a fragment that {@link PtFile#open}'s
 * one-line error must contain: broken zips (truncated, compressed, overlapping, lying counts and offsets), pickles
 * that call what a state dict may not, pickles that try to exhaust memory or the stack, and tensors that reach
 * outside their storage. Shared with the command-line tests through the test jar.
 */
public final class HostilePt {
    private HostilePt() {}

    /** A hostile file: a short name, its bytes, and a fragment of the expected error message. */
    public record Case(String name, byte[] bytes, String expectedMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every hostile case. */
    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        zipCases(c);
        pickleCases(c);
        tensorCases(c);
        return c;
    }

    private static void zipCases(List<Case> c) {
        byte[] valid = archive(oneTensor("FloatStorage", 2, 0, new long[] {2}, new long[] {1}), new byte[8]);
        c.add(new Case("empty-file", new byte[0], "expected a torch.save zip archive, got a file of 0 bytes"));
        c.add(new Case("not-a-zip", "plain text, not an archive".getBytes(StandardCharsets.US_ASCII),
                "expected a torch.save zip archive starting with \"PK\\3\\4\", got 0x706C6169"));
        c.add(new Case("truncated-zip", Arrays.copyOf(valid, valid.length / 2),
                "no zip end-of-central-directory record: the file is truncated or not a zip archive"));
        c.add(new Case("zip-bomb", new ZipBytes().addClaiming("a/data.pkl", new byte[] {3, 0}, 8, 1L << 40)
                .build(), "entry \"a/data.pkl\" is compressed (method 8, deflate): expected stored entries"));
        c.add(new Case("local-header-past-directory", new ZipBytes().addAt("a/data.pkl", new byte[4], 1L << 20)
                .build(), "local header at byte 1048576 is not before the central directory"));
        c.add(new Case("header-name-mismatch", new ZipBytes().add("a/data.pkl", new byte[8]).addAt("a/data/0",
                new byte[8], 0).build(), "local header names \"a/data.pkl\": expected the central record's name"));
        // An entry whose local header hides inside another entry's data: both would read the same bytes.
        byte[] inner = Arrays.copyOf(new ZipBytes().add("a/data/0", new byte[4]).build(), 42);
        c.add(new Case("overlapping-entries", new ZipBytes().add("a/data.pkl", inner).addAt("a/data/0", new byte[4],
                40).build(), "entries 0 and 1 overlap: entry 1 starts at byte 40, before entry 0 ends at byte 82"));
        c.add(new Case("entry-count-too-large", patchShort(valid, valid.length - 12, 0xfffe),
                "cannot hold the 65534 entries its end record declares"));
        c.add(new Case("directory-past-end", patchInt(valid, valid.length - 6, 0x7fff0000),
                "runs past its end record"));
        c.add(new Case("zip64-without-locator", patchShort(valid, valid.length - 12, 0xffff),
                "expected a ZIP64 locator (0x07064B50)"));
        c.add(new Case("duplicate-entry", new ZipBytes().add("a/data.pkl", new byte[1]).add("a/data.pkl",
                new byte[1]).build(), "entry \"a/data.pkl\" appears twice"));
        c.add(new Case("no-data-pkl", new ZipBytes().add("a/version", "3\n".getBytes(StandardCharsets.US_ASCII))
                .build(), "expected a record \"a/data.pkl\" (the pickled state dict), got none among 1 records"));
        c.add(new Case("no-top-folder", new ZipBytes().add("data.pkl", new byte[1]).build(),
                "expected every record inside one top folder (archive/data.pkl), got \"data.pkl\""));
        c.add(new Case("torchscript", new ZipBytes().add("m/data.pkl", new byte[1]).add("m/constants.pkl",
                new byte[1]).add("m/code/__torch__.py", new byte[1]).build(),
                "got a TorchScript archive (torch.jit.save)"));
        c.add(new Case("bad-byteorder", new ZipBytes().add("a/data.pkl", new byte[1]).add("a/byteorder",
                "middle".getBytes(StandardCharsets.US_ASCII)).build(),
                "record \"a/byteorder\": expected \"little\" or \"big\", got \"middle\""));
        c.add(new Case("empty-zip", new ZipBytes().build(), "got an empty zip archive"));
    }

    private static void pickleCases(List<Case> c) {
        c.add(pickle("os-system", new PickleBytes().proto(2).global("os", "system").str("echo pwned").op(0x85)
                .reduce().stop(), "pickle global 'os.system' is not allowed in a state dict"));
        c.add(pickle("builtins-eval", new PickleBytes().proto(2).global("builtins", "eval").stop(),
                "pickle global 'builtins.eval' is not allowed in a state dict"));
        c.add(pickle("stack-global-subprocess", new PickleBytes().proto(4).str("subprocess").str("Popen")
                .op(0x93).stop(), "pickle global 'subprocess.Popen' is not allowed in a state dict"));
        c.add(pickle("complex-storage", new PickleBytes().proto(2).global("torch", "ComplexFloatStorage").stop(),
                "pickle global 'torch.ComplexFloatStorage' is a storage type Recur does not read"));
        c.add(pickle("not-a-pickle", new PickleBytes().raw("\0\1garbage".getBytes(StandardCharsets.US_ASCII)),
                "data.pkl byte 0: opcode 0x00 (not a pickle opcode) is not allowed in a state dict"));
        c.add(pickle("empty-pickle", new PickleBytes(), "byte 0: the pickle ends without a STOP opcode"));
        c.add(pickle("text-pickle", new PickleBytes().raw("(dp0\n.".getBytes(StandardCharsets.US_ASCII)),
                "byte 1: opcode 0x64 (text container) is not allowed in a state dict"));
        c.add(pickle("newobj", new PickleBytes().proto(2).orderedDict().emptyTuple().op(0x81).stop(),
                "opcode 0x81 (NEWOBJ) is not allowed in a state dict"));
        c.add(pickle("self-referencing-dict", new PickleBytes().proto(2).emptyDict().put(0).str("x").get(0)
                .setItem().stop(), "tensor \"x\" is a dict of 1 entry, not a tensor"));
        c.add(pickle("self-referencing-list", new PickleBytes().proto(2).emptyDict().str("x").emptyList().put(0)
                .get(0).append().setItem().stop(), "tensor \"x\": expected a tensor, got a list of 1 item"));
        c.add(pickle("list-as-key", new PickleBytes().proto(2).emptyDict().emptyList().str("v").setItem().stop(),
                "a dict key must be a str, an int, a bool or None, got a list of 0 items"));
        PickleBytes marks = new PickleBytes().proto(2);
        for (int i = 0; i < 20_000; i++) {
            marks.mark();
        }
        c.add(pickle("deep-marks", marks.stop(), "expected at most 10000 nested marks, got more"));
        PickleBytes deep = new PickleBytes().proto(2).emptyDict().str("x");
        for (int i = 0; i < 100_000; i++) {
            deep.emptyList();
        }
        for (int i = 1; i < 100_000; i++) {
            deep.append();
        }
        c.add(pickle("deep-nesting", deep.setItem().stop(), "tensor \"x\": expected a tensor, got a list of 1 item"));
        c.add(pickle("memo-index-past-cap", new PickleBytes().proto(2).emptyDict().put(4_000_000).stop(),
                "memo put at index 4000000: expected an index below 4000000"));
        c.add(pickle("memo-get-missing", new PickleBytes().proto(2).get(5).stop(),
                "memo get: no value was put at index 5"));
        c.add(pickle("huge-string", new PickleBytes().proto(2).strClaiming(0x7fffffffL).stop(),
                "a string of 2147483647 bytes: expected at most 1048576"));
        c.add(pickle("string-past-end", new PickleBytes().proto(2).strClaiming(1000).raw(1, 2, 3),
                "expected 1000 more bytes for the opcode's argument, got 3"));
        c.add(pickle("long1-too-wide", new PickleBytes().proto(2).op(0x8a).raw(200).stop(),
                "LONG1 of 200 bytes: expected an integer of at most 8 bytes"));
        c.add(pickle("no-stop", new PickleBytes().proto(2).emptyDict(), "the pickle ends without a STOP opcode"));
        c.add(pickle("two-values", new PickleBytes().proto(2).emptyDict().emptyDict().stop(),
                "STOP: expected exactly one value on the stack and no open mark, got 2 values and 0 marks"));
        c.add(pickle("not-a-dict", new PickleBytes().proto(2).emptyList().stop(),
                "expected a state dict (a dict of tensors), got a list of 0 items"));
        c.add(pickle("call-a-string", new PickleBytes().proto(2).str("x").emptyTuple().reduce().stop(),
                "REDUCE: the str \"x\" cannot be called in a state dict"));
        c.add(pickle("call-a-storage-type", new PickleBytes().proto(2).global("torch", "FloatStorage").emptyTuple()
                .reduce().stop(), "REDUCE: the class torch.FloatStorage cannot be called in a state dict"));
        c.add(pickle("bad-persistent-id", new PickleBytes().proto(2).str("junk").persistentId().stop(),
                "persistent id: expected ('storage', type, key, location, numel), got the str \"junk\""));
        c.add(pickle("storage-key-path", new PickleBytes().proto(2).storage("FloatStorage", "../../etc/passwd", 1)
                .stop(), "expected a storage key that is a plain record name, got the str \"../../etc/passwd\""));
        c.add(pickle("build-on-a-list", new PickleBytes().proto(2).emptyList().emptyDict().build().stop(),
                "BUILD: expected to set the state of a dict, got a list of 0 items"));
        c.add(pickle("ordered-dict-with-arguments", new PickleBytes().proto(2).global("collections", "OrderedDict")
                .emptyList().op(0x85).reduce().stop(), "the function collections.OrderedDict: expected 0 arguments, "
                + "got 1"));
        c.add(pickle("bad-global-line", new PickleBytes().proto(2).raw('c').raw("os\nsys\tem\n".getBytes(
                StandardCharsets.US_ASCII)).stop(), "GLOBAL: expected a printable ASCII name, got the byte 0x09"));
    }

    private static void tensorCases(List<Case> c) {
        c.add(new Case("storage-missing", archive(oneTensor("FloatStorage", 2, 0, new long[] {2}, new long[] {1})),
                "tensor \"w\": its storage record \"a/data/0\" is missing"));
        c.add(new Case("storage-size-mismatch", archive(oneTensor("FloatStorage", 100, 0, new long[] {2},
                new long[] {1}), new byte[8]), "storage record \"a/data/0\" holds 8 bytes: expected 100 elements x "
                + "4 bytes of F32"));
        c.add(new Case("huge-declared-shape", archive(oneTensor("FloatStorage", 2, 0, new long[] {1L << 40},
                new long[] {1}), new byte[8]), "reach element 1099511627775: expected below the 2 elements of its "
                + "storage"));
        c.add(new Case("shape-overflow", archive(oneTensor("FloatStorage", 2, 0, new long[] {1L << 40, 1L << 40},
                new long[] {1, 1}), new byte[8]), "expected sizes below 2^63, got an overflow"));
        c.add(new Case("offset-out-of-range", archive(oneTensor("FloatStorage", 2, 5, new long[] {1},
                new long[] {1}), new byte[8]), "storage offset 5 reach element 5: expected below the 2 elements"));
        c.add(new Case("broadcast-bomb", archive(oneTensor("FloatStorage", 1, 0, new long[] {1L << 30},
                new long[] {0}), new byte[4]), "expected at most the 1 elements of its storage, got 1073741824"));
        c.add(new Case("negative-stride", archive(oneTensor("FloatStorage", 2, 0, new long[] {2},
                new long[] {-1}), new byte[8]), "stride[0]: expected a non-negative int, got the int -1"));
        c.add(new Case("rank-mismatch", archive(oneTensor("FloatStorage", 2, 0, new long[] {2},
                new long[] {1, 1}), new byte[8]), "expected as many strides as dimensions, got size of 1 and stride "
                + "of 2"));
        c.add(new Case("too-many-dimensions", archive(oneTensor("FloatStorage", 1, 0, new long[65],
                new long[65]), new byte[4]), "size: expected at most 64 dimensions, got 65"));
        c.add(new Case("rebuild-with-two-arguments", archive(new PickleBytes().proto(2).emptyDict().str("w")
                .global("torch._utils", "_rebuild_tensor_v2").emptyTuple().emptyTuple().op(0x86).reduce().setItem()
                .stop().bytes()), "the function torch._utils._rebuild_tensor_v2: expected 6 to 7 arguments, got 2"));
    }

    /** A state dict {@code {"w": tensor}} over storage "0" of {@code numel} elements of {@code type}. */
    private static byte[] oneTensor(String type, long numel, long offset, long[] shape, long[] stride) {
        return new PickleBytes().proto(2).emptyDict().str("w").tensor(type, "0", numel, offset, shape, stride)
                .setItem().stop().bytes();
    }

    private static Case pickle(String name, PickleBytes pickle, String expected) {
        return new Case(name, archive(pickle.bytes()), expected);
    }

    /** An archive of folder "a": data.pkl, then data/0, data/1, ... for the storages, then version. */
    static byte[] archive(byte[] pickle, byte[]... storages) {
        ZipBytes zip = new ZipBytes().add("a/data.pkl", pickle);
        for (int i = 0; i < storages.length; i++) {
            zip.add("a/data/" + i, storages[i]);
        }
        return zip.add("a/version", "3\n".getBytes(StandardCharsets.US_ASCII)).build();
    }

    private static byte[] patchShort(byte[] bytes, int at, int value) {
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
        return out;
    }

    private static byte[] patchInt(byte[] bytes, int at, int value) {
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return out;
    }
}
