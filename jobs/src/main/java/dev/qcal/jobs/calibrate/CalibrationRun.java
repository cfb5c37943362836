package dev.qcal.jobs.calibrate;

import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.table.CalibrationTable;
import java.util.Map;

/**
 * The result of {@link Calibration#run}: the calibration table, the run summary, and the report's
 * per-tensor plots (empty when the report is off or no method needed a histogram).
 *
 * @param table the table, one row per tensor, sorted by name
 * @param summary what was read and how long each stage took
 * @param plots the report plot of each tensor that has one, by name
 */
public record CalibrationRun(CalibrationTable table, RunSummary summary, Map<String, TensorPlot> plots) {

  /** Copies the plots. */
  public CalibrationRun {
    plots = Map.copyOf(plots);
  }
}
