package io.dataflare.engine.runtime;

/**
 * A run reached one of its budgets and holds its input back (backpressure), or no longer does.
 *
 * @param budget  which: {@code memory} ({@code runtime.memory_mb} caps the sources' batches), {@code spool} (a
 *                sink's {@code buffer.max_bytes}), {@code disk} ({@code runtime.disk_mb}: all spools of the run)
 *                or {@code engine_disk} (the engine's disk budget: all spools of all its runs)
 * @param stage   the stage held back (the sink whose spool is full), or null for the whole run
 * @param hit     true when the budget is reached, false when the stage goes on again
 * @param limit   the budget, in bytes
 * @param used    what was in use when it was reached or left, in bytes (memory: the estimated bytes of a batch
 *                slot's records at the capped batch size times the slots)
 * @param message what happened, for people
 */
public record BudgetEvent(String budget, String stage, boolean hit, long limit, long used, String message) {}
