package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.report.ReportTensor;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.ChunkScans;
import dev.qcal.jobs.scan.ReadCounters;
import dev.qcal.jobs.scan.Reader;
import dev.qcal.jobs.scan.TensorRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The grid layout's table in two passes, from the package's own stages: range statistics of the
 * whole dump (and of merged states) first, then histograms laid out from them and the searches, as
 * the range layout's run composes them. What the one scan must equal byte for byte.
 */
final class TwoPassTable {
  private TwoPassTable() {}

  /**
   * The table of {@code inputs} with {@code methods}, 8-bit symmetric, 2048 bins, states merged.
   */
  static CalibrationTable table(
      SparkSession spark, List<String> inputs, List<String> methods, List<String> mergeState) {
    CheckedInputs in =
        Calibration.builder()
            .input(inputs)
            .methods(methods)
            .mergeState(mergeState)
            .build()
            .check(spark.sparkContext().hadoopConfiguration());
    StateMerge states = in.states().isEmpty() ? null : StateMerge.open(spark, in.states());
    ChunkScan chunks =
        ChunkScans.open(
            spark,
            Reader.AUTO,
            in.files(),
            in.dump(),
            null,
            Calibration.DEFAULT_CHUNK_VALUES,
            null,
            ReadCounters.register(spark.sparkContext()));
    Map<String, RangeStats> ranges = TensorRanges.of(chunks);
    if (states != null) {
      ranges = states.mergeRanges(ranges);
    }
    QuantSpec quant = QuantSpec.symmetric(QuantSpec.DEFAULT_BITS);
    TensorCalibrator calibrator = new TensorCalibrator(methods, quant);
    SearchStage.Result result =
        SearchStage.run(
            spark,
            ranges,
            calibrator.domains(),
            HistogramSpec.DEFAULT_BINS,
            HistogramLayout.GRID,
            specs -> TwoPasses.histograms(chunks, specs),
            states,
            null,
            null,
            0,
            calibrator,
            SearchStage.Plots.SKIP,
            false,
            StateCoverage.of(in.files(), states));
    List<TensorCalibration> rows = new ArrayList<>();
    for (ReportTensor r : result.rows()) {
      rows.add(r.row());
    }
    return CalibrationTable.of(rows, methods, quant);
  }
}
