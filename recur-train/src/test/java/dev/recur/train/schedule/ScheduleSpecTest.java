package dev.recur.train.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.train.schedule.WarmupStableDecay.Tail;
import org.junit.jupiter.api.Test;

class ScheduleSpecTest {
    @Test
    void parsesEachKindIntoTheEquivalentRecord() {
        assertThat(LearningRateSchedule.parse("constant", 0.1, 50)).isEqualTo(new Constant(0.1));
        assertThat(LearningRateSchedule.parse("constant:warmup=5", 0.1, 50))
                .isEqualTo(new LinearWarmup(5, new Constant(0.1)));
        assertThat(LearningRateSchedule.parse("cosine:warmup=50,min=0.1", 2.0, 1000))
                .isEqualTo(new LinearWarmup(50, new Cosine(2.0, 0.2, 950)));
        assertThat(LearningRateSchedule.parse("cosine", 1.0, 10)).isEqualTo(new Cosine(1.0, 0.0, 10));
        assertThat(LearningRateSchedule.parse("wsd:warmup=100,decay=0.2,tail=cosine", 3e-4, 1000))
                .isEqualTo(new WarmupStableDecay(3e-4, 0, 1000, 100, 200, Tail.COSINE));
        assertThat(LearningRateSchedule.parse(" wsd : decay = 150 , warmup=0.05, min=0.5, tail=sqrt", 1.0, 1000))
                .isEqualTo(new WarmupStableDecay(1.0, 0.5, 1000, 50, 150, Tail.SQRT));
        assertThat(LearningRateSchedule.parse("wsd", 1.0, 1000))
                .isEqualTo(new WarmupStableDecay(1.0, 0, 1000, 0, 200, Tail.LINEAR));
        assertThat(LearningRateSchedule.parse("wsd:decay=0.2", 1.0, 2))
                .isEqualTo(new WarmupStableDecay(1.0, 0, 2, 0, 1, Tail.LINEAR));
    }

    @Test
    void errorsNameTheSpecTheOptionAndTheGot() {
        assertThatThrownBy(() -> LearningRateSchedule.parse("linear", 1, 10)).isInstanceOf(RecurException.class)
                .hasMessageContaining("schedule 'linear'").hasMessageContaining("constant, cosine, wsd");
        assertThatThrownBy(() -> LearningRateSchedule.parse("cosine:floor=0.1", 1, 10))
                .hasMessageContaining("'floor'").hasMessageContaining("min, warmup");
        assertThatThrownBy(() -> LearningRateSchedule.parse("wsd:tail=exp", 1, 10)).hasMessageContaining("tail")
                .hasMessageContaining("'exp'");
        assertThatThrownBy(() -> LearningRateSchedule.parse("wsd:decay=1.5", 1, 10)).hasMessageContaining("decay")
                .hasMessageContaining("'1.5'");
        assertThatThrownBy(() -> LearningRateSchedule.parse("cosine:min=-0.1", 1, 10)).hasMessageContaining("min");
        assertThatThrownBy(() -> LearningRateSchedule.parse("cosine:warmup", 1, 10))
                .hasMessageContaining("key=value");
        assertThatThrownBy(() -> LearningRateSchedule.parse("cosine:warmup=1,warmup=2", 1, 10))
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> LearningRateSchedule.parse("cosine:warmup=10", 1, 10))
                .hasMessageContaining("warmup");
        assertThatThrownBy(() -> LearningRateSchedule.parse("wsd:warmup=90,decay=20", 1, 100))
                .hasMessageContaining("schedule 'wsd:warmup=90,decay=20'")
                .hasMessageContaining("warmupSteps + decaySteps");
        assertThatThrownBy(() -> LearningRateSchedule.parse("constant", 1, 0)).hasMessageContaining("totalSteps");
        assertThatThrownBy(() -> LearningRateSchedule.parse(null, 1, 10)).hasMessageContaining("null");
    }
}
