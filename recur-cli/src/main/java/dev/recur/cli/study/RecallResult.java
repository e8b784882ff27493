package dev.recur.cli.study;

/**
 * One trained configuration of the recall study.
 *
 * @param family     the recurrent block kind ({@code gla}, {@code gdn}, ...)
 * @param ratio      the linear:attention ratio
 * @param spec       the stack's spec, expanded
 * @param parameters trainable parameters
 * @param accuracy   held-out MQAR answer accuracy after training
 * @param loss       the last training loss
 * @param steps      optimiser steps taken
 * @param seconds    wall time of training and evaluation
 */
public record RecallResult(String family, AttentionRatio ratio, String spec, long parameters, double accuracy,
                           double loss, int steps, double seconds) {}
