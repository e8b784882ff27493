package dev.recur.train.checkpoint;

import dev.recur.core.RecurException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trainer's own state in a checkpoint ({@code trainer.json}): everything besides the model and optimiser
 * tensors that a resumed run needs to continue with the same bits.
 *
 * @param step optimiser steps taken
 * @param tokensSeen training tokens consumed
 * @param dataPosition the data iterator's position (for {@code ByteBatcher}: batches drawn)
 * @param seeds the seeds of the run's random generators, by purpose ("init", "data", "dropout"...)
 * @param scalars any other numbers to carry over (best validation loss, loss scale...); non-finite values
 *     round-trip as NaN
 */
public record TrainerState(long step, long tokensSeen, long dataPosition, Map<String, Long> seeds,
                           Map<String, Double> scalars) {
    public TrainerState {
        if (step < 0 || tokensSeen < 0 || dataPosition < 0) {
            throw new RecurException("TrainerState: expected step, tokensSeen and dataPosition >= 0, got step "
                    + step + ", tokensSeen " + tokensSeen + ", dataPosition " + dataPosition);
        }
        seeds = Collections.unmodifiableMap(new TreeMap<>(checkKeys("seeds", seeds)));
        scalars = Collections.unmodifiableMap(new TreeMap<>(checkKeys("scalars", scalars)));
    }

    /** A state with no seeds or scalars. */
    public TrainerState(long step, long tokensSeen, long dataPosition) {
        this(step, tokensSeen, dataPosition, Map.of(), Map.of());
    }

    private static <V> Map<String, V> checkKeys(String field, Map<String, V> map) {
        if (map == null) {
            throw new RecurException("TrainerState: " + field + " expected a map, got null");
        }
        for (Map.Entry<String, V> e : map.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
                throw new RecurException("TrainerState: " + field + " expected non-empty names and non-null"
                        + " values, got " + e.getKey() + "=" + e.getValue());
            }
        }
        return map;
    }

    /** The seed named {@code name}; fails naming the known seeds when there is none. */
    public long seed(String name) {
        Long s = seeds.get(name);
        if (s == null) {
            throw new RecurException("TrainerState: no seed named '" + name + "', have " + seeds.keySet());
        }
        return s;
    }
}
