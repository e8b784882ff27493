package dev.recur.tasks.listops;

import dev.recur.core.RecurException;
import dev.recur.tasks.TaskParams;

/**
 * The parameters of {@link ListOpsTask}. Long Range Arena's generator: depth at most 10, at most 10 arguments per
 * operator, token counts strictly between 500 and 2000, inputs padded to 2000.
 *
 * @param maxDepth the deepest level at which an operator may appear (the root is level 1)
 * @param maxArgs the most arguments an operator takes (at least 2)
 * @param minLength a tree is kept only if its token count is greater than this
 * @param maxLength a tree is kept only if its token count is less than this; also the padded input length
 */
public record ListOpsConfig(int maxDepth, int maxArgs, int minLength, int maxLength) {
    public static final ListOpsConfig LRA = new ListOpsConfig(10, 10, 500, 2000);

    public ListOpsConfig {
        if (maxDepth < 1) {
            throw new RecurException("listops: max_depth expected >= 1, got " + maxDepth);
        }
        if (maxArgs < 2) {
            throw new RecurException("listops: max_args expected >= 2, got " + maxArgs);
        }
        if (minLength < 0 || maxLength < minLength + 2 || maxLength < 5) {
            throw new RecurException("listops: expected 0 <= min_length and max_length >= max(min_length + 2, 5), "
                    + "got min_length " + minLength + ", max_length " + maxLength);
        }
    }

    /** The configuration from registry parameter values. */
    public static ListOpsConfig from(TaskParams p) {
        return new ListOpsConfig(p.integer("max_depth"), p.integer("max_args"), p.integer("min_length"),
                p.integer("max_length"));
    }
}
