package dev.recur.cli.study;

import dev.recur.core.RecurException;

/**
 * A linear:attention block ratio such as {@code 3:1}: within each group, {@code linear} blocks of the family
 * followed by {@code attention} blocks; groups repeat to the stack's depth. {@code 1:0} is the pure family.
 *
 * @param linear    family blocks per group
 * @param attention attention blocks per group
 */
public record AttentionRatio(int linear, int attention) {
    public AttentionRatio {
        if (linear < 0 || attention < 0 || linear + attention == 0) {
            throw new RecurException("recall study: a ratio needs non-negative counts, not both zero, got "
                    + linear + ":" + attention);
        }
    }

    /** Reads {@code A:B}. */
    public static AttentionRatio parse(String text) {
        String[] parts = text.trim().split(":", -1);
        if (parts.length == 2) {
            try {
                return new AttentionRatio(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (NumberFormatException e) {
                // reported below with the expected form
            }
        }
        throw new RecurException("recall study: --ratios expected LINEAR:ATTENTION such as 3:1, got '" + text + "'");
    }

    /**
     * The spec of a {@code depth}-block stack of {@code family} and {@code attention} blocks at this ratio, e.g.
     * {@code (gla*3+attn)*2}.
     */
    public String spec(String family, String attention, int depth) {
        int group = linear + this.attention;
        if (depth % group != 0) {
            throw new RecurException("recall study: depth " + depth + " is not a multiple of the ratio " + this
                    + "'s group of " + group + " blocks");
        }
        if (linear == 0 || this.attention == 0) {
            return part(linear == 0 ? attention : family, depth);
        }
        String one = part(family, linear) + "+" + part(attention, this.attention);
        int groups = depth / group;
        return groups == 1 ? one : "(" + one + ")*" + groups;
    }

    /** The share of attention blocks, 0 to 1. */
    public double attentionShare() {
        return attention / (double) (linear + attention);
    }

    private static String part(String kind, int n) {
        return n == 1 ? kind : kind + "*" + n;
    }

    @Override
    public String toString() {
        return linear + ":" + attention;
    }
}
