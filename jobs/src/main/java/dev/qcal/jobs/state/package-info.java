/**
 * A run's persisted, mergeable per-tensor state ({@code OUTPUT/state/}): range statistics and
 * histograms in their versioned binary forms, as Parquet, with {@code _STATE.json} describing it.
 * {@code recompute} and {@code calibrate --merge-state} read it back.
 */
package dev.qcal.jobs.state;
