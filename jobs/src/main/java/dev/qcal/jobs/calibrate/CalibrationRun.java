package dev.qcal.jobs.calibrate;

import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.jobs.state.RunState;
import java.util.Map;

/**
 * The result of {@link Calibration#run}: the calibration table, the run summary, and the report's
 * per-tensor plots (empty when the report is off or no method needed a histogram).
 *
 * @param table the table, one row per tensor, sorted by name; search curves only in the rows the
 *     report details ({@code HtmlReport.detailedTensors}), none without plots
 * @param summary what was read and how long each stage took
 * @param plots the report plot of each tensor that has one, by name (metrics only, no histogram,
 *     for a tensor the report does not detail)
 * @param state the per-tensor states kept for the output's {@code state/}, or null
 */
public record CalibrationRun(
    CalibrationTable table, RunRecord summary, Map<String, TensorPlot> plots, RunState state) {

  /** Copies the plots. */
  public CalibrationRun {
    plots = Map.copyOf(plots);
  }

  /** A run without a kept state. */
  public CalibrationRun(CalibrationTable table, RunRecord summary, Map<String, TensorPlot> plots) {
    this(table, summary, plots, null);
  }
}
