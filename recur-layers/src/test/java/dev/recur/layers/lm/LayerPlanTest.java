package dev.recur.layers.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.RecurException;
import org.junit.jupiter.api.Test;

/** Both plan syntaxes resolve to the layer order the class comment gives, and bad plans name what is wrong. */
class LayerPlanTest {

    @Test
    void listsApplyLayersInTheGivenOrder() {
        assertArrayEquals(new int[] {0, 1, 1, 1, 2, 3}, LayerPlan.parse("0,1,1,1,2,3").layers(4));
        assertArrayEquals(new int[] {3, 0}, LayerPlan.parse(" 3 , 0 ").layers(4));
    }

    @Test
    void directivesChangeTheModelsOwnOrder() {
        assertArrayEquals(new int[] {0, 1, 3}, LayerPlan.parse("skip=2").layers(4));
        assertArrayEquals(new int[] {0, 3}, LayerPlan.parse("skip=1,2").layers(4));
        assertArrayEquals(new int[] {0, 1, 1, 1, 2, 3}, LayerPlan.parse("repeat=1x3").layers(4));
        assertArrayEquals(new int[] {1, 2, 3, 3}, LayerPlan.parse("skip=0;repeat=3x2").layers(4));
        assertArrayEquals(new int[] {0, 0, 1, 2, 2}, LayerPlan.parse("repeat=0x2,2x2").layers(3));
    }

    @Test
    void badPlansNameTheProblem() {
        assertError("", () -> LayerPlan.parse(""), "empty");
        assertError("out of range", () -> LayerPlan.parse("0,4").layers(4), "layer 4 is out of range");
        assertError("out of range", () -> LayerPlan.parse("skip=7").layers(4), "the model has 4 layers (0..3)");
        assertError("negative", () -> LayerPlan.parse("0,-1"), "must be >= 0");
        assertError("not a number", () -> LayerPlan.parse("0,,1"), "'' is not an integer");
        assertError("repeat form", () -> LayerPlan.parse("repeat=3"), "INDEXxCOUNT");
        assertError("repeat zero", () -> LayerPlan.parse("repeat=1x0"), "repeat count must be >= 1");
        assertError("directive", () -> LayerPlan.parse("loop=1"), "unknown directive 'loop=1'");
        assertError("all skipped", () -> LayerPlan.parse("skip=0,1").layers(2), "applies no layer");
    }

    private static void assertError(String what, org.junit.jupiter.api.function.Executable call, String expected) {
        RecurException e = assertThrows(RecurException.class, call, what);
        assertTrue(e.getMessage().contains(expected) && e.getMessage().startsWith("layer plan"),
                what + ": " + e.getMessage());
    }
}
