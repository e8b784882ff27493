package dev.recur.layers.stack;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.lm.LmInputs;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.lm.ModelFolder;
import dev.recur.layers.lm.WeightSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A causal LM ({@code model_type} {@code recur_stack}) whose blocks are data: token embedding
 * {@code [V, D]} -> the {@link StackBlock}s of a {@link LayerSpec} -> RMSNorm -> head {@code [C, D]} (C the
 * vocabulary for a language model, the class count for a token task; tied to the embedding on request).
 *
 * <p>Parameters: {@code embedding.weight}, {@code blocks.i.*} (see {@link StackBlock}), {@code norm.weight},
 * {@code head.weight} (absent when tied). Initialisation: embedding {@code N(0, 1)}, norm gains 1, projections
 * {@code U(+-1/sqrt(fan_in))} with every block's output projections scaled by {@code 1/sqrt(2 * blocks)}; each
 * mixer's own parameters as its adapter documents. State: every block's mixer state, its tensors named
 * {@code blocks.i.NAME}, and the position shared by all.
 */
public final class StackLm implements CausalLm {
    private final StackConfig config;
    private final List<StackBlock> blocks;
    private final Tensor embedding; // [V, D]
    private final Tensor finalNorm; // [D]
    private final Tensor head;      // [C, D]
    private final Map<String, Tensor> parameters;

    private StackLm(StackConfig config, Params p) {
        this.config = config;
        int d = config.dModel();
        Map<String, Tensor> all = new LinkedHashMap<>();
        embedding = p.get("embedding.weight", new int[] {config.vocabSize(), d},
                rng -> Tensor.randn(rng, 1f, config.vocabSize(), d));
        all.put("embedding.weight", embedding);
        blocks = StackBlock.build(config.blocks(), d, config.mlpHidden(), config.normEps(), p, all);
        finalNorm = p.get("norm.weight", new int[] {d}, Params.constant(1f, d));
        all.put("norm.weight", finalNorm);
        if (config.tieEmbeddings()) {
            head = embedding;
        } else {
            head = p.get("head.weight", new int[] {config.outputSize(), d}, Params.fanIn(config.outputSize(), d, 1f));
            all.put("head.weight", head);
        }
        parameters = Collections.unmodifiableMap(all);
    }

    /** A freshly initialised stack; the same config and seed give the same bits. */
    public static StackLm create(StackConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException(StackConfig.MODEL_TYPE + ": a config and a generator are required");
        }
        return new StackLm(config, Params.drawn(rng));
    }

    /** The stack of {@code config} over a checkpoint's tensors (every one it needs, each shape checked). */
    public static StackLm load(StackConfig config, HfWeights weights) {
        return new StackLm(config, Params.loaded(WeightSource.of(weights), ""));
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code dir}, which {@code HfModels.load} reads. */
    public void save(Path dir) throws IOException {
        save(dir, Map.of());
    }

    /**
     * As {@link #save(Path)}, adding {@code extraFields} to config.json (e.g. {@code "tokenizer": "bytes"} for a
     * byte-level model that {@code recur eval} and {@code recur generate --prompt} read).
     */
    public void save(Path dir, Map<String, Object> extraFields) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>(config.toConfigFields());
        extraFields.forEach((k, v) -> {
            if (fields.containsKey(k)) {
                throw new RecurException(StackConfig.MODEL_TYPE + ".save: extra field '" + k
                        + "' would replace the model's own");
            }
            fields.put(k, v);
        });
        ModelFolder.write(dir, fields, parameters);
    }

    public StackConfig config() {
        return config;
    }

    public List<StackBlock> blocks() {
        return blocks;
    }

    @Override
    public String modelType() {
        return StackConfig.MODEL_TYPE;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    /** The head's width: the vocabulary for a language model, the class count for a token task. */
    public int outputSize() {
        return config.outputSize();
    }

    @Override
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /** Total parameter count (a tied head counted once). */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters.values()) {
            n += t.size();
        }
        return n;
    }

    @Override
    public LmState initialState(int batch) {
        if (batch < 1) {
            throw new RecurException(StackConfig.MODEL_TYPE + ": batch must be >= 1, got " + batch);
        }
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            String prefix = "blocks." + i + ".";
            blocks.get(i).mixer().initialState(batch).putUnder(prefix, all);
        }
        return new LmState(all, 0);
    }

    /** Logits {@code [B, T, C]} for ids {@code [B, T]} from {@code state} (null: the start of every stream). */
    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        LmInputs.requireIds(StackConfig.MODEL_TYPE, ids);
        LmState start = state == null ? initialState(ids.dim(0)) : state;
        Tensor x = Embedding.embedding(embedding, ids);                              // [B, T, D]
        Map<String, Tensor> next = new LinkedHashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            String prefix = "blocks." + i + ".";
            MixerOutput out = blocks.get(i).forward(x, MixerState.under(prefix, start.tensors(), start.position()));
            x = out.output();
            out.state().putUnder(prefix, next);
        }
        Tensor logits = Linear.apply(Norms.rmsNorm(x, finalNorm, config.normEps()), head); // [B, T, C]
        return new LmOutput(logits, new LmState(next, start.position() + ids.dim(1)));
    }
}
