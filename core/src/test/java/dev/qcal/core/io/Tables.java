package dev.qcal.core.io;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.MaxCalibrator;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small hand-built calibration tables shared by the writer tests. */
final class Tables {
  /** A name with a double quote, a newline and a comma: every escaping rule at once. */
  static final String AWKWARD = "fc \"out\"\n2, b";

  static final QuantSpec INT8 = QuantSpec.symmetric(8);

  private Tables() {}

  /** A row whose only method is {@code max}, run by the real MaxCalibrator. */
  static TensorCalibration maxRow(String name, QuantSpec quant, float... values) {
    RangeStats stats = RangeStats.of(values);
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    results.put("max", new MaxCalibrator().calibrate(TensorStatistics.of(stats), quant));
    return new TensorCalibration(name, stats, results);
  }

  /**
   * Three tensors, methods [max, entropy] (entropy results made by hand):
   *
   * <ul>
   *   <li>conv1: values {-1.5, 2.5, 0.25, NaN}; max amax 2.5; entropy amax 2.0, objective 0.125, a
   *       note, details bins=128 (int), levels={0.5, 1e-5} (double[]), ratio=0.1f (Float),
   *       variant="ort", and a curve (not written).
   *   <li>{@link #AWKWARD}: values {0, 0}: all zero; entropy objective +Inf and a NaN detail.
   *   <li>nan_only: values {NaN}: no finite value.
   * </ul>
   */
  static CalibrationTable threeTensors() {
    List<TensorCalibration> rows = new ArrayList<>();
    rows.add(row("nan_only", entropy(0, Double.NaN).build(), Float.NaN));
    rows.add(
        row(
            AWKWARD,
            entropy(0, Double.POSITIVE_INFINITY)
                .detail("kl", new double[] {Double.NaN, 0.5})
                .build(),
            0f,
            0f));
    rows.add(
        row(
            "conv1",
            entropy(2.0, 0.125)
                .note("hand-made")
                .detail("bins", 128)
                .detail("levels", new double[] {0.5, 1e-5})
                .detail("ratio", 0.1f)
                .detail("variant", "ort")
                .curve("kl", List.of(new SearchPoint(1.0, 0.5), new SearchPoint(2.0, 0.125)))
                .build(),
            -1.5f,
            2.5f,
            0.25f,
            Float.NaN));
    return CalibrationTable.of(rows, List.of("max", "entropy"), INT8);
  }

  private static CalibrationResult.Builder entropy(double amax, double objective) {
    return CalibrationResult.builder("entropy", ClipRange.symmetric(amax), INT8)
        .objective(objective);
  }

  private static TensorCalibration row(String name, CalibrationResult entropy, float... values) {
    RangeStats stats = RangeStats.of(values);
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    results.put("max", new MaxCalibrator().calibrate(TensorStatistics.of(stats), INT8));
    results.put("entropy", entropy);
    return new TensorCalibration(name, stats, results);
  }
}
