package dev.recur.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that readers see the old content or the new, never a partial file: the content goes to a
 * temporary file in the same folder, is fsynced, then renamed over the target. On failure the target is left as
 * it was and the temporary file is removed. The target's folder must exist.
 */
public final class AtomicFiles {
    /** Writes a file's whole content to an open channel; the channel is positioned at 0 of an empty file. */
    @FunctionalInterface
    public interface ChannelWriter {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {}

    /** Replaces {@code target} with {@code data}. */
    public static void write(Path target, byte[] data) throws IOException {
        write(target, ch -> writeFully(ch, ByteBuffer.wrap(data)));
    }

    /** Replaces {@code target} with what {@code body} writes. */
    public static void write(Path target, ChannelWriter body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                body.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes every remaining byte of {@code buf} (one {@code write} call may write only part of it). */
    public static void writeFully(FileChannel channel, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** Makes renames durable where the platform lets a folder be fsynced (Linux does; some do not). */
    public static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the data itself is already on disk.
        }
    }
}
