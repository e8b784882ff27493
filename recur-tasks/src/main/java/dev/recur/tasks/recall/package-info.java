/**
 * Recall tasks: multi-query associative recall ({@link dev.recur.tasks.recall.MqarTask}, Zoology) and selective
 * copying ({@link dev.recur.tasks.recall.SelectiveCopyTask}, Mamba).
 */
package dev.recur.tasks.recall;
