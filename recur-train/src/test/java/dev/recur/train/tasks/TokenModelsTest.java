package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.train.NamedParameter;
import org.junit.jupiter.api.Test;

/** The token model factory: every kind emits heads x classes logits, is seeded, and bad sizes name the kind. */
class TokenModelsTest {
    private static final TokenModelSpec SPEC = new TokenModelSpec(11, 5, 3, 16, 1, 2);

    @Test
    void everyKindEmitsHeadsTimesClassesLogitsPerPosition() {
        IntTensor ids = IntTensor.of(new int[] {0, 3, 10, 7, 1, 2}, 2, 3);
        for (TokenModels.Kind k : TokenModels.kinds()) {
            TokenModel m = TokenModels.create(k.name(), SPEC, new Rng(4));
            assertArrayEquals(new int[] {2, 3, 15}, m.forward(ids).shape(), k.name());
        }
        assertTrue(TokenModels.kinds().stream().anyMatch(k -> k.name().equals("lstm")));
        assertTrue(TokenModels.kinds().stream().anyMatch(k -> k.name().equals("attention")));
    }

    @Test
    void aLayerSpecNameBuildsThatStack() {
        IntTensor ids = IntTensor.of(new int[] {0, 3, 10, 7, 1, 2}, 2, 3);
        TokenModel m = TokenModels.create("stack:mamba,attn", SPEC, new Rng(4));
        assertArrayEquals(new int[] {2, 3, 15}, m.forward(ids).shape());
        assertEquals(StackTagger.class, m.getClass());
        assertEquals("mamba,attn", ((StackTagger) m).model().config().spec());
        assertTrue(TokenModels.find("stack:mamba*2+attn").description().contains("mamba,mamba,attn"));
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        for (TokenModels.Kind k : TokenModels.kinds()) {
            TokenModel a = TokenModels.create(k.name(), SPEC, new Rng(9));
            TokenModel b = TokenModels.create(k.name(), SPEC, new Rng(9));
            for (NamedParameter p : a.parameters()) {
                assertArrayEquals(p.value().data(), b.parameters().get(p.name()).value().data(), p.name());
            }
        }
    }

    @Test
    void badChoicesNameTheKindAndTheValue() {
        String unknown = assertThrows(RecurException.class, () -> TokenModels.create("gpt", SPEC, new Rng(1)))
                .getMessage();
        assertTrue(unknown.startsWith("token model: unknown kind 'gpt', expected one of [lstm, attention"), unknown);
        assertTrue(unknown.contains("unknown block kind 'gpt'"), unknown);
        assertTrue(TokenModels.create("gru", SPEC, new Rng(1)) instanceof StackTagger, "a plain spec is a stack");
        assertEquals("token model lstm: expected layers 1 (one LSTM layer), got 2", assertThrows(RecurException.class,
                () -> TokenModels.create("lstm", new TokenModelSpec(11, 5, 1, 16, 2, 2), new Rng(1))).getMessage());
        assertTrue(assertThrows(RecurException.class,
                () -> TokenModels.create("attention", new TokenModelSpec(11, 5, 1, 15, 1, 3), new Rng(1)))
                .getMessage().contains("splits into 3 heads of an even size, got width 15"));
        assertThrows(RecurException.class, () -> TokenModels.register("lstm", "again", (s, r) -> null));
        assertTrue(assertThrows(RecurException.class, () -> TokenModels.create("stack:mamba,nope", SPEC, new Rng(1)))
                .getMessage().contains("nope"));
        assertThrows(RecurException.class, () -> new TokenModelSpec(0, 5, 1, 16, 1, 2));
    }
}
