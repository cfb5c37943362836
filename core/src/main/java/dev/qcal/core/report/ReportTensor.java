package dev.qcal.core.report;

import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.table.TensorCalibration;

/**
 * One tensor of the report: its table row (ranges, scales, objectives, notes, and curves unless the
 * plot holds them thinned) and its {@link TensorPlot} (coarse histogram, per-method metrics,
 * curves).
 *
 * @param row the tensor's calibration
 * @param plot what was computed from its histograms ({@link TensorPlot#NONE} when nothing was)
 */
public record ReportTensor(TensorCalibration row, TensorPlot plot) implements java.io.Serializable {

  /** Validates the parts. */
  public ReportTensor {
    if (row == null || plot == null) {
      throw new IllegalArgumentException("Cannot build a report tensor: row and plot are required");
    }
  }

  /** The report of a tensor whose full statistics are at hand (see {@link TensorPlot#of}). */
  public static ReportTensor of(TensorCalibration row, TensorStatistics stats) {
    return new ReportTensor(row, TensorPlot.of(row, stats));
  }

  /**
   * What the report needs of a tensor without a detailed section ({@link
   * HtmlReport#detailedTensors}): its row without search curves and its plot without the histogram;
   * the summary table's numbers are all kept.
   */
  public ReportTensor summaryOnly() {
    return new ReportTensor(row.withoutCurves(), plot.summaryOnly());
  }

  /** The search curves to draw: the plot's, or else the row's own, thinned now. */
  PlotCurves curves() {
    return plot.curves().orElseGet(() -> PlotCurves.of(row));
  }

  /** The tensor name. */
  public String name() {
    return row.name();
  }
}
