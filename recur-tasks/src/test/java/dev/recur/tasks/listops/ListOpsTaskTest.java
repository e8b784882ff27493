package dev.recur.tasks.listops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.tasks.TokenBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListOpsTaskTest {
    /**
     * An evaluator written apart from the generator: reads ids left to right with a stack of open operators and
     * their collected values; the median is computed in double and floored.
     */
    private static int evaluateIds(int[] ids, int length) {
        Deque<String> ops = new ArrayDeque<>();
        Deque<List<Integer>> args = new ArrayDeque<>();
        Integer result = null;
        for (int i = 0; i < length; i++) {
            String tok = ListOpsTokens.text(ids[i]);
            if (tok.startsWith("[")) {
                ops.push(tok);
                args.push(new ArrayList<>());
            } else if (tok.equals("]")) {
                String op = ops.pop();
                List<Integer> v = args.pop();
                v.sort(null);
                int value = switch (op) {
                    case "[MIN" -> v.get(0);
                    case "[MAX" -> v.get(v.size() - 1);
                    case "[SM" -> v.stream().mapToInt(Integer::intValue).sum() % 10;
                    case "[MED" -> (int) Math.floor(v.size() % 2 == 1 ? v.get(v.size() / 2)
                            : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2.0);
                    default -> throw new AssertionError(op);
                };
                if (args.isEmpty()) {
                    result = value;
                } else {
                    args.peek().add(value);
                }
            } else {
                args.peek().add(Integer.parseInt(tok));
            }
        }
        assertThat(ops).as("every operator is closed").isEmpty();
        return result;
    }

    private static int depth(ListOpsTree t) {
        if (t instanceof ListOpsTree.Apply a) {
            return 1 + a.args().stream().mapToInt(ListOpsTaskTest::depth).max().orElse(0);
        }
        return 0;
    }

    @Test
    void generatorAgreesWithAnIndependentEvaluatorOnLraSizedTrees() {
        ListOpsTask task = new ListOpsTask(ListOpsConfig.LRA, 3);
        TokenBatch batch = task.batch(8, 0);
        int t = ListOpsConfig.LRA.maxLength();
        for (int b = 0; b < 8; b++) {
            int[] row = java.util.Arrays.copyOfRange(batch.inputs().data(), b * t, (b + 1) * t);
            int length = 0;
            while (length < t && row[length] != ListOpsTokens.PAD) {
                length++;
            }
            assertThat(length).isGreaterThan(500).isLessThan(2000);
            for (int i = length; i < t; i++) {
                assertThat(row[i]).isEqualTo(ListOpsTokens.PAD);
            }
            assertThat(row[length - 1]).isEqualTo(ListOpsTokens.CLOSE_ID);
            assertThat(batch.mask().data()[b * t + length - 1]).isEqualTo(1f);
            assertThat(batch.targets().data()[b * t + length - 1]).isEqualTo(evaluateIds(row, length));
            ListOpsTree tree = task.tree(b);
            assertThat(depth(tree)).isLessThanOrEqualTo(10);
        }
        assertThat(batch.answerCount()).isEqualTo(8);
    }

    @Test
    void manySmallTreesEvaluateTheSameBothWaysAndTheirLraSourceTokenisesBack() {
        ListOpsTask task = new ListOpsTask(new ListOpsConfig(6, 5, 3, 80), 1);
        int[] valueCounts = new int[10];
        for (int i = 0; i < 2000; i++) {
            ListOpsTree tree = task.tree(i);
            int[] ids = ListOpsTokens.encode(tree);
            assertThat(ids.length).isEqualTo(tree.tokenCount()).isGreaterThan(3).isLessThan(80);
            assertThat(tree.evaluate()).isEqualTo(evaluateIds(ids, ids.length));
            assertThat(ListOpsTokens.tokenize(tree.lraSource())).isEqualTo(ids);
            valueCounts[tree.evaluate()]++;
        }
        for (int v = 0; v < 10; v++) {
            assertThat(valueCounts[v]).as("answer %d occurs", v).isPositive();
        }
    }

    @Test
    void operatorsFollowLra() {
        assertThat(ListOpsOperator.MED.apply(new int[] {4, 3})).isEqualTo(3);
        assertThat(ListOpsOperator.MED.apply(new int[] {9, 1, 5})).isEqualTo(5);
        assertThat(ListOpsOperator.SM.apply(new int[] {9, 8, 7})).isEqualTo(4);
        ListOpsTree t = new ListOpsTree.Apply(ListOpsOperator.MAX,
                List.of(new ListOpsTree.Digit(2), new ListOpsTree.Digit(9)));
        assertThat(t.lraSource()).isEqualTo("( ( ( [MAX 2 ) 9 ) ] )");
        assertThat(t.tokenCount()).isEqualTo(4);
    }

    @Test
    void deterministicAndValidated() {
        ListOpsConfig c = new ListOpsConfig(5, 4, 10, 60);
        assertThat(new ListOpsTask(c, 4).batch(4, 1).inputs().data())
                .isEqualTo(new ListOpsTask(c, 4).batch(4, 1).inputs().data());
        int[] ids = ListOpsTokens.encode(new ListOpsTask(c, 4).tree(5));
        int[] row = new ListOpsTask(c, 4).batch(1, 5).inputs().data();
        assertThat(java.util.Arrays.copyOf(row, ids.length)).isEqualTo(ids);
        assertThatThrownBy(() -> new ListOpsConfig(10, 1, 500, 2000)).isInstanceOf(RecurException.class)
                .hasMessageContaining("max_args");
        assertThatThrownBy(() -> new ListOpsConfig(10, 10, 500, 400)).isInstanceOf(RecurException.class)
                .hasMessageContaining("max_length 400");
        assertThatThrownBy(() -> ListOpsTokens.tokenize("[MAX 2 X ]")).isInstanceOf(RecurException.class)
                .hasMessageContaining("'X'");
    }
}
