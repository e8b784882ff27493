package dev.recur.train.loop;

import dev.recur.core.RecurException;
import dev.recur.core.ops.CrossEntropy;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.tasks.text.ByteBatch;
import dev.recur.tasks.text.ByteBatcher;
import dev.recur.tasks.text.CorpusSplit;
import dev.recur.train.GradClip;
import dev.recur.train.NamedParameter;
import dev.recur.train.Parameters;
import dev.recur.train.checkpoint.Checkpoint;
import dev.recur.train.checkpoint.CheckpointStore;
import dev.recur.train.checkpoint.StoredCheckpoint;
import dev.recur.train.checkpoint.TrainerState;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import dev.recur.train.optim.AdamW;
import dev.recur.train.optim.AdamWConfig;
import dev.recur.train.schedule.LearningRateSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Trains any {@link CausalLm} on byte streams by truncated back-propagation through time.
 *
 * <p>Each step draws the next {@link ByteBatcher} batch, resets the carried state of the rows the batch flags
 * (a stream that wrapped around), runs the model from that state, takes the mean next-byte cross-entropy,
 * back-propagates, checks that the loss and the global gradient norm are finite (naming the first bad
 * parameter when not), clips the norm, and updates with AdamW (decay on matrices only) at the schedule's rate.
 * The state after the batch is carried to the next one, detached from the graph.
 *
 * <p>The run folder gets {@code metrics.jsonl} (a row per step; {@code grad_norm}, and {@code val_bpb} at
 * evaluations) and {@code checkpoints/}. A checkpoint holds the parameters, the optimiser state, the carried
 * stream state (as {@code stream.<name>} tensors beside the optimiser's) and the data position, so a resumed
 * run continues with the same bits as one that never stopped. {@link #requestStop()} (from another thread,
 * e.g. a shutdown hook) ends the run after the current step with a checkpoint.
 */
public final class Trainer {
    /** Prefix of the carried state's tensors in a checkpoint's optimizer file. */
    static final String STREAM_PREFIX = "stream.";
    private static final String METRICS = "metrics.jsonl";

    private final CausalLm model;
    private final CorpusSplit data;
    private final TrainerConfig config;
    private final Path runDir;
    private final TrainingListener listener;
    private final Parameters params;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final ByteBatcher batcher;
    private final CheckpointStore store;
    private volatile boolean stopRequested;

    private long step;
    private long tokensSeen;
    private LmState state;
    private Evaluation.Result lastEval;

    public Trainer(CausalLm model, CorpusSplit data, TrainerConfig config, Path runDir, TrainingListener listener) {
        if (model == null || data == null || config == null || runDir == null || listener == null) {
            throw new RecurException("trainer: expected a model, data, a config, a run folder and a listener");
        }
        this.model = model;
        this.data = data;
        this.config = config;
        this.runDir = runDir;
        this.listener = listener;
        this.params = Parameters.of(model.parameters());
        this.optimizer = new AdamW(params, AdamWConfig.of(config.learningRate()).withWeightDecay(config.weightDecay()),
                AdamW.matricesOnly());
        this.schedule = LearningRateSchedule.parse(config.schedule(), config.learningRate(), config.steps());
        this.batcher = new ByteBatcher(data.training(), config.batchSize(), config.seqLen(), config.dataSeed());
        // Validated now, so that a too-short held-out part fails before any training.
        ByteBatcher.evaluation(data.validation(), config.evalBatch(), config.seqLen());
        this.store = new CheckpointStore(runDir.resolve("checkpoints"), config.keepCheckpoints(), listener::onMessage);
    }

    public Parameters parameters() {
        return params;
    }

    /** Asks the run to stop after the current step and write a checkpoint; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Runs to {@code config.steps()}, or to {@code stopAt} when smaller (for tests of resume), starting from
     * the newest verified checkpoint when {@code resume} (from scratch when there is none).
     */
    public TrainingResult run(boolean resume, long stopAt) throws IOException {
        long end = Math.min(config.steps(), stopAt);
        MetricsLog metrics = resume && restore() ? MetricsLog.resume(runDir.resolve(METRICS), step)
                : MetricsLog.create(runDir.resolve(METRICS));
        long startStep = step;
        listener.onStart(startStep, config.steps());
        double lastLoss = Double.NaN;
        long startNanos = System.nanoTime();
        long lastCheckpoint = step;
        try (metrics) {
            while (step < end && !stopRequested) {
                long t0 = System.nanoTime();
                StepResult r = trainStep();
                double seconds = (System.nanoTime() - t0) / 1e9;
                lastLoss = r.loss;
                MetricsRow row = new MetricsRow(step, r.loss, r.learningRate, config.tokensPerStep() / seconds)
                        .with("grad_norm", r.gradNorm);
                boolean last = step == config.steps();
                if (last || (config.evalEvery() > 0 && step % config.evalEvery() == 0)) {
                    lastEval = Evaluation.bitsPerByte(model, data.validation(), config.evalBatch(), config.seqLen());
                    row = row.with("val_bpb", lastEval.bitsPerByte());
                    listener.onEvaluation(step, lastEval);
                }
                metrics.append(row);
                listener.onStep(row);
                if (last || (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0)) {
                    checkpoint();
                    lastCheckpoint = step;
                }
            }
            if (step > lastCheckpoint) {
                checkpoint();
            }
        }
        if (step == config.steps() && (lastEval == null || lastEval.bytes() == 0)) {
            // A run resumed from its final checkpoint has only the checkpoint's figure: measure again.
            lastEval = Evaluation.bitsPerByte(model, data.validation(), config.evalBatch(), config.seqLen());
            listener.onEvaluation(step, lastEval);
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double tokensPerSecond = step > startStep ? (step - startStep) * config.tokensPerStep() / seconds : Double.NaN;
        if (stopRequested && step < end) {
            listener.onMessage("stopped at step " + step + " of " + config.steps() + "; checkpoint written");
        }
        return new TrainingResult(startStep, step, lastLoss, lastEval, tokensSeen, tokensPerSecond,
                stopRequested && step < config.steps());
    }

    private record StepResult(double loss, double learningRate, double gradNorm) {}

    private StepResult trainStep() {
        ByteBatch batch = batcher.next();
        state = StreamStates.reset(model, state, batch.resetState());
        LmOutput out = model.forward(batch.inputs(), state);
        Tensor loss = CrossEntropy.crossEntropy(out.logits(), batch.targets());
        double lossValue = loss.item();
        long stepNumber = step + 1;
        if (!Double.isFinite(lossValue)) {
            throw new RecurException("train step " + stepNumber + ": loss is " + lossValue + "; "
                    + FiniteCheck.firstBad(params));
        }
        loss.backward();
        double norm;
        try {
            norm = config.clip() > 0 ? GradClip.clipByGlobalNorm(params, config.clip()) : GradClip.globalNorm(params);
        } catch (RecurException e) {
            throw new RecurException("train step " + stepNumber + ": " + e.getMessage(), e);
        }
        double lr = schedule.at(step);
        optimizer.setLearningRate(lr);
        optimizer.step();
        optimizer.zeroGrad();
        state = out.state().detach();
        step = stepNumber;
        tokensSeen += config.tokensPerStep();
        return new StepResult(lossValue, lr, norm);
    }

    private void checkpoint() throws IOException {
        Map<String, Tensor> opt = new LinkedHashMap<>(optimizer.exportState());
        if (state != null) {
            state.tensors().forEach((name, t) -> opt.put(STREAM_PREFIX + name, t));
        }
        Map<String, Double> scalars = new TreeMap<>();
        scalars.put("stream_position", state == null ? 0.0 : (double) state.position());
        if (lastEval != null) {
            scalars.put("val_bpb", lastEval.bitsPerByte());
        }
        TrainerState ts = new TrainerState(step, tokensSeen, batcher.position(), Map.of("data", config.dataSeed()),
                scalars);
        listener.onCheckpoint(store.save(new Checkpoint(params(), opt, ts)));
    }

    private Map<String, Tensor> params() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (NamedParameter p : params) {
            m.put(p.name(), p.value());
        }
        return m;
    }

    /** Loads the newest verified checkpoint; false when there is none. */
    private boolean restore() throws IOException {
        Optional<StoredCheckpoint> latest = store.latestVerified();
        if (latest.isEmpty()) {
            listener.onMessage("no verified checkpoint in " + store.root() + "; starting from step 0");
            return false;
        }
        Checkpoint c = latest.get().load();
        String where = latest.get().folder().toString();
        if (c.trainer().seeds().containsKey("data") && c.trainer().seed("data") != config.dataSeed()) {
            throw new RecurException(where + ": data seed " + c.trainer().seed("data") + " differs from this run's "
                    + config.dataSeed());
        }
        for (NamedParameter p : params) {
            Tensor saved = c.model().get(p.name());
            if (saved == null) {
                throw new RecurException(where + ": checkpoint has no parameter '" + p.name() + "'");
            }
            Shapes.require(where, "parameter '" + p.name() + "'", p.value().shape(), saved.shape());
            System.arraycopy(saved.data(), 0, p.value().data(), 0, saved.size());
        }
        if (c.model().size() != params.size()) {
            throw new RecurException(where + ": checkpoint has " + c.model().size() + " parameters, the model "
                    + params.size());
        }
        Map<String, Tensor> opt = new TreeMap<>();
        Map<String, Tensor> carried = new LinkedHashMap<>();
        c.optimizer().forEach((name, t) -> {
            if (name.startsWith(STREAM_PREFIX)) {
                carried.put(name.substring(STREAM_PREFIX.length()), t);
            } else {
                opt.put(name, t);
            }
        });
        optimizer.importState(opt);
        long position = Math.round(c.trainer().scalars().getOrDefault("stream_position", 0.0));
        state = carried.isEmpty() ? null : orderedLike(model.initialState(config.batchSize()), carried, position);
        step = c.step();
        tokensSeen = c.trainer().tokensSeen();
        batcher.seek(c.trainer().dataPosition());
        if (c.trainer().scalars().containsKey("val_bpb")) {
            lastEval = new Evaluation.Result(c.trainer().scalars().get("val_bpb"), 0);
        }
        listener.onMessage("resumed from " + where + " at step " + step);
        return true;
    }

    private static LmState orderedLike(LmState initial, Map<String, Tensor> carried, long position) {
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : initial.tensors().entrySet()) {
            Tensor t = carried.get(e.getKey());
            if (t == null) {
                throw new RecurException("resume: checkpoint lacks the carried state tensor '" + e.getKey() + "'");
            }
            Shapes.require("resume", "carried state '" + e.getKey() + "'", e.getValue().shape(), t.shape());
            ordered.put(e.getKey(), t);
        }
        return new LmState(ordered, position);
    }
}
