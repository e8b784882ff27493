package dev.recur.train.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.stack.StackLm;
import dev.recur.tasks.text.Corpus;
import dev.recur.train.loop.Evaluation;
import dev.recur.train.loop.LoopResult;
import dev.recur.train.loop.TrainingListener;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A language model of any layer spec trains through the run API, and its folder, loaded again from disk, scores
 * the held-out bytes exactly as the run's own final evaluation did (the held-out part recomputed here from the
 * text by the corpus's split, then scored through {@link Evaluation} on the reloaded model).
 */
class LanguageModelRunTest {
    @TempDir
    Path dir;

    private Path text() throws IOException {
        String line = "the cat sat on the mat; the dog sat on the log. ";
        return Files.writeString(dir.resolve("t.txt"), line.repeat(60), StandardCharsets.UTF_8);
    }

    @Test
    void specModelsReloadAndScoreTheirFinalEvaluation() throws IOException {
        Path text = text();
        for (String spec : List.of("gru", "gdn,attn(heads=2)")) {
            Path out = dir.resolve(spec.replaceAll("[^a-z]", ""));
            TrainingRun run = TrainingRuns.start(Settings.of(out, "text", text.toString(), "model", spec,
                    "steps", 4L, "eval_every", 0L));
            LoopResult r = run.train(new TrainingListener() {});
            assertThat(r.step()).isEqualTo(4);
            CausalLm loaded = HfModels.load(out);
            assertThat(loaded).isInstanceOf(StackLm.class);
            byte[] heldOut = Corpus.fromFile(text).split().validation();
            double bits = Evaluation.bitsPerByte(loaded, heldOut, RunSettings.EVAL_BATCH, 8).bitsPerByte();
            List<MetricsRow> rows = MetricsLog.read(out.resolve("metrics.jsonl"));
            assertThat(rows.get(3).extra("val_bpb")).as(spec).isEqualTo(bits);
            assertThat(r.score("val_bpb")).as(spec).isEqualTo(bits);
            assertThat(RunSettings.read(out).model()).isEqualTo(spec);
        }
    }

    @Test
    void layersRepeatASpecWithoutARepetitionOfItsOwn() throws IOException {
        TrainingRun run = TrainingRuns.start(Settings.of(dir.resolve("rep"), "text", text().toString(), "model",
                "gru,attn", "layers", 2, "steps", 1L));
        assertThat(run.architecture()).isEqualTo("recur_stack gru,attn,gru,attn, d_model 8");
    }

    @Test
    void sgdTrainsToo() throws IOException {
        Path out = dir.resolve("sgd");
        TrainingRun run = TrainingRuns.start(Settings.of(out, "text", text().toString(), "optimizer", "sgd",
                "steps", 2L));
        run.train(new TrainingListener() {});
        try (var names = Files.list(out.resolve("checkpoints/ckpt-2"))) {
            assertThat(names.map(p -> p.getFileName().toString())).contains("optimizer.safetensors");
        }
        assertThat(MetricsLog.read(out.resolve("metrics.jsonl"))).hasSize(2);
    }
}
