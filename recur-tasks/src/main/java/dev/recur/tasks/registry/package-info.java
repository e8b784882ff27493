/**
 * The task registry: the one place that lists every task family ({@code recur tasks} prints it, {@code recur train
 * --task NAME} builds from it). The task contract it lists against ({@code Task}, {@code TaskEntry},
 * {@code TaskParams}) sits below, in {@code dev.recur.tasks}.
 */
package dev.recur.tasks.registry;
