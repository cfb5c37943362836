package dev.qcal.jobs.calibrate;

import dev.qcal.core.table.CalibrationTable;

/**
 * The result of {@link Calibration#run}: the calibration table and the run summary.
 *
 * @param table the table, one row per tensor, sorted by name
 * @param summary what was read and how long each stage took
 */
public record CalibrationRun(CalibrationTable table, RunSummary summary) {}
