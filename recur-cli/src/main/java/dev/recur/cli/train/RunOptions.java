package dev.recur.cli.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.recur.core.RecurException;
import dev.recur.train.loop.TrainerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Everything {@code recur train} was asked to do, saved as {@code run.json} in the run folder so that
 * {@code --resume} continues the same run (same data, model and schedule) whatever flags it is given.
 *
 * @param text the training file, or null for the default corpus
 * @param dataSha256 the sha256 of the training text (a resumed run refuses other text)
 * @param model {@code lstm} or {@code mamba}
 * @param width hidden size
 * @param layers stacked layers
 * @param seed initialisation, data order and sampling seed
 */
public record RunOptions(String text, String dataSha256, String model, int width, int layers, long seed,
                         long steps, int batch, int seqLen, double lr, String schedule, double clip,
                         double weightDecay, long evalEvery, int evalBatch, long checkpointEvery) {
    public static final String FILE = "run.json";

    private static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The trainer's part of these options. */
    public TrainerConfig trainerConfig() {
        return new TrainerConfig(steps, batch, seqLen, lr, schedule, clip, weightDecay, evalEvery, evalBatch,
                checkpointEvery, 3, seed);
    }

    public RunOptions withSteps(long value) {
        return new RunOptions(text, dataSha256, model, width, layers, seed, value, batch, seqLen, lr, schedule, clip,
                weightDecay, evalEvery, evalBatch, checkpointEvery);
    }

    public void write(Path runDir) throws IOException {
        Files.writeString(runDir.resolve(FILE), mapper().writeValueAsString(this) + "\n", StandardCharsets.UTF_8);
    }

    public static RunOptions read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + " (not a run folder of recur train)");
        }
        try {
            return mapper().readValue(Files.readString(file, StandardCharsets.UTF_8), RunOptions.class);
        } catch (JsonProcessingException e) {
            throw new RecurException(file + ": not a valid run.json: " + e.getOriginalMessage(), e);
        }
    }
}
