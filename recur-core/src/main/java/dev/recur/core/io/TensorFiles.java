package dev.recur.core.io;

import dev.recur.core.RecurException;
import dev.recur.core.io.zip.StoredZip;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Opens a tensor file of either kind Recur reads: a {@code torch.save} zip archive ({@link PtFile}) when the file
 * starts with a zip signature or is named {@code .pt}, {@code .pth} or {@code .bin}, a safetensors file
 * ({@link SafetensorsFile}) otherwise. Recur writes safetensors only.
 */
public final class TensorFiles {
    /** The extensions tried, in order, by {@link #find}: safetensors first, then the names torch.save files get. */
    public static final List<String> EXTENSIONS = List.of(".safetensors", ".pt", ".pth", ".bin");

    private static final int ZIP_LOCAL = 0x04034b50;
    private static final int ZIP_EMPTY = 0x06054b50;

    private TensorFiles() {}

    /**
     * Opens {@code path} by its content: a zip archive is a torch.save file, anything else a safetensors file
     * unless its name ends in {@code .pt}, {@code .pth} or {@code .bin}.
     *
     * @throws RecurException if the file is malformed (the message names the file)
     * @throws IOException if it cannot be read
     */
    public static TensorFile open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new RecurException(path + ": expected a tensor file (safetensors or torch.save), got a folder");
        }
        return isTorchSave(path) ? PtFile.open(path) : SafetensorsFile.open(path);
    }

    /** Whether {@link #open} reads {@code path} as a torch.save file. */
    public static boolean isTorchSave(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (channel.size() >= 4) {
                int magic = StoredZip.readFully(channel, 0, 4).getInt(0);
                if (magic == ZIP_LOCAL || magic == ZIP_EMPTY) {
                    return true;
                }
            }
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin");
    }

    /**
     * The tensor file {@code stem + extension} in {@code dir}, trying {@link #EXTENSIONS} in order; when none
     * exists, {@code stem.safetensors} (so that a missing-file error names the usual file).
     */
    public static Path find(Path dir, String stem) {
        for (String extension : EXTENSIONS) {
            Path p = dir.resolve(stem + extension);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return dir.resolve(stem + EXTENSIONS.get(0));
    }

    /**
     * A tensor's shape as ints, for a tensor read into one array: at most {@code 2^31 - 1} elements, each
     * dimension too; errors begin with {@code where} (the file and tensor).
     */
    static int[] inMemoryShape(String where, long[] shape, long numel) {
        if (numel > Integer.MAX_VALUE) {
            throw new RecurException(where + ": expected at most " + Integer.MAX_VALUE
                    + " elements for an in-memory tensor, got " + numel);
        }
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            // numel <= 2^31-1 bounds each dimension too, unless another dimension is 0.
            if (shape[i] > Integer.MAX_VALUE) {
                throw new RecurException(where + ": dimension " + i + ": expected at most " + Integer.MAX_VALUE
                        + ", got " + shape[i]);
            }
            out[i] = (int) shape[i];
        }
        return out;
    }
}
