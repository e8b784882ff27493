package dev.recur.layers.rnn.bytelm;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.lm.LayerPlan;
import dev.recur.layers.lm.LayerPlanned;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.layers.rnn.RnnOutput;
import dev.recur.layers.rnn.RnnState;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.LmInputs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A byte-level LSTM language model ({@code model_type} {@code recur_lstm}): {@code embedding.weight [256, E]},
 * a fused multi-layer LSTM ({@link RnnLayer}) under {@code lstm.weight_ih_l0} etc., an optional RMSNorm
 * ({@code norm.weight [H]}) and a linear head ({@code head.weight [256, H]}, {@code head.bias [256]}).
 *
 * <p>State: {@code lstm.h} and {@code lstm.c}, each {@code [numLayers, B, H]} as {@link RnnState} holds them.
 * The forward over a sequence and over chunks passing the state give the same logits (the LSTM's own
 * property; the other parts work per position). Under a {@link LayerPlan} the first dimension counts slots.
 */
public final class ByteLstmLm implements CausalLm, LayerPlanned {
    private static final String LSTM = "lstm.";
    private static final String H = "lstm.h";
    private static final String C = "lstm.c";

    private final ByteLstmConfig config;
    private final Tensor embedding;   // [256, E]
    private final RnnLayer lstm;
    private final Tensor norm;        // [H], null without a norm
    private final Tensor headWeight;  // [256, H]
    private final Tensor headBias;    // [256]
    private final Map<String, Tensor> parameters;
    private final List<RnnLayer> slots;   // under a layer plan, the one-layer view each slot applies; else null

    private ByteLstmLm(ByteLstmConfig config, Tensor embedding, RnnLayer lstm, Tensor norm, Tensor headWeight,
                       Tensor headBias) {
        this(config, embedding, lstm, norm, headWeight, headBias, null);
    }

    private ByteLstmLm(ByteLstmConfig config, Tensor embedding, RnnLayer lstm, Tensor norm, Tensor headWeight,
                       Tensor headBias, List<RnnLayer> slots) {
        this.config = config;
        this.slots = slots;
        this.embedding = embedding;
        this.lstm = lstm;
        this.norm = norm;
        this.headWeight = headWeight;
        this.headBias = headBias;
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("embedding.weight", embedding);
        lstm.parameters().forEach((name, t) -> p.put(LSTM + name, t));
        if (norm != null) {
            p.put("norm.weight", norm);
        }
        p.put("head.weight", headWeight);
        p.put("head.bias", headBias);
        this.parameters = Collections.unmodifiableMap(p);
    }

