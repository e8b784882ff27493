package dev.recur.train.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.parallel.ComputePool;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.registry.ByteModel;
import dev.recur.layers.lm.ModelFolder;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.tasks.text.CorpusSplit;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    private static final TrainingListener SILENT = new TrainingListener() {};

    @Test
    void lowersTheLossOnATinyCorpus() throws IOException {
        CorpusSplit data = TinyRuns.corpus(60);
        CausalLm lm = TinyRuns.lstm(8, 32, 1);
        TrainerConfig config = TinyRuns.config(150, 4, 16, 1e-2);
        double before = Evaluation.bitsPerByte(lm, data.validation(), 2, 16).bitsPerByte();
        TrainingResult r = new Trainer(lm, data, config, dir, SILENT).run(false, Long.MAX_VALUE);
        List<MetricsRow> rows = MetricsLog.read(dir.resolve("metrics.jsonl"));
        double first = rows.subList(0, 10).stream().mapToDouble(MetricsRow::loss).average().orElseThrow();
        double last = rows.subList(rows.size() - 10, rows.size()).stream().mapToDouble(MetricsRow::loss).average()
                .orElseThrow();
        // A uniform guess costs ln 256 = 5.55 nats; the text is a 48-byte loop, nearly free once learned.
        assertThat(first).isGreaterThan(4.0);
        assertThat(last).isLessThan(first - 3.0);
        assertThat(before).isGreaterThan(7.0);
        assertThat(r.validation().bitsPerByte()).isLessThan(1.5);
        assertThat(r.step()).isEqualTo(150);
        assertThat(r.interrupted()).isFalse();
    }

    /** With the JVM's kernels (vector by default), whose results must not depend on JIT compilation. */
    @Test
    void resumingFromACheckpointGivesTheSameBitsAsOneRun() throws IOException {
        assertResumeIsExact(200);
    }

    /** The same with the scalar reference kernels (a surefire execution of its own). */
    @Test
    @Tag("reference-kernels")
    void resumingGivesTheSameBitsWithTheReferenceKernels() throws IOException {
        Assumptions.assumeTrue(KernelMode.current() == KernelMode.REFERENCE, "needs -Drecur.kernels=reference");
        assertResumeIsExact(200);
    }

    /** The same over 2000 steps: 1000, a resume into a fresh model, 1000 more. */
    @Test
    @Tag("slow")
    void resumingHalfwayThroughTwoThousandStepsGivesTheSameBits() throws IOException {
        assertResumeIsExact(2000);
    }

    /**
     * One thread and two threads give the same bits: the model is large enough that its GEMMs split across the
     * pool, and every split is fixed by the problem's shape, never by the thread count.
     */
    @Test
    void oneThreadAndTwoThreadsTrainToTheSameBits() throws IOException {
        CorpusSplit data = TinyRuns.corpus(40);
        TrainerConfig config = TinyRuns.config(30, 8, 16, 5e-3);
        Map<Integer, CausalLm> models = new java.util.TreeMap<>();
        try {
            for (int threads : new int[] {1, 2}) {
                ComputePool.configure(threads);
                CausalLm lm = TinyRuns.lstm(16, 64, 5);
                new Trainer(lm, data, config, dir.resolve("threads-" + threads), SILENT).run(false, Long.MAX_VALUE);
                models.put(threads, lm);
            }
        } finally {
            ComputePool.configure(ComputePool.defaultThreads());
        }
        List<MetricsRow> one = MetricsLog.read(dir.resolve("threads-1/metrics.jsonl"));
        List<MetricsRow> two = MetricsLog.read(dir.resolve("threads-2/metrics.jsonl"));
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i).loss()).as("loss at step %d", i + 1).isEqualTo(one.get(i).loss());
        }
        for (Map.Entry<String, Tensor> e : models.get(1).parameters().entrySet()) {
            assertThat(models.get(2).parameters().get(e.getKey()).data()).as(e.getKey())
                    .containsExactly(e.getValue().data());
        }
    }

    private void assertResumeIsExact(int steps) throws IOException {
        CorpusSplit data = TinyRuns.corpus(20);
        TrainerConfig config = TinyRuns.config(steps, 2, 8, 5e-3);
        Path whole = dir.resolve("whole");
        CausalLm a = TinyRuns.lstm(4, 8, 3);
        new Trainer(a, data, config, whole, SILENT).run(false, Long.MAX_VALUE);

        Path split = dir.resolve("split");
        CausalLm b = TinyRuns.lstm(4, 8, 3);
        TrainingResult half = new Trainer(b, data, config, split, SILENT).run(false, steps / 2);
        assertThat(half.step()).isEqualTo(steps / 2);
        // A fresh model, differently initialised: everything must come from the checkpoint.
        CausalLm c = TinyRuns.lstm(4, 8, 99);
        TrainingResult rest = new Trainer(c, data, config, split, SILENT).run(true, Long.MAX_VALUE);
        assertThat(rest.startStep()).isEqualTo(steps / 2);
        assertThat(rest.step()).isEqualTo(steps);

        List<MetricsRow> one = MetricsLog.read(whole.resolve("metrics.jsonl"));
        List<MetricsRow> two = MetricsLog.read(split.resolve("metrics.jsonl"));
        assertThat(two).hasSize(steps);
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i).loss()).as("loss at step %d", i + 1).isEqualTo(one.get(i).loss());
        }
        for (Map.Entry<String, Tensor> e : a.parameters().entrySet()) {
            assertThat(c.parameters().get(e.getKey()).data()).as(e.getKey()).containsExactly(e.getValue().data());
        }
    }

    @Test
    void aNonFiniteLossNamesTheFirstBadParameter() {
        CorpusSplit data = TinyRuns.corpus(20);
        CausalLm lm = TinyRuns.lstm(4, 8, 5);
        lm.parameters().get("lstm.weight_hh_l0").data()[3] = Float.NaN;
        Trainer trainer = new Trainer(lm, data, TinyRuns.config(10, 2, 8, 1e-3), dir, SILENT);
        assertThatThrownBy(() -> trainer.run(false, Long.MAX_VALUE)).isInstanceOf(RecurException.class)
                .hasMessageContaining("train step 1")
                .hasMessageContaining("parameter 'lstm.weight_hh_l0' holds NaN at flat index 3");
    }

    @Test
    void aNonFiniteGradientNamesItsParameter() {
        CorpusSplit data = TinyRuns.corpus(20);
        ScaledBigram lm = new ScaledBigram(true);
        Trainer trainer = new Trainer(lm, data, TinyRuns.config(10, 2, 8, 1e-3), dir, SILENT);
        assertThatThrownBy(() -> trainer.run(false, Long.MAX_VALUE)).isInstanceOf(RecurException.class)
                .hasMessageContaining("train step 1:")
                .hasMessageContaining("gradient of parameter 'scale' is not finite");
    }

    @Test
    void writesMetricsWithTheRequiredFieldsAndCheckpoints() throws IOException {
        CorpusSplit data = TinyRuns.corpus(20);
        TrainerConfig config = new TrainerConfig(12, 2, 8, 1e-3, "wsd:warmup=2", 1.0, 0.0, 5, 2, 5, 2, 7);
        new Trainer(TinyRuns.lstm(4, 8, 1), data, config, dir, SILENT).run(false, Long.MAX_VALUE);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(12);
        for (String line : lines) {
            assertThat(line).startsWith("{\"step\":").contains("\"loss\":").contains("\"lr\":")
                    .contains("\"tokens_per_s\":").contains("\"grad_norm\":");
        }
        List<MetricsRow> rows = MetricsLog.read(dir.resolve("metrics.jsonl"));
        List<Long> evaluated = new ArrayList<>();
        for (MetricsRow r : rows) {
            if (!Double.isNaN(r.extra("val_bpb"))) {
                evaluated.add(r.step());
            }
        }
        assertThat(evaluated).containsExactly(5L, 10L, 12L);
        // keepCheckpoints 2: the newest two of 5, 10, 12
        try (var s = Files.list(dir.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ckpt-")).sorted())
                    .containsExactly("ckpt-10", "ckpt-12");
        }
        assertThat(dir.resolve("checkpoints/ckpt-12/MANIFEST.sha256")).exists();
    }

    @Test
    void aStopRequestEndsWithACheckpointThatResumes() throws IOException {
        CorpusSplit data = TinyRuns.corpus(20);
        TrainerConfig config = TinyRuns.config(50, 2, 8, 1e-3);
        new Trainer(new ScaledBigram(false), data, config, dir.resolve("bigram"), SILENT).run(false, 5);
        Trainer[] self = new Trainer[1];
        TrainingListener stopAt7 = new TrainingListener() {
            @Override
            public void onStep(MetricsRow row) {
                if (row.step() == 7) {
                    self[0].requestStop();
                }
            }
        };
        self[0] = new Trainer(TinyRuns.lstm(4, 8, 1), data, config, dir, stopAt7);
        TrainingResult r = self[0].run(false, Long.MAX_VALUE);
        assertThat(r.interrupted()).isTrue();
        assertThat(r.step()).isEqualTo(7);
        assertThat(dir.resolve("checkpoints/ckpt-7")).isDirectory();
        TrainingResult rest = new Trainer(TinyRuns.lstm(4, 8, 1), data, config, dir, SILENT).run(true, Long.MAX_VALUE);
        assertThat(rest.startStep()).isEqualTo(7);
        assertThat(rest.step()).isEqualTo(50);
    }

    @Test
    void aTrainedRunFolderLoadsWithTheSameLogits() throws IOException {
        CorpusSplit data = TinyRuns.corpus(20);
        for (ByteModel spec : List.of(ByteModel.lstm(4, 8, 2), ByteModel.mamba(8, 2, 4))) {
            Path run = dir.resolve(spec.config().get("model_type").toString());
            CausalLm lm = spec.create(run, new Rng(11));
            new Trainer(lm, data, TinyRuns.config(20, 2, 8, 1e-2), run, SILENT).run(false, Long.MAX_VALUE);
            ModelFolder.writeWeights(run, lm);
            CausalLm loaded = HfModels.load(run);
            IntTensor ids = IntTensor.of(new int[] {116, 104, 101, 32, 99, 97, 116, 32}, 1, 8);
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                LmOutput want = lm.forward(ids, null);
                LmOutput got = loaded.forward(ids, null);
                assertThat(got.logits().data()).as(spec.description()).containsExactly(want.logits().data());
            }
            assertThat(loaded.modelType()).isEqualTo(lm.modelType());
        }
    }
}
