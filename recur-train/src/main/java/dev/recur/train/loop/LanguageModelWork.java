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
import dev.recur.train.Parameters;
import dev.recur.train.checkpoint.TrainerState;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A language model's step of the {@link TrainingLoop}, by truncated back-propagation through time: draw the next
 * {@link ByteBatcher} batch, reset the carried state of the rows it flags (a stream that wrapped around), run the
 * model from that state, take the mean next-token cross-entropy; after the update, carry the state on, detached.
 * Evaluations score the held-out ids in bits per byte (or per token). A checkpoint carries the stream state and
 * the batcher's position.
 */
public final class LanguageModelWork implements StepWork {
    private final CausalLm model;
    private final TokenStreams data;
    private final int batchSize;
    private final int seqLen;
    private final int evalBatch;
    private final long dataSeed;
    private final Parameters params;
    private final ByteBatcher batcher;
    private LmState state;
    private LmOutput last;
    private Evaluation.Result lastEval;

    /**
     * @param batchSize parallel streams per batch
     * @param seqLen tokens per stream per batch (the truncation length)
     * @param evalBatch parallel streams of the held-out pass
     * @param dataSeed chooses where each training stream starts
     */
    public LanguageModelWork(CausalLm model, TokenStreams data, int batchSize, int seqLen, int evalBatch,
                             long dataSeed) {
        if (model == null || data == null) {
            throw new RecurException("language-model work: expected a model and data, got null");
        }
        int maxId = data.maxId();
        if (maxId >= model.vocabSize()) {
            throw new RecurException("language-model work: token id " + maxId + " is outside the model's vocabulary"
                    + " of " + model.vocabSize());
        }
        this.model = model;
        this.data = data;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.evalBatch = evalBatch;
        this.dataSeed = dataSeed;
        this.params = Parameters.of(model.parameters());
        this.batcher = ByteBatcher.ofIds(data.training(), batchSize, seqLen, dataSeed);
        // Validated now, so that a too-short held-out part fails before any training.
        ByteBatcher.evaluationOfIds(data.validation(), evalBatch, seqLen);
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public Tensor loss(long index) {
        ByteBatch batch = batcher.next();
        state = StreamStates.reset(model, state, batch.resetState());
        last = model.forward(batch.inputs(), state);
        return CrossEntropy.crossEntropy(last.logits(), batch.targets());
    }

    @Override
    public void afterStep() {
        state = last.state().detach();
        last = null;
    }

    @Override
    public long unitsPerStep() {
        return (long) batchSize * seqLen;
    }

    @Override
    public Map<String, Double> evaluate() {
        lastEval = evaluateNow();
        return Map.of(data.scoreKey(), lastEval.bitsPerByte());
    }

    /** A held-out pass now (the model as it is). */
    public Evaluation.Result evaluateNow() {
        return Evaluation.bitsPerToken(model, data.validation(), evalBatch, seqLen);
    }

    /** The last evaluation of this process, or null. */
    public Evaluation.Result lastEvaluation() {
        return lastEval;
    }

    @Override
    public String describe(long step, double loss, Map<String, Double> scores) {
        return String.format(Locale.ROOT, "step %d: validation %.4f bits/%s", step, scores.get(data.scoreKey()),
                data.bytes() ? "byte" : "token");
    }

    @Override
    public Map<String, Tensor> carriedTensors() {
        return state == null ? Map.of() : state.tensors();
    }

    @Override
    public Map<String, Double> carriedScalars() {
        return Map.of("stream_position", state == null ? 0.0 : (double) state.position());
    }

    @Override
    public long dataPosition(long steps) {
        return batcher.position();
    }

    @Override
    public Map<String, Long> seeds() {
        return Map.of("data", dataSeed);
    }

    @Override
    public void restore(Map<String, Tensor> carried, TrainerState trainer, String where) {
        long position = Math.round(trainer.scalars().getOrDefault("stream_position", 0.0));
        state = carried.isEmpty() ? null : orderedLike(model.initialState(batchSize), carried, position, where);
        batcher.seek(trainer.dataPosition());
    }

    private static LmState orderedLike(LmState initial, Map<String, Tensor> carried, long position, String where) {
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : initial.tensors().entrySet()) {
            Tensor t = carried.get(e.getKey());
            if (t == null) {
                throw new RecurException(where + ": checkpoint lacks the carried state tensor '" + e.getKey() + "'");
            }
            Shapes.require(where, "carried state '" + e.getKey() + "'", e.getValue().shape(), t.shape());
            ordered.put(e.getKey(), t);
        }
        return new LmState(ordered, position);
    }
}