    /**
     * A freshly initialised model: embedding N(0, 1) and PyTorch's defaults elsewhere (LSTM and head
     * {@code U(-1/sqrt(H), 1/sqrt(H))}, norm gain 1), drawn in that order from {@code rng}.
     */
    public static ByteLstmLm create(ByteLstmConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException(ByteLstmConfig.MODEL_TYPE + ": a config and a generator are required");
        }
        Tensor embedding = Tensor.randn(rng, 1f, ByteLstmConfig.VOCAB_SIZE, config.embedSize()).requiresGrad(true);
        RnnLayer lstm = new RnnLayer(rnnConfig(config), rng);
        Tensor norm = config.norm() ? Tensor.full(1f, config.hiddenSize()).requiresGrad(true) : null;
        float bound = (float) (1.0 / Math.sqrt(config.hiddenSize()));
        Tensor headWeight = Tensor.uniform(rng, -bound, bound, ByteLstmConfig.VOCAB_SIZE, config.hiddenSize())
                .requiresGrad(true);
        Tensor headBias = Tensor.uniform(rng, -bound, bound, ByteLstmConfig.VOCAB_SIZE).requiresGrad(true);
        return new ByteLstmLm(config, embedding, lstm, norm, headWeight, headBias);
    }

    /** Takes every tensor from {@code weights} under the names of the class comment, checking each shape. */
    public static ByteLstmLm load(ByteLstmConfig config, HfWeights weights) {
        int v = ByteLstmConfig.VOCAB_SIZE;
        Tensor embedding = weights.take("embedding.weight", v, config.embedSize());
        RnnConfig rnn = rnnConfig(config);
        // The layer allocates its own leaves; the checkpoint's values are copied into them.
        RnnLayer lstm = new RnnLayer(rnn, new Rng(0));
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : rnn.parameterNames()) {
            state.put(name, weights.take(LSTM + name, rnn.parameterShape(name)));
        }
        lstm.loadStateDict(state);
        Tensor norm = config.norm() ? weights.take("norm.weight", config.hiddenSize()) : null;
        Tensor headWeight = weights.take("head.weight", v, config.hiddenSize());
        Tensor headBias = weights.take("head.bias", v);
        return new ByteLstmLm(config, embedding, lstm, norm, headWeight, headBias);
    }

    private static RnnConfig rnnConfig(ByteLstmConfig config) {
        return RnnConfig.lstm(config.embedSize(), config.hiddenSize()).withLayers(config.numLayers());
    }

    /**
     * The same weights applying the LSTM layers {@code plan} lists, each slot with its own rows of
     * {@code lstm.h} and {@code lstm.c} ({@code [slots, B, H]}). The first slot reads the embedding and the
     * others the previous slot's output, so when the embedding and hidden sizes differ, layer 0 must come first
     * and only there.
     */
    @Override
    public ByteLstmLm withLayerPlan(LayerPlan plan) {
        int[] order = plan.layers(config.numLayers());
        List<RnnLayer> views = new ArrayList<>();
        for (int s = 0; s < order.length; s++) {
            RnnLayer view = lstm.layer(order[s]);
            int reads = s == 0 ? config.embedSize() : config.hiddenSize();
            if (view.config().inputSize() != reads) {
                throw new RecurException("layer plan '" + plan + "': slot " + s + " applies LSTM layer " + order[s]
                        + ", which reads " + view.config().inputSize() + " features, but gets " + reads + " ("
                        + (s == 0 ? "the embedding" : "the previous layer's output") + ")");
            }
            views.add(view);
        }
        return new ByteLstmLm(config, embedding, lstm, norm, headWeight, headBias, List.copyOf(views));
    }

    public ByteLstmConfig config() {
        return config;
    }

    @Override
    public String modelType() {
        return ByteLstmConfig.MODEL_TYPE;
    }

    @Override
    public int vocabSize() {
        return ByteLstmConfig.VOCAB_SIZE;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    @Override
    public LmState initialState(int batch) {
        if (batch < 1) {
            throw new RecurException(ByteLstmConfig.MODEL_TYPE + ": batch must be >= 1, got " + batch);
        }
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put(H, Tensor.zeros(layerSlots(), batch, config.hiddenSize()));
        t.put(C, Tensor.zeros(layerSlots(), batch, config.hiddenSize()));
        return new LmState(t, 0);
    }

    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        String op = ByteLstmConfig.MODEL_TYPE + ".forward";
        LmInputs.requireIds(ByteLstmConfig.MODEL_TYPE, ids);
        int batch = ids.dim(0);
        LmState start = state == null ? initialState(batch) : state;
        int[] stateShape = {layerSlots(), batch, config.hiddenSize()};
        Shapes.require(op, "state '" + H + "'", stateShape, start.tensor(H).shape());
        Shapes.require(op, "state '" + C + "'", stateShape, start.tensor(C).shape());
        Tensor x = Embedding.embedding(embedding, ids);                                  // [B, T, E]
        RnnState first = new RnnState(start.tensor(H), start.tensor(C));
        RnnOutput out = slots == null ? lstm.forward(x, first) : planned(x, first);      // [B, T, H]
        Tensor y = norm == null ? out.output() : Norms.rmsNorm(out.output(), norm, config.normEps());
        Tensor logits = Linear.apply(y, headWeight, headBias);                           // [B, T, 256]
        Map<String, Tensor> next = new LinkedHashMap<>();
        next.put(H, out.state().h());
        next.put(C, out.state().c());
        return new LmOutput(logits, new LmState(next, start.position() + ids.dim(1)));
    }

    /** The slots' one-layer LSTMs in turn, slot {@code s} on rows {@code s} of the state. */
    private RnnOutput planned(Tensor x, RnnState state) {
        Tensor[] h = new Tensor[slots.size()];
        Tensor[] c = new Tensor[slots.size()];
        Tensor y = x;
        for (int s = 0; s < slots.size(); s++) {
            RnnState own = new RnnState(Reshaping.slice(state.h(), 0, s, s + 1),
                    Reshaping.slice(state.c(), 0, s, s + 1));
            RnnOutput o = slots.get(s).forward(y, own);                                   // [B, T, H]
            y = o.output();
            h[s] = o.state().h();
            c[s] = o.state().c();
        }
        return new RnnOutput(y, new RnnState(Reshaping.concat(0, h), Reshaping.concat(0, c)));
    }

    private int layerSlots() {
        return slots == null ? config.numLayers() : slots.size();
    }
}
