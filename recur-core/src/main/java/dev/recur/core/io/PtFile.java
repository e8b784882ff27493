package dev.recur.core.io;

import dev.recur.core.RecurException;
import dev.recur.core.io.pickle.PickleDict;
import dev.recur.core.io.pickle.PickleValues;
import dev.recur.core.io.pickle.RestrictedUnpickler;
import dev.recur.core.io.zip.StoredZip;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A PyTorch state dict saved by {@code torch.save(module.state_dict(), f)} (the zip format, PyTorch 1.6 and
 * later), opened for reading without running any Python: a zip of stored records {@code <folder>/data.pkl} (the
 * dict, pickled), {@code <folder>/data/<key>} (each storage's raw bytes), {@code <folder>/version} and, from
 * PyTorch 2.1, {@code <folder>/byteorder}.
 *
 * <p>{@link #open(Path)} checks the zip directory ({@link StoredZip}: stored entries only, every size and offset
 * inside the file), runs {@code data.pkl} through a {@link RestrictedUnpickler} that knows only the globals a
 * state dict needs ({@link TorchPickle}), and checks every tensor against its storage (the storage record exists
 * and has the declared size; every element the shape, strides and offset reach lies inside it) before anything
 * is read. A malformed or hostile file fails with a one-line {@link RecurException} naming the file. Tensors may
 * be views with any non-negative strides and storage offset (a transposed or sliced tensor saved beside its
 * base); reading one gathers its elements in row-major order into a new, contiguous {@link Tensor} or
 * {@link IntTensor}. Instances are safe to share between threads.
 *
 * <p>The legacy (pre-1.6) format, TorchScript archives and checkpoints that nest the state dict in another dict
 * are refused with a message saying so; see {@code docs/pt-files.md}.
 */
public final class PtFile implements TensorFile {
    /** Largest {@code data.pkl} accepted, in bytes (a state dict pickle takes about 100 bytes per tensor). */
    static final long MAX_PICKLE_BYTES = 1L << 30;
    private static final int LOCAL_MAGIC = 0x04034b50;
    private static final int EMPTY_MAGIC = 0x06054b50;

    private final Path path;
    private final String source;
    private final FileChannel channel;
    private final Map<String, PtTensorInfo> tensors;
    private final ByteOrder order;
    private volatile boolean closed;

    private PtFile(Path path, FileChannel channel, Map<String, PtTensorInfo> tensors, ByteOrder order) {
        this.path = path;
        this.source = path.toString();
        this.channel = channel;
        this.tensors = tensors;
        this.order = order;
    }

    /**
     * Opens and validates a {@code torch.save} file.
     *
     * @throws RecurException if the file is not a state dict Recur reads (the message names the file)
     * @throws IOException if it cannot be read (missing, no permission)
     */
    public static PtFile open(Path path) throws IOException {
        String source = path.toString();
        if (Files.isDirectory(path)) {
            throw new RecurException(source + ": expected a torch.save file, got a folder");
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            checkMagic(source, channel, size);
            StoredZip zip = StoredZip.read(source, channel, size);
            String folder = folder(source, zip);
            ByteOrder order = byteOrder(source, channel, zip, folder);
            Object root = unpickle(source, channel, zip, folder);
            Map<String, PtTensorInfo> tensors = tensors(source, root, zip, folder);
            return new PtFile(path, channel, Collections.unmodifiableMap(tensors), order);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    private static void checkMagic(String source, FileChannel channel, long size) throws IOException {
        if (size < 4) {
            throw new RecurException(source + ": expected a torch.save zip archive, got a file of " + size + " bytes");
        }
        ByteBuffer head = StoredZip.readFully(channel, 0, (int) Math.min(size, 16));
        int magic = head.getInt(0);
        if (magic == LOCAL_MAGIC || magic == EMPTY_MAGIC) {
            return;
        }
        if ((head.get(0) & 0xff) == 0x80 && head.get(1) >= 2 && head.get(1) <= 5) {
            throw new RecurException(source + ": expected a torch.save zip archive, got a bare pickle: the legacy "
                    + "torch.save format (PyTorch before 1.6, or _use_new_zipfile_serialization=False), which Recur "
                    + "does not read; load it in PyTorch and save it again with torch.save");
        }
        throw new RecurException(source + ": expected a torch.save zip archive starting with \"PK\\3\\4\", got "
                + String.format("0x%08X", Integer.reverseBytes(magic)));
    }

    /** The archive's top folder, whatever its name: the folder of the first record, as PyTorch's reader takes it. */
    private static String folder(String source, StoredZip zip) {
        if (zip.size() == 0) {
            throw new RecurException(source + ": expected a torch.save archive with a data.pkl record, got an empty "
                    + "zip archive");
        }
        String first = zip.names().get(0);
        int slash = first.indexOf('/');
        if (slash <= 0) {
            throw new RecurException(source + ": expected every record inside one top folder (archive/data.pkl), "
                    + "got " + StoredZip.quote(first));
        }
        String folder = first.substring(0, slash);
        if (zip.get(folder + "/constants.pkl") != null
                || zip.names().stream().anyMatch(n -> n.startsWith(folder + "/code/"))) {
            throw new RecurException(source + ": expected a torch.save state dict, got a TorchScript archive "
                    + "(torch.jit.save); save model.state_dict() with torch.save instead");
        }
        if (zip.get(folder + "/data.pkl") == null) {
            throw new RecurException(source + ": expected a record " + StoredZip.quote(folder + "/data.pkl")
                    + " (the pickled state dict), got none among " + zip.size() + " records");
        }
        return folder;
    }

    /** PyTorch 2.1 and later record the byte order of the storages; older files are little-endian. */
    private static ByteOrder byteOrder(String source, FileChannel channel, StoredZip zip, String folder)
            throws IOException {
        StoredZip.Entry e = zip.get(folder + "/byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String text = e.size() > 16 ? null
                : new String(StoredZip.readFully(channel, e.dataOffset(), (int) e.size()).array(),
                        StandardCharsets.US_ASCII).strip();
        if ("little".equals(text)) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if ("big".equals(text)) {
            return ByteOrder.BIG_ENDIAN;
        }
        throw new RecurException(source + ": record " + StoredZip.quote(folder + "/byteorder")
                + ": expected \"little\" or \"big\", got "
                + (text == null ? e.size() + " bytes" : StoredZip.quote(text)));
    }

    private static Object unpickle(String source, FileChannel channel, StoredZip zip, String folder)
            throws IOException {
        StoredZip.Entry pickle = zip.get(folder + "/data.pkl");
        if (pickle.size() > MAX_PICKLE_BYTES) {
            throw new RecurException(source + ": " + folder + "/data.pkl: expected at most " + MAX_PICKLE_BYTES
                    + " bytes, got " + pickle.size());
        }
        ByteBuffer bytes = pickle.size() == 0 ? ByteBuffer.allocate(0)
                : channel.map(FileChannel.MapMode.READ_ONLY, pickle.dataOffset(), pickle.size());
        return RestrictedUnpickler.load(source + ": " + folder + "/data.pkl", bytes, new TorchPickle());
    }

    /** Checks that the pickle made a flat dict of tensors and that each lies inside its storage. */
    private static Map<String, PtTensorInfo> tensors(String source, Object root, StoredZip zip, String folder) {
        if (!(root instanceof PickleDict dict)) {
            throw new RecurException(source + ": expected a state dict (a dict of tensors), got "
                    + PickleValues.describe(root));
        }
        Map<String, PtTensorInfo> out = new TreeMap<>();
        for (Map.Entry<Object, Object> e : dict.entries().entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new RecurException(source + ": expected tensor names (str keys), got "
                        + PickleValues.describe(e.getKey()));
            }
            String where = source + ": tensor " + PickleValues.quote(name);
            Object value = e.getValue();
            if (value instanceof PickleDict inner) {
                throw new RecurException(where + " is " + PickleValues.describe(inner) + ", not a tensor: "
                        + "expected a flat state dict (torch.save(model.state_dict(), f)); a checkpoint that nests "
                        + "it (e.g. {\"model\": state_dict, ...}) must be saved again with the state dict alone");
            }
            if (!(value instanceof TorchPickle.TensorView view)) {
                throw new RecurException(where + ": expected a tensor, got " + PickleValues.describe(value)
                        + " (Recur reads state dicts of tensors only)");
            }
            out.put(name, checked(where, name, view, zip, folder));
        }
        return out;
    }

    private static PtTensorInfo checked(String where, String name, TorchPickle.TensorView view, StoredZip zip,
                                        String folder) {
        TorchPickle.Storage storage = view.storage();
        String record = folder + "/data/" + storage.key();
        StoredZip.Entry entry = zip.get(record);
        if (entry == null) {
            throw new RecurException(where + ": its storage record " + StoredZip.quote(record) + " is missing");
        }
        int elementSize = storage.dtype().byteSize();
        if (storage.numel() > entry.size() / elementSize || storage.numel() * elementSize != entry.size()) {
            throw new RecurException(where + ": storage record " + StoredZip.quote(record) + " holds "
                    + entry.size() + " bytes: expected " + storage.numel() + " elements x " + elementSize
                    + " bytes of " + storage.dtype());
        }
        long[] shape = view.shape();
        long[] stride = view.stride();
        long numel = 1;
        long last = view.offset();
        try {
            for (int i = 0; i < shape.length; i++) {
                numel = Math.multiplyExact(numel, shape[i]);
            }
            if (numel > 0) {
                for (int i = 0; i < shape.length; i++) {
                    last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
                }
            }
        } catch (ArithmeticException e) {
            throw new RecurException(where + ": shape " + java.util.Arrays.toString(shape) + " with stride "
                    + java.util.Arrays.toString(stride) + ": expected sizes below 2^63, got an overflow");
        }
        if (numel > 0 && last >= storage.numel()) {
            throw new RecurException(where + ": shape " + java.util.Arrays.toString(shape) + ", stride "
                    + java.util.Arrays.toString(stride) + " and storage offset " + view.offset() + " reach element "
                    + last + ": expected below the " + storage.numel() + " elements of its storage");
        }
        if (numel > storage.numel()) {
            throw new RecurException(where + ": expected at most the " + storage.numel() + " elements of its "
                    + "storage, got " + numel + " (a broadcast view with stride 0; save it with .contiguous())");
        }
        return new PtTensorInfo(name, storage.dtype(), shape, stride, view.offset(), storage.key(),
                storage.numel(), entry.dataOffset());
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public PtTensorInfo info(String name) {
        PtTensorInfo info = tensors.get(name);
        if (info == null) {
            List<String> names = names();
            int shown = Math.min(names.size(), 5);
            throw new RecurException(source + ": no tensor named " + PickleValues.quote(name) + " (the file has "
                    + names.size() + " tensors" + (shown == 0 ? "" : ": " + String.join(", ", names.subList(0, shown))
                    + (names.size() > shown ? ", ..." : "")) + ")");
        }
        return info;
    }

    @Override
    public Tensor readFloat(String name) {
        PtTensorInfo info = info(name);
        if (!info.dtype().isFloating()) {
            throw new RecurException(where(info) + ": expected a float dtype (F32, F16, BF16, F64), got "
                    + info.dtype() + "; read it with readInt");
        }
        float[] out = new float[elementCount(info)];
        StorageReader reader = reader(info);
        gather(info, (element, count, at) -> reader.floats(element, count, out, at));
        return Tensor.of(out, intShape(info));
    }

    @Override
    public IntTensor readInt(String name) {
        PtTensorInfo info = info(name);
        if (info.dtype().isFloating()) {
            throw new RecurException(where(info) + ": expected an integer dtype (I64, I32, I16, I8, U8, BOOL), got "
                    + info.dtype() + "; read it with readFloat");
        }
        int[] out = new int[elementCount(info)];
        StorageReader reader = reader(info);
        gather(info, (element, count, at) -> reader.ints(element, count, out, at));
        return IntTensor.of(out, intShape(info));
    }

    private interface Run {
        /** Reads {@code count} consecutive storage elements from {@code element} into output index {@code at}. */
        void read(long element, int count, int at);
    }

    /** Visits the tensor's elements in row-major order, as runs of consecutive storage elements. */
    private void gather(PtTensorInfo info, Run run) {
        if (closed) {
            throw new RecurException(source + ": the file is closed");
        }
        long[] shape = info.shape();
        long[] stride = info.stride();
        int numel = (int) info.numel();
        if (numel == 0) {
            return;
        }
        try {
            if (info.contiguous()) {
                run.read(info.storageOffset(), numel, 0);
                return;
            }
            int last = shape.length - 1;
            int rowLength = (int) shape[last];
            long inner = stride[last];
            long[] index = new long[last];
            long base = info.storageOffset();
            for (int at = 0; at < numel; at += rowLength) {
                if (inner == 1) {
                    run.read(base, rowLength, at);
                } else {
                    for (int j = 0; j < rowLength; j++) {
                        run.read(base + j * inner, 1, at + j);
                    }
                }
                for (int d = last - 1; d >= 0; d--) {
                    base += stride[d];
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    base -= stride[d] * shape[d];
                    index[d] = 0;
                }
            }
        } catch (InternalError e) {
            // A mapped read faults (and the JVM reports an InternalError) when the file shrank after open.
            throw new RecurException(where(info) + ": the file changed while it was read (" + e.getMessage() + ")",
                    e);
        }
    }

    private StorageReader reader(PtTensorInfo info) {
        return new StorageReader(where(info), channel, info.storageFileOffset(),
                info.storageNumel() * info.dtype().byteSize(), info.dtype(), order);
    }

    private int elementCount(PtTensorInfo info) {
        intShape(info); // checks that the tensor fits one array
        return (int) info.numel();
    }

    private int[] intShape(PtTensorInfo info) {
        return TensorFiles.inMemoryShape(where(info), info.shape(), info.numel());
    }

    private String where(PtTensorInfo info) {
        return source + ": tensor " + PickleValues.quote(info.name()) + " (" + info.dtype() + ")";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    @Override
    public String toString() {
        return "PtFile[" + source + ", " + tensors.size() + " tensors]";
    }
}
