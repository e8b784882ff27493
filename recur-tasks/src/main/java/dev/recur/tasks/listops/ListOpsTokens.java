package dev.recur.tasks.listops;

import dev.recur.core.RecurException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ListOps vocabulary: id 0 is padding, ids 1 to 10 the digits 0 to 9, then {@code [MIN}, {@code [MAX},
 * {@code [MED}, {@code [SM} (11 to 14) and the closing {@code ]} (15). The parentheses of the Long Range Arena
 * source strings are not tokens: they only restate the nesting that the brackets already give.
 */
public final class ListOpsTokens {
    public static final int PAD = 0;
    public static final int CLOSE_ID = 15;
    public static final String CLOSE = "]";
    public static final int VOCAB_SIZE = 16;

    private ListOpsTokens() {
    }

    public static int digitId(int digit) {
        return 1 + digit;
    }

    public static int operatorId(ListOpsOperator op) {
        return 11 + op.ordinal();
    }

    /** The ids of a tree, in reading order. */
    public static int[] encode(ListOpsTree tree) {
        List<Integer> out = new ArrayList<>();
        append(tree, out);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void append(ListOpsTree tree, List<Integer> out) {
        if (tree instanceof ListOpsTree.Digit d) {
            out.add(digitId(d.value()));
            return;
        }
        ListOpsTree.Apply a = (ListOpsTree.Apply) tree;
        out.add(operatorId(a.operator()));
        for (ListOpsTree arg : a.args()) {
            append(arg, out);
        }
        out.add(CLOSE_ID);
    }

    /**
     * Ids of the source text (LRA's or without parentheses): whitespace-separated tokens, parentheses dropped.
     */
    public static int[] tokenize(String source) {
        List<Integer> out = new ArrayList<>();
        for (String tok : source.trim().split("\\s+")) {
            if (tok.isEmpty() || tok.equals("(") || tok.equals(")")) {
                continue;
            }
            out.add(id(tok));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int id(String tok) {
        if (tok.length() == 1 && Character.isDigit(tok.charAt(0))) {
            return digitId(tok.charAt(0) - '0');
        }
        if (tok.equals(CLOSE)) {
            return CLOSE_ID;
        }
        for (ListOpsOperator op : ListOpsOperator.values()) {
            if (op.token().equals(tok)) {
                return operatorId(op);
            }
        }
        throw new RecurException("listops: unknown token '" + tok + "', expected a digit, [MIN, [MAX, [MED, [SM or ]");
    }

    /** The text of one id. */
    public static String text(int id) {
        if (id == PAD) {
            return "<pad>";
        }
        if (id >= 1 && id <= 10) {
            return Integer.toString(id - 1);
        }
        if (id >= 11 && id <= 14) {
            return ListOpsOperator.values()[id - 11].token();
        }
        if (id == CLOSE_ID) {
            return CLOSE;
        }
        throw new RecurException("listops: expected an id in [0, " + VOCAB_SIZE + "), got " + id);
    }
}
