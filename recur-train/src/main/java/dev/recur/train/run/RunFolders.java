package dev.recur.train.run;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Run folders under {@code runs/}: named by local date and time, so that they sort by age. */
public final class RunFolders {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunFolders() {}

    /** A new folder {@code parent/<date-time>} (with a suffix when that name is taken). */
    public static Path createNew(Path parent) throws IOException {
        Files.createDirectories(parent);
        String base = NAME.format(LocalDateTime.now());
        for (int i = 0; i < 100; i++) {
            Path dir = parent.resolve(i == 0 ? base : base + "-" + i);
            try {
                return Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
        throw new RecurException("recur train: could not create a new run folder under " + parent);
    }

    /** Fails unless {@code dir} is absent or an empty folder (a run never writes over another's files). */
    public static void requireEmpty(Path dir) throws IOException {
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new RecurException("recur train: --out " + dir + " is not empty; use --resume to"
                            + " continue that run, or another folder");
                }
            }
        } else if (dir != null && Files.exists(dir)) {
            throw new RecurException("recur train: --out " + dir + " is a file, expected a folder");
        }
    }

    /** The newest folder under {@code parent} that holds a {@link RunSettings#FILE}. */
    public static Optional<Path> newest(Path parent) throws IOException {
        if (!Files.isDirectory(parent)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(RunSettings.FILE)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }
}
