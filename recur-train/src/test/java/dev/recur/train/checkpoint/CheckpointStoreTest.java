package dev.recur.train.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.Fixtures;
import dev.recur.train.NamedParameter;
import dev.recur.train.Parameters;
import dev.recur.train.optim.AdamW;
import dev.recur.train.optim.AdamWConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path root;

    private final List<String> warnings = new ArrayList<>();

    private CheckpointStore store(int keepLast) {
        return new CheckpointStore(root, keepLast, warnings::add);
    }

    private static Checkpoint checkpoint(long step) {
        Rng rng = new Rng(step);
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("embed.weight", Tensor.randn(rng, 1f, 7, 5));
        model.put("head.bias", Tensor.randn(rng, 1f, 7));
        Map<String, Tensor> optimizer = Map.of("adamw.m.head.bias", Tensor.randn(rng, 1f, 7));
        return new Checkpoint(model, optimizer, new TrainerState(step, step * 1024, step, Map.of("data", step),
                Map.of()));
    }

    private static void assertSameBits(Map<String, Tensor> got, Map<String, Tensor> want) {
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
        want.forEach((name, t) -> {
            assertThat(got.get(name).shape()).as(name).containsExactly(t.shape());
            float[] g = got.get(name).data();
            float[] w = t.data();
            for (int i = 0; i < w.length; i++) {
                assertThat(Float.floatToRawIntBits(g[i])).as("%s[%d]", name, i)
                        .isEqualTo(Float.floatToRawIntBits(w[i]));
            }
        });
    }

    @Test
    void aCheckpointRoundTripsModelOptimizerAndTrainerState() throws IOException {
        Parameters params = Fixtures.randomParameters(3, new String[] {"w", "b"}, new int[][] {{4, 3}, {3}});
        AdamW adam = new AdamW(params, AdamWConfig.of(1e-2));
        Rng rng = new Rng(5);
        for (NamedParameter p : params) {
            Fixtures.setGrad(p, Fixtures.randomGrad(rng, p, 1.0));
        }
        adam.step();
        Map<String, Tensor> model = new LinkedHashMap<>();
        params.forEach(p -> model.put(p.name(), p.value()));
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("best_val_bpb", 1.2345678901234567);
        scalars.put("tiny", 4.9e-324);
        scalars.put("negative_zero", -0.0);
        scalars.put("diverged", Double.NaN);
        scalars.put("overflow", Double.POSITIVE_INFINITY);
        TrainerState trainer = new TrainerState(12, 98_304, 12,
                Map.of("init", Long.MIN_VALUE, "data", Long.MAX_VALUE, "dropout", -7L), scalars);

        StoredCheckpoint saved = store(3).save(new Checkpoint(model, adam.exportState(), trainer));
        assertThat(saved.folder()).isEqualTo(root.resolve("ckpt-12"));
        assertThat(saved.folder()).isDirectoryContaining(p -> p.getFileName().toString().equals("MANIFEST.sha256"));

        StoredCheckpoint latest = store(3).latestVerified().orElseThrow();
        Checkpoint loaded = latest.load();
        assertSameBits(loaded.model(), model);
        assertSameBits(loaded.optimizer(), adam.exportState());
        TrainerState t = loaded.trainer();
        assertThat(t.step()).isEqualTo(12);
        assertThat(t.tokensSeen()).isEqualTo(98_304);
        assertThat(t.dataPosition()).isEqualTo(12);
        assertThat(t.seeds()).isEqualTo(trainer.seeds());
        assertThat(t.scalars().get("best_val_bpb")).isEqualTo(1.2345678901234567);
        assertThat(t.scalars().get("tiny")).isEqualTo(4.9e-324);
        assertThat(Double.doubleToRawLongBits(t.scalars().get("negative_zero")))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(t.scalars().get("diverged")).isNaN();
        assertThat(t.scalars().get("overflow")).as("non-finite values are written as null").isNaN();
        assertThat(warnings).isEmpty();

        // The restored optimiser continues with the same bits as the original.
        Parameters restoredParams = Fixtures.copy(params);
        AdamW restored = new AdamW(restoredParams, AdamWConfig.of(1e-2));
        restored.importState(loaded.optimizer());
        Rng g1 = new Rng(9);
        Rng g2 = new Rng(9);
        for (int i = 0; i < params.size(); i++) {
            Fixtures.setGrad(params.list().get(i), Fixtures.randomGrad(g1, params.list().get(i), 1.0));
            Fixtures.setGrad(restoredParams.list().get(i),
                    Fixtures.randomGrad(g2, restoredParams.list().get(i), 1.0));
        }
        adam.step();
        restored.step();
        for (int i = 0; i < params.size(); i++) {
            assertThat(restoredParams.list().get(i).value().data()).isEqualTo(params.list().get(i).value().data());
        }
    }

    @Test
    void trainerJsonIsPlainJsonWithNullForNonFiniteNumbers() throws IOException {
        TrainerState s = new TrainerState(3, 30, 3, Map.of("data", 1L), Map.of("loss", Double.NaN));
        Path folder = store(1).save(new Checkpoint(Map.of(), Map.of(), s)).folder();
        String json = Files.readString(folder.resolve("trainer.json"));
        assertThat(json).contains("\"step\": 3").contains("\"loss\": null").doesNotContain("NaN");
        assertThat(dev.recur.core.io.json.JsonParser.parse(json)).isInstanceOf(Map.class);
    }

    @Test
    void theManifestIsWhatSha256sumChecks() throws Exception {
        Path folder = store(1).save(checkpoint(4)).folder();
        Process p;
        try {
            p = new ProcessBuilder("sha256sum", "-c", "--strict", "MANIFEST.sha256").directory(folder.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("sha256sum is not installed: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("model.safetensors: OK").contains("optimizer.safetensors: OK")
                .contains("trainer.json: OK");
    }

    @Test
    void aTruncatedNewestCheckpointIsSkippedForTheOlderOne() throws IOException {
        CheckpointStore store = store(5);
        store.save(checkpoint(10));
        Path newest = store.save(checkpoint(20)).folder();
        try (FileChannel ch = FileChannel.open(newest.resolve("model.safetensors"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        StoredCheckpoint latest = store.latestVerified().orElseThrow();
        assertThat(latest.step()).isEqualTo(10);
        assertSameBits(latest.readModel(), checkpoint(10).model());
        assertThat(warnings).singleElement().asString().contains("ckpt-20").contains("model.safetensors");
    }

    @Test
    void theManifestCatchesOneFlippedByteInAnyFile() throws IOException {
        CheckpointStore store = store(2);
        for (String file : List.of("model.safetensors", "optimizer.safetensors", "trainer.json")) {
            Path folder = store.save(checkpoint(1)).folder();
            assertThat(CheckpointStore.verify(folder)).isEmpty();
            byte[] bytes = Files.readAllBytes(folder.resolve(file));
            bytes[bytes.length - 3] ^= 0x04;
            Files.write(folder.resolve(file), bytes);
            assertThat(CheckpointStore.verify(folder)).as(file).get().asString().contains(file + " has sha256");
        }
    }

    @Test
    void aMissingOrIncompleteManifestDoesNotVerify() throws IOException {
        Path folder = store(1).save(checkpoint(2)).folder();
        Path manifest = folder.resolve("MANIFEST.sha256");
        List<String> lines = Files.readAllLines(manifest);
        Files.write(manifest, lines.subList(0, 2));
        assertThat(CheckpointStore.verify(folder)).get().asString().contains("does not list trainer.json");
        Files.write(manifest, List.of("not a manifest line"));
        assertThat(CheckpointStore.verify(folder)).get().asString().contains("malformed");
        Files.delete(manifest);
        assertThat(CheckpointStore.verify(folder)).get().asString().contains("no MANIFEST.sha256");
    }

    @Test
    void anInterruptedWriteIsIgnoredAndCleanedUpByTheNextSave() throws IOException {
        CheckpointStore store = store(3);
        store.save(checkpoint(5));
        // What a crash during save of step 9 leaves: a hidden temporary folder with some files.
        Path temp = Files.createDirectory(root.resolve(".tmp-ckpt-9-123456"));
        Files.write(temp.resolve("model.safetensors"), new byte[] {1, 2, 3});
        assertThat(store.list()).extracting(StoredCheckpoint::step).containsExactly(5L);
        assertThat(store.latestVerified()).get().extracting(StoredCheckpoint::step).isEqualTo(5L);
        assertThat(warnings).isEmpty();

        store.save(checkpoint(6));
        assertThat(temp).doesNotExist();
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ckpt-5", "ckpt-6");
        }
    }

    @Test
    void onlyTheNewestKeepLastCheckpointsAreKept() throws IOException {
        CheckpointStore store = store(2);
        for (long step : new long[] {100, 200, 300, 400}) {
            store.save(checkpoint(step));
        }
        assertThat(store.list()).extracting(StoredCheckpoint::step).containsExactly(400L, 300L);
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).hasSize(2);
        }
    }

    @Test
    void savingAStepAgainReplacesIt() throws IOException {
        CheckpointStore store = store(2);
        store.save(checkpoint(7));
        Checkpoint other = new Checkpoint(checkpoint(8).model(), Map.of(), new TrainerState(7, 1, 2));
        store.save(other);
        StoredCheckpoint latest = store.latestVerified().orElseThrow();
        assertThat(latest.step()).isEqualTo(7);
        assertSameBits(latest.readModel(), checkpoint(8).model());
        assertThat(latest.readOptimizer()).isEmpty();
        assertThat(latest.trainerState().tokensSeen()).isEqualTo(1);
    }

    @Test
    void noCheckpointGivesEmptyAndAllCorruptWarnsForEach() throws IOException {
        CheckpointStore store = store(3);
        assertThat(store.latestVerified()).isEmpty();
        store.save(checkpoint(1));
        store.save(checkpoint(2));
        for (StoredCheckpoint c : store.list()) {
            Files.delete(c.folder().resolve("trainer.json"));
        }
        assertThat(store.latestVerified()).isEqualTo(Optional.empty());
        assertThat(warnings).hasSize(2);
    }

    @Test
    void aFolderStepThatDisagreesWithTrainerJsonIsRejectedOnLoad() throws IOException {
        Path folder = store(2).save(checkpoint(3)).folder();
        Path moved = root.resolve("ckpt-4");
        Files.move(folder, moved);
        StoredCheckpoint c = store(2).latestVerified().orElseThrow();
        assertThat(c.step()).isEqualTo(4);
        assertThatThrownBy(c::load).isInstanceOf(RecurException.class)
                .hasMessageContaining("step expected 4 (the folder's), got 3");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new CheckpointStore(root, 0, w -> { })).isInstanceOf(RecurException.class)
                .hasMessageContaining("keepLast expected >= 1, got 0");
        assertThatThrownBy(() -> new TrainerState(-1, 0, 0)).isInstanceOf(RecurException.class);
    }
}
