package dev.qcal.onnx.testing;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code calibration.json} made in a test by qcal's own calibrators and writer, from tensor
 * values held in memory (what {@code calibrate} does on Spark, one tensor at a time: range
 * statistics, the histograms the methods need, every method). Shared with the jobs tests.
 */
public final class CalibrationTables {
  private CalibrationTables() {}

  /**
   * The table JSON of {@code values} by tensor name, for {@code methods} (primary first) under
   * {@code quant}.
   */
  public static byte[] of(Map<String, float[]> values, List<String> methods, QuantSpec quant) {
    TensorCalibrator calibrator = new TensorCalibrator(methods, quant);
    List<TensorCalibration> rows = new ArrayList<>();
    values.forEach(
        (name, v) -> {
          RangeStats stats = RangeStats.of(v);
          List<Histogram> histograms = new ArrayList<>();
          for (Domain d : calibrator.domains()) {
            histograms.add(
                new HistogramAccumulator()
                    .add(
                        HistogramSpec.forStats(d, stats, HistogramSpec.DEFAULT_BINS),
                        v,
                        0,
                        v.length)
                    .snapshot());
          }
          rows.add(
              calibrator.calibrate(
                  name, TensorStatistics.of(stats, histograms.toArray(new Histogram[0]))));
        });
    return CalibrationJson.toJson(CalibrationTable.of(rows, methods, quant))
        .getBytes(StandardCharsets.UTF_8);
  }
}
