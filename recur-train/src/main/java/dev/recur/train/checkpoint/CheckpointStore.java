package dev.recur.train.checkpoint;

import dev.recur.core.RecurException;
import dev.recur.core.io.AtomicFiles;
import dev.recur.core.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of checkpoints, {@code ckpt-<step>}, each holding {@code model.safetensors},
 * {@code optimizer.safetensors}, {@code trainer.json} and {@code MANIFEST.sha256}.
 *
 * <p>{@link #save(Checkpoint)} writes into a hidden temporary folder, fsyncs every file and the folder, renames
 * the folder to {@code ckpt-<step>} in one atomic step, fsyncs the parent, then keeps only the newest
 * {@code keepLast} checkpoints. A crash leaves either the old set or the new one, plus perhaps a hidden
 * temporary folder, which {@link #latestVerified()} never looks at and the next save removes.
 * {@link #latestVerified()} returns the newest checkpoint whose manifest verifies, reporting each newer one that
 * does not (truncated, corrupted, incomplete) to the warning callback. One writer per folder.
 */
public final class CheckpointStore {
    static final String MODEL_FILE = "model.safetensors";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String TRAINER_FILE = "trainer.json";
    static final List<String> FILES = List.of(MODEL_FILE, OPTIMIZER_FILE, TRAINER_FILE);
    private static final String PREFIX = "ckpt-";
    private static final String TEMP_PREFIX = ".tmp-ckpt-";
    private static final String TRASH_PREFIX = ".old-ckpt-";
    private static final Pattern NAME = Pattern.compile("ckpt-(0|[1-9][0-9]{0,18})");

    private final Path root;
    private final int keepLast;
    private final Consumer<String> warnings;

    /**
     * @param root the folder holding the checkpoints (created on the first save)
     * @param keepLast how many of the newest checkpoints to keep, at least 1
     * @param warnings receives one line per checkpoint skipped as unverifiable
     */
    public CheckpointStore(Path root, int keepLast, Consumer<String> warnings) {
        if (keepLast < 1) {
            throw new RecurException("CheckpointStore: keepLast expected >= 1, got " + keepLast);
        }
        if (root == null || warnings == null) {
            throw new RecurException("CheckpointStore: expected a folder and a warning callback, got null");
        }
        this.root = root;
        this.keepLast = keepLast;
        this.warnings = warnings;
    }

    public Path root() {
        return root;
    }

    /** Writes {@code checkpoint} as {@code ckpt-<step>} (replacing one of the same step), then prunes. */
    public StoredCheckpoint save(Checkpoint checkpoint) throws IOException {
        long step = checkpoint.step();
        Files.createDirectories(root);
        removeLeftovers();
        Path temp = Files.createTempDirectory(root, TEMP_PREFIX + step + "-");
        boolean published = false;
        try {
            SafetensorsWriter model = new SafetensorsWriter().metadata("format", "recur-checkpoint-model");
            checkpoint.model().forEach(model::add);
            model.write(temp.resolve(MODEL_FILE));
            SafetensorsWriter optimizer = new SafetensorsWriter().metadata("format", "recur-checkpoint-optimizer");
            checkpoint.optimizer().forEach(optimizer::add);
            optimizer.write(temp.resolve(OPTIMIZER_FILE));
            writeSynced(temp.resolve(TRAINER_FILE), TrainerStateJson.write(checkpoint.trainer()));
            writeSynced(temp.resolve(Manifest.FILE), Manifest.compute(temp, FILES));
            AtomicFiles.syncDirectory(temp);

            Path target = root.resolve(PREFIX + step);
            Path replaced = null;
            if (Files.exists(target)) {
                replaced = root.resolve(TRASH_PREFIX + step + "-" + temp.getFileName().toString()
                        .substring(TEMP_PREFIX.length()));
                moveAtomically(target, replaced);
            }
            moveAtomically(temp, target);
            published = true;
            AtomicFiles.syncDirectory(root);
            if (replaced != null) {
                deleteTree(replaced);
            }
            prune();
            return new StoredCheckpoint(target, step);
        } finally {
            if (!published) {
                deleteQuietly(temp);
            }
        }
    }

    /** The checkpoints in the folder, newest (highest step) first, verified or not. */
    public List<StoredCheckpoint> list() throws IOException {
        List<StoredCheckpoint> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> entries = Files.list(root)) {
            entries.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    try {
                        out.add(new StoredCheckpoint(p, Long.parseLong(m.group(1))));
                    } catch (NumberFormatException e) {
                        // Nineteen digits above Long.MAX_VALUE: not a name this store writes.
                    }
                }
            });
        }
        out.sort(Comparator.comparingLong(StoredCheckpoint::step).reversed());
        return out;
    }

    /**
     * Checks a checkpoint folder against its manifest; empty when every required file is listed and every
     * listed file has its hash, else the reason it does not verify.
     */
    public static Optional<String> verify(Path folder) {
        return Manifest.verify(folder, FILES);
    }

    /** The newest checkpoint that verifies; newer ones that do not are reported to the warning callback. */
    public Optional<StoredCheckpoint> latestVerified() throws IOException {
        for (StoredCheckpoint c : list()) {
            Optional<String> problem = verify(c.folder());
            if (problem.isEmpty()) {
                return Optional.of(c);
            }
            warnings.accept("checkpoint " + c.folder() + " does not verify (" + problem.get() + "); skipping it");
        }
        return Optional.empty();
    }

    private void prune() throws IOException {
        List<StoredCheckpoint> all = list();
        for (int i = keepLast; i < all.size(); i++) {
            Path old = all.get(i).folder();
            Path trash = root.resolve(TRASH_PREFIX + old.getFileName());
            // Renamed first so that a half-deleted folder never looks like a checkpoint.
            moveAtomically(old, trash);
            deleteTree(trash);
        }
    }

    /** Temporary and trash folders of interrupted saves and prunes. */
    private void removeLeftovers() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(TEMP_PREFIX) || name.startsWith(TRASH_PREFIX)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void writeSynced(Path file, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("checkpoint folder " + from.getParent() + ": the file system cannot rename "
                    + from.getFileName() + " atomically", e);
        }
    }

    /** Cleanup after a failed save must not hide why it failed; what is left, the next save removes. */
    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | RuntimeException e) {
            return;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
