/**
 * What a training run reports to its user: a live progress display ({@link
 * dev.recur.cli.report.TrainingProgress}), the loss-curve PNG ({@link dev.recur.cli.report.LossCurvePlot}),
 * general-purpose compressors' bits per byte as a baseline ({@link dev.recur.cli.report.CompressionBaseline}),
 * and {@code MODEL_CARD.md} ({@link dev.recur.cli.report.ModelCard}).
 */
package dev.recur.cli.report;
