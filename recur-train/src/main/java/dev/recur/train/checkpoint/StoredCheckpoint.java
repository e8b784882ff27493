package dev.recur.train.checkpoint;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A checkpoint folder on disk ({@code ckpt-<step>}); reading it does not re-verify the manifest. */
public final class StoredCheckpoint {
    private final Path folder;
    private final long step;

    StoredCheckpoint(Path folder, long step) {
        this.folder = folder;
        this.step = step;
    }

    public Path folder() {
        return folder;
    }

    /** The step in the folder's name. */
    public long step() {
        return step;
    }

    /** The trainer state from {@code trainer.json}. */
    public TrainerState trainerState() throws IOException {
        Path file = folder.resolve(CheckpointStore.TRAINER_FILE);
        return TrainerStateJson.read(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The model tensors from {@code model.safetensors}. */
    public Map<String, Tensor> readModel() throws IOException {
        return readTensors(folder.resolve(CheckpointStore.MODEL_FILE));
    }

    /** The optimiser state from {@code optimizer.safetensors}. */
    public Map<String, Tensor> readOptimizer() throws IOException {
        return readTensors(folder.resolve(CheckpointStore.OPTIMIZER_FILE));
    }

    /** The whole checkpoint; fails if {@code trainer.json}'s step is not the folder's. */
    public Checkpoint load() throws IOException {
        TrainerState trainer = trainerState();
        if (trainer.step() != step) {
            throw new RecurException(folder + ": trainer.json step expected " + step + " (the folder's), got "
                    + trainer.step());
        }
        return new Checkpoint(readModel(), readOptimizer(), trainer);
    }

    private static Map<String, Tensor> readTensors(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                out.put(name, f.readFloat(name));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return folder.toString();
    }
}
