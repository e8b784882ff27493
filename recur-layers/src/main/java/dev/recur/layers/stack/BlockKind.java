package dev.recur.layers.stack;

import dev.recur.core.RecurException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The token mixers a stack block can hold, each with the options its spec item accepts (every option an
 * integer; an absent option takes the mixer's default, documented on its adapter).
 */
public enum BlockKind {
    /** Causal softmax attention with rotary positions: {@code heads}, {@code window} (0: unbounded). */
    ATTN("attn", "heads", "window"),
    /** Mamba's selective SSM: {@code state} (N), {@code expand}, {@code conv} (kernel width). */
    MAMBA("mamba", "state", "expand", "conv"),
    /** Mamba-2's SSD: {@code state} (N), {@code heads}, {@code expand}, {@code conv}, {@code chunk}. */
    MAMBA2("mamba2", "state", "heads", "expand", "conv", "chunk"),
    /** Gated DeltaNet: {@code heads}, {@code conv} (0: no short convolution). */
    GDN("gdn", "heads", "conv"),
    /** DeltaNet (the delta rule without decay): {@code heads}, {@code conv}. */
    DELTANET("deltanet", "heads", "conv"),
    /** Gated linear attention: {@code heads}, {@code conv}. */
    GLA("gla", "heads", "conv"),
    /** HGRN-2: {@code heads}, {@code conv}. */
    HGRN2("hgrn2", "heads", "conv"),
    /** Plain causal linear attention with the {@code elu + 1} feature map: {@code heads}, {@code conv}. */
    LINEAR("linear", "heads", "conv"),
    /** RAT (recurrence inside chunks, attention across them): {@code heads}, {@code chunk}. */
    RAT("rat", "heads", "chunk"),
    /** One LSTM layer of width d_model (no options). */
    LSTM("lstm"),
    /** One GRU layer of width d_model (no options). */
    GRU("gru");

    private final String id;
    private final List<String> options;

    BlockKind(String id, String... options) {
        this.id = id;
        this.options = List.of(options);
    }

    /** The name used in specs ({@code attn}, {@code gdn}, ...). */
    public String id() {
        return id;
    }

    /** The option names this kind accepts. */
    public List<String> options() {
        return options;
    }

    /** Whether the kind's state stays the same size however long the sequence ({@code attn} grows unless windowed). */
    public boolean isRecurrent() {
        return this != ATTN;
    }

    /** Every spec name, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(BlockKind::id).collect(Collectors.toList());
    }

    /** The kind spelled {@code id}; an unknown name gives an error listing the known ones. */
    public static BlockKind of(String id) {
        for (BlockKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new RecurException("layer spec: unknown block kind '" + id + "' (known: " + String.join(", ", ids())
                + ")");
    }

    /** Checks that every key of {@code given} is an option of this kind. */
    void checkOptions(Map<String, Integer> given, String where) {
        for (String key : given.keySet()) {
            if (!options.contains(key)) {
                throw new RecurException("layer spec: " + where + " '" + id + "' has no option '" + key + "' ("
                        + (options.isEmpty() ? "it takes none" : "options: " + String.join(", ", options)) + ")");
            }
        }
    }
}
