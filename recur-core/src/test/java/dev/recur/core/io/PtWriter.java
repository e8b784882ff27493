package dev.recur.core.io;

import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a state dict the way {@code torch.save(state_dict, f)} does (PyTorch 1.13: a stored zip whose folder is
 * the file's stem, {@code data.pkl} in pickle protocol 2 with an {@code OrderedDict} of
 * {@code _rebuild_tensor_v2} calls and a {@code _metadata} state, one {@code data/<key>} record per storage,
 * {@code version}), for tests that need a {@code .pt} copy of weights they built in Java: a {@link Tensor} becomes
 * a FloatStorage, an {@link IntTensor} a LongStorage. {@code torch.load} reads what it writes (checked with
 * PyTorch 1.13 when it was written); Recur's reader is tested against files PyTorch wrote
 * ({@code PtGoldenTest}). Shared with other modules' tests through the test jar.
 */
public final class PtWriter {
    private PtWriter() {}

    /** Writes {@code tensors} (values {@link Tensor} or {@link IntTensor}, in map order) to {@code file}. */
    public static void write(Path file, Map<String, ?> tensors) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        PickleBytes p = new PickleBytes().proto(2).orderedDict().mark();
        ZipBytes zip = new ZipBytes();
        int key = 0;
        byte[][] records = new byte[tensors.size()][];
        for (Map.Entry<String, ?> e : tensors.entrySet()) {
            int[] shape;
            byte[] data;
            String type;
            if (e.getValue() instanceof Tensor t) {
                shape = t.shape();
                ByteBuffer b = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t.data());
                data = b.array();
                type = "FloatStorage";
            } else {
                IntTensor t = (IntTensor) e.getValue();
                shape = t.shape();
                ByteBuffer b = ByteBuffer.allocate(8 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : t.data()) {
                    b.putLong(v);
                }
                data = b.array();
                type = "LongStorage";
            }
            long[] longShape = new long[shape.length];
            long[] stride = new long[shape.length];
            long step = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                longShape[i] = shape[i];
                stride[i] = step;
                step *= shape[i];
            }
            long numel = step;
            p.str(e.getKey()).tensor(type, String.valueOf(key), numel, 0, longShape, stride);
            records[key++] = data;
        }
        p.setItems().emptyDict().str("_metadata").orderedDict().str("").emptyDict().str("version").integer(1)
                .setItem().setItem().setItem().build().stop();
        zip.add(stem + "/data.pkl", p.bytes());
        for (int i = 0; i < records.length; i++) {
            zip.add(stem + "/data/" + i, records[i]);
        }
        zip.add(stem + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(file, zip.build());
    }
}
