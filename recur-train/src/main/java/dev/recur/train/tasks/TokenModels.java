package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.layers.depth.UniversalTransformerConfig;
import dev.recur.layers.ssm.lbmamba.LbMambaConfig;
import dev.recur.layers.ssm.lbmamba.ScanDirections;
import dev.recur.layers.stack.LayerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token models a task run can train, by name ({@code recur train --task NAME --model KIND}). Each kind is a
 * {@link Factory} from a {@link TokenModelSpec} and a seeded {@link Rng}; the same spec and seed must give the
 * same initial weights, so that a run folder's saved configuration rebuilds its model. A new kind is one
 * {@link #register} call (in this class's list, or by the code that adds it, before the command line runs).
 */
public final class TokenModels {
    /** Builds a model for a spec; invalid sizes are {@link RecurException}s naming the kind. */
    @FunctionalInterface
    public interface Factory {
        TokenModel create(TokenModelSpec spec, Rng rng);
    }

    /** A registered kind: its name, a one-line description, and its factory. */
    public record Kind(String name, String description, Factory factory) {}

    /** The LSTM tagger's embedding width. */
    public static final int LSTM_EMBEDDING = 16;

    /** The weight of the Universal Transformer's ponder cost in its loss. */
    public static final double PONDER_WEIGHT = 0.01;
    /** The LBMamba encoder's window. */
    public static final int LBMAMBA_WINDOW = 8;

    /** The prefix of a layer-spec stack's name: {@code stack:mamba2*3+attn}. */
    public static final String STACK_PREFIX = "stack:";
    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        register("lstm", "embedding " + LSTM_EMBEDDING + ", one LSTM layer of width units, dense head",
                (spec, rng) -> {
                    if (spec.layers() != 1) {
                        throw new RecurException("token model lstm: expected layers 1 (one LSTM layer), got "
                                + spec.layers());
                    }
                    return new LstmTagger(spec.vocab(), LSTM_EMBEDDING, spec.width(), spec.outputs(), rng);
                });
        register("attention", "layers pre-norm attention blocks (rotary, no MLP) of width, attention_heads heads",
                (spec, rng) -> {
                    int h = spec.attentionHeads();
                    if (spec.width() % h != 0 || (spec.width() / h) % 2 != 0) {
                        throw new RecurException("token model attention: expected a width that splits into "
                                + h + " heads of an even size, got width " + spec.width());
                    }
                    return new AttentionTagger(spec.vocab(), spec.outputs(), spec.layers(), h, spec.width() / h, rng);
                });
        register("universal", "a Universal Transformer: one shared attention + MLP block of width, attention_heads"
                        + " heads, applied up to layers times with ACT halting (ponder weight " + PONDER_WEIGHT + ")",
                (spec, rng) -> new UniversalTransformerTagger(spec.vocab(), spec.outputs(),
                        UniversalTransformerConfig.of(spec.width(), spec.attentionHeads(), spec.layers()),
                        PONDER_WEIGHT, rng));
        register("lbmamba", "a non-causal LBMamba encoder: layers Mamba blocks of width with local backward scans"
                        + " over windows of " + LBMAMBA_WINDOW + " tokens, direction alternating every two layers",
                (spec, rng) -> new MambaEncoderTagger(spec.vocab(), spec.outputs(),
                        LbMambaConfig.of(ScanDirections.LOCAL, spec.width(), spec.layers(), LBMAMBA_WINDOW), rng));
    }

    private TokenModels() {}

    /** Adds a kind; a name already taken is an error. */
    public static synchronized void register(String name, String description, Factory factory) {
        if (name == null || !name.matches("[a-z][a-z0-9_-]*") || description == null || factory == null) {
            throw new RecurException("TokenModels.register: expected a lowercase name, a description and a factory,"
                    + " got " + name);
        }
        if (KINDS.containsKey(name)) {
            throw new RecurException("TokenModels.register: a token model named '" + name + "' exists already");
        }
        KINDS.put(name, new Kind(name, description, factory));
    }

    /** Every kind, in registration order. */
    public static synchronized List<Kind> kinds() {
        return new ArrayList<>(KINDS.values());
    }

    /**
     * The kind called {@code name}: a registered kind, else a layer spec ({@link StackTagger}, d_model = width,
     * no MLP), written plainly ({@code mamba,attn}) or after {@value #STACK_PREFIX} ({@code stack:mamba,attn}).
     * A name that is neither lists the known kinds and says what is wrong with it as a spec.
     */
    public static synchronized Kind find(String name) {
        if (name != null && name.startsWith(STACK_PREFIX)) {
            return stack(name, name.substring(STACK_PREFIX.length()));
        }
        Kind k = KINDS.get(name);
        if (k != null) {
            return k;
        }
        try {
            return stack(name, name);
        } catch (RecurException e) {
            throw new RecurException("token model: unknown kind '" + name + "', expected one of " + KINDS.keySet()
                    + " or a layer spec such as mamba,attn (" + e.getMessage() + ")", e);
        }
    }

    private static Kind stack(String name, String spec) {
        String canonical = LayerSpec.format(LayerSpec.parse(spec));
        return new Kind(name, "layer-spec stack " + canonical + " (d_model = width, no MLP)",
                (s, rng) -> StackTagger.of(spec, s.vocab(), s.outputs(), s.width(), 0, rng));
    }

    /** A new model of kind {@code name} for {@code spec}, initialised from {@code rng}. */
    public static TokenModel create(String name, TokenModelSpec spec, Rng rng) {
        return find(name).factory().create(spec, rng);
    }
}
