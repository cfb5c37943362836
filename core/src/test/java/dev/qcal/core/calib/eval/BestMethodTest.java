package dev.qcal.core.calib.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorCalibration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code best}: the candidate with the smallest measured error, deterministically. */
class BestMethodTest {
  private static final QuantSpec INT8 = QuantSpec.symmetric(8);

  private static CalibrationResult result(String method, double amax) {
    return CalibrationResult.builder(method, ClipRange.symmetric(amax), INT8).build();
  }

  /**
   * By hand, on |x| bins [0,1) [1,2) [2,3) [3,4] with one value each (centres 0.5 … 3.5) and a
   * 2-bit grid (integers −1..1): amax 2 → scale 2, centres → 0, 2, 2, 2 (0.5 → rint(0.25) = 0; 1.5
   * → rint(0.75) = 1; 2.5 → rint(1.25) = 1; 3.5 → rint(1.75) = 2, saturated to 1): errors 0.5, 0.5,
   * 0.5, 1.5, MSE = (3·0.25 + 2.25)/4 = 0.75. amax 4 → scale 4: 0.5 → 0, 1.5 → 0, 2.5 → 4, 3.5 → 4:
   * errors 0.5, 1.5, 1.5, 0.5, MSE = 1.25. So amax 2 wins although it clips.
   */
  @Test
  void theSmallestMeasuredErrorWinsAndEveryCandidateIsRecorded() {
    QuantSpec twoBits = QuantSpec.symmetric(2);
    Histogram h =
        Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2, 3, 4}, new long[] {1, 1, 1, 1});
    TensorStatistics stats = TensorStatistics.of(RangeStats.of(4, 0, 0, 0, 0f, 4f), h);
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    results.put("max", CalibrationResult.builder("max", ClipRange.symmetric(4), twoBits).build());
    results.put(
        "mse",
        CalibrationResult.builder("mse", ClipRange.symmetric(2), twoBits).detail("bin", 2).build());
    Map<String, QuantNoise> errors = new LinkedHashMap<>();
    results.forEach((k, r) -> errors.put(k, QuantNoise.of(stats, r)));
    assertEquals(1.25, errors.get("max").mse(), 1e-12);
    assertEquals(0.75, errors.get("mse").mse(), 1e-12);

    CalibrationResult best = BestMethod.choose(results, errors);
    assertEquals("best", best.method());
    assertEquals(2.0, best.amax());
    assertEquals("mse", best.details().get("chosen"));
    assertEquals(2, best.details().get("bin"));
    assertEquals(1.25, (double) best.details().get("mse.max"), 1e-12);
    assertEquals(0.75, (double) best.details().get("mse.mse"), 1e-12);
    assertEquals(errors.get("mse").sqnrDb(), (double) best.details().get("sqnr_db.mse"), 0);
    assertTrue(
        best.notes().get(best.notes().size() - 1).startsWith("best of 2 by measured SQNR (max "),
        best.notes().toString());
  }

  /** Equal errors: the earlier candidate in the run's order; unmeasurable ones never win. */
  @Test
  void tiesGoToTheEarlierCandidateAndUnknownErrorsNeverWin() {
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    results.put("percentile", result("percentile", 3));
    results.put("max", result("max", 4));
    results.put("entropy", result("entropy", 2));
    Map<String, QuantNoise> errors = new LinkedHashMap<>();
    errors.put("percentile", new QuantNoise(0.5, 2));
    errors.put("max", new QuantNoise(0.5, 2));
    errors.put("entropy", QuantNoise.UNKNOWN);
    assertEquals("percentile", BestMethod.choose(results, errors).details().get("chosen"));
    errors.put("percentile", QuantNoise.UNKNOWN);
    errors.put("max", QuantNoise.UNKNOWN);
    CalibrationResult none = BestMethod.choose(results, errors);
    assertEquals("percentile", none.details().get("chosen"));
    assertTrue(
        none.notes().get(0).startsWith("no candidate's error could be measured"),
        none.notes().toString());
  }

  private static TensorStatistics heavyTail(Random random) {
    float[] v = new float[20_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < 40; i++) {
      v[i] *= 60;
    }
    RangeStats range = RangeStats.of(v);
    HistogramSpec spec = HistogramSpec.forStats(Domain.ABSOLUTE, range, HistogramSpec.DEFAULT_BINS);
    return TensorStatistics.of(range, new HistogramAccumulator(spec).add(v).snapshot());
  }

  /** In a run, best takes the other methods' results as they are and records the row's errors. */
  @Test
  void withinARunBestChoosesAmongTheOtherMethods() {
    TensorStatistics stats = heavyTail(new Random(7));
    TensorCalibrator calibrator =
        new TensorCalibrator(List.of("best", "entropy", "mse", "max"), INT8);
    TensorCalibration row = calibrator.calibrate("fc", stats);
    assertEquals(List.of("best", "entropy", "mse", "max"), List.copyOf(row.results().keySet()));
    assertEquals(List.of("best", "entropy", "mse", "max"), List.copyOf(row.errors().keySet()));
    String chosen = (String) row.result("best").details().get("chosen");
    CalibrationResult winner = row.result(chosen);
    assertEquals(winner.range(), row.result("best").range());
    assertEquals(winner.params(), row.result("best").params());
    for (String m : List.of("entropy", "mse", "max")) {
      assertTrue(row.error(chosen).mse() <= row.error(m).mse(), m + " beats " + chosen);
    }
    // On this heavy tail entropy clips the outliers hard: it must not be the choice.
    assertTrue(
        row.error("entropy").sqnrDb() + 3 < row.error(chosen).sqnrDb(), row.errors().toString());
    assertEquals(row.error(chosen), row.error("best"));
  }

  /** Alone, best runs its default candidates and picks the same as best beside them. */
  @Test
  void aloneBestRunsTheDefaultCandidates() {
    TensorStatistics stats = heavyTail(new Random(11));
    CalibrationResult alone =
        new TensorCalibrator(List.of("best"), INT8).calibrate("t", stats).result("best");
    List<String> beside = new java.util.ArrayList<>(BestMethod.DEFAULT_CANDIDATES);
    beside.add(0, "best");
    CalibrationResult inRun =
        new TensorCalibrator(beside, INT8).calibrate("t", stats).result("best");
    assertEquals(inRun.range(), alone.range());
    assertEquals(inRun.details(), alone.details());
    // The registry's calibrator, called directly (outside a run), gives the same choice.
    CalibrationResult direct = Calibrators.create("best").calibrate(stats, INT8);
    assertEquals(alone.range(), direct.range());
    assertEquals(alone.details().get("chosen"), direct.details().get("chosen"));
  }

  @Test
  void domainsAndCandidates() {
    assertEquals(
        EnumSet.of(Domain.ABSOLUTE), new TensorCalibrator(List.of("best"), INT8).domains());
    // Beside mse:torch (signed) under an affine scheme only the signed histogram is needed.
    assertEquals(
        EnumSet.of(Domain.SIGNED),
        new TensorCalibrator(List.of("best", "mse:torch"), QuantSpec.affine(8)).domains());
    assertEquals(
        EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED),
        new TensorCalibrator(List.of("mse:torch", "best"), INT8).domains());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TensorCalibrator(List.of("best", "wq"), INT8));
    assertTrue(e.getMessage().contains("never candidates"), e.getMessage());
    assertTrue(BestMethod.isCandidate("entropy:ort"));
    assertTrue(!BestMethod.isCandidate("wq:log") && !BestMethod.isCandidate("best"));
  }
}
