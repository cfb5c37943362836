package dev.qcal.core.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.eval.QuantNoise;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The primary method's distance to the best of its row, and the console's line. */
class PrimaryGapTest {
  private static final QuantSpec INT8 = QuantSpec.symmetric(8);
  private static final List<String> METHODS = List.of("entropy", "mse", "max", "wq");

  /** A row whose methods have the given measured MSE (signal power 1, so SQNR = −10·log10 MSE). */
  private static TensorCalibration row(String name, double... mse) {
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    Map<String, QuantNoise> errors = new LinkedHashMap<>();
    for (int i = 0; i < METHODS.size(); i++) {
      String m = METHODS.get(i);
      results.put(m, CalibrationResult.builder(m, ClipRange.symmetric(1 + i), INT8).build());
      errors.put(m, new QuantNoise(mse[i], 1.0));
    }
    return new TensorCalibration(name, RangeStats.of(10, 0, 0, 0, -1f, 1f), results)
        .withErrors(errors);
  }

  @Test
  void gapIsTheBestSqnrMinusThePrimarys() {
    // entropy 1e-1 (10 dB), mse 1e-2 (20 dB), max 2e-2, wq 1e-4 (non-uniform: never the best).
    PrimaryGap g = PrimaryGap.of(row("fc", 0.1, 0.01, 0.02, 1e-4), "entropy").orElseThrow();
    assertEquals(List.of("mse"), g.best());
    assertEquals(10.0, g.gapDb(), 1e-12);
    assertTrue(g.isFar());
    // Ties all count; the primary among them has no gap.
    PrimaryGap tie = PrimaryGap.of(row("t", 0.01, 0.01, 0.02, 1), "entropy").orElseThrow();
    assertEquals(List.of("entropy", "mse"), tie.best());
    assertEquals(0.0, tie.gapDb());
    // 3 dB exactly is not far; 10·log10(2.5) = 3.98 dB is.
    assertFalse(
        PrimaryGap.of(row("a", 0.02, 0.01, 1, 1), "entropy").orElseThrow().gapDb() > 3.0103);
    assertTrue(PrimaryGap.of(row("b", 0.025, 0.01, 1, 1), "entropy").orElseThrow().isFar());
    // No error at all for the best: an infinite gap; nothing measured for the primary: no gap.
    assertEquals(
        Double.POSITIVE_INFINITY,
        PrimaryGap.of(row("c", 0.1, 0, 1, 1), "entropy").orElseThrow().gapDb());
    assertTrue(PrimaryGap.of(row("d", Double.NaN, 0.1, 1, 1), "entropy").isEmpty());
    assertTrue(PrimaryGap.of(row("e", 1, 1, 1, 1), "wq").isEmpty());
  }

  @Test
  void consoleLineNamesTheFarTensorsLargestGapFirst() {
    List<TensorCalibration> rows = new ArrayList<>();
    rows.add(row("near", 0.011, 0.01, 0.02, 1));
    rows.add(row("fc heavy tail", 0.35, 0.023, 0.025, 1));
    rows.add(row("outliers ünd spaces", 0.29, 0.022, 0.025, 1));
    CalibrationTable table = CalibrationTable.of(rows, METHODS, INT8);
    List<PrimaryGap> far = PrimaryGap.far(table);
    assertEquals(
        List.of("fc heavy tail", "outliers ünd spaces"),
        far.stream().map(PrimaryGap::tensor).toList());
    assertEquals(3, PrimaryGap.of(table).size());
    assertEquals(
        "primary method entropy is more than 3 dB of measured SQNR below the run's best method on 2"
            + " of 3 tensors: 'fc heavy tail' (4.6 dB, mse 16.4 dB), 'outliers ünd spaces' (5.4 dB,"
            + " mse 16.6 dB); the report sorts tensors by this gap, and --methods best,... takes"
            + " the best per tensor",
        PrimaryGap.consoleLine(table).orElseThrow());
    CalibrationTable fine =
        CalibrationTable.of(List.of(row("near", 0.011, 0.01, 0.02, 1)), METHODS, INT8);
    assertTrue(PrimaryGap.consoleLine(fine).isEmpty());
  }

  @Test
  void consoleLineStopsNamingAfterTen() {
    List<TensorCalibration> rows = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      rows.add(row(String.format("t%02d", i), 1, 0.01, 1, 1));
    }
    String line = PrimaryGap.consoleLine(CalibrationTable.of(rows, METHODS, INT8)).orElseThrow();
    assertTrue(line.contains("on 13 of 13 tensors: 't00' (0.0 dB, mse 20.0 dB)"), line);
    assertTrue(line.contains("'t09' (0.0 dB, mse 20.0 dB) and 3 more;"), line);
    assertFalse(line.contains("t10"), line);
  }
}
