package dev.recur.tasks.listops;

import java.util.List;

/**
 * A ListOps expression: a digit, or an operator applied to two or more sub-expressions.
 */
public sealed interface ListOpsTree {
    /** A digit 0 to 9. */
    record Digit(int value) implements ListOpsTree {
    }

    /** An operator and its arguments, in order. */
    record Apply(ListOpsOperator operator, List<ListOpsTree> args) implements ListOpsTree {
        public Apply {
            args = List.copyOf(args);
        }
    }

    /** The expression's value, a digit. */
    default int evaluate() {
        if (this instanceof Digit d) {
            return d.value();
        }
        Apply a = (Apply) this;
        int[] values = new int[a.args().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = a.args().get(i).evaluate();
        }
        return a.operator().apply(values);
    }

    /** The number of tokens: one per digit, and an operator's opening and closing tokens. */
    default int tokenCount() {
        if (this instanceof Digit) {
            return 1;
        }
        int n = 2;
        for (ListOpsTree t : ((Apply) this).args()) {
            n += t.tokenCount();
        }
        return n;
    }

    /**
     * The expression as the Long Range Arena data files write it: each operator's opening token and its arguments
     * folded into nested pairs, each pair in parentheses, e.g. {@code ( ( ( [MAX 2 ) 9 ) ] )} for
     * {@code [MAX 2 9 ]}.
     */
    default String lraSource() {
        if (this instanceof Digit d) {
            return Integer.toString(d.value());
        }
        Apply a = (Apply) this;
        String s = a.operator().token();
        for (ListOpsTree arg : a.args()) {
            s = "( " + s + " " + arg.lraSource() + " )";
        }
        return "( " + s + " " + ListOpsTokens.CLOSE + " )";
    }
}
