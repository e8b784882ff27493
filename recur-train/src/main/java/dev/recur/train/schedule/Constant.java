package dev.recur.train.schedule;

/** The same learning rate at every step. */
public record Constant(double learningRate) implements LearningRateSchedule {
    public Constant {
        ScheduleChecks.requireRate("Constant", "learningRate", learningRate);
    }

    @Override
    public double at(long step) {
        ScheduleChecks.requireStep("Constant", step);
        return learningRate;
    }
}
