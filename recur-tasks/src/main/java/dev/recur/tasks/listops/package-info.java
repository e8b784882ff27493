/**
 * ListOps as Long Range Arena generates it: expression trees ({@link dev.recur.tasks.listops.ListOpsTree}), their
 * vocabulary ({@link dev.recur.tasks.listops.ListOpsTokens}) and the task
 * ({@link dev.recur.tasks.listops.ListOpsTask}).
 */
package dev.recur.tasks.listops;
