package dev.qcal.core.calib.percentile;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.testing.CalibratorContract;
import dev.qcal.core.testing.Histograms;
import dev.qcal.core.testing.ReferenceVector;
import org.junit.jupiter.api.Test;

class PercentileCalibratorTest {
  private static final QuantSpec INT8 = QuantSpec.symmetric(8);

  // |x| over [0, 10], 10 bins of width 1, total 100.
  private static final long[] TAILED = {50, 20, 10, 10, 5, 3, 1, 1, 0, 0};

  private static TensorStatistics tailed() {
    return Histograms.stats(Domain.ABSOLUTE, 0, 10, 0, 7.5, TAILED);
  }

  @Test
  void rightEdgeOfTheCrossingBin() {
    // p = 95: may clip floor(0.05·100) = 5 counts. From the top: bins 9, 8 (0), 7 (1), 6 (1),
    // 5 (3) sum to 5; adding bin 4 (5) would be 10 > 5. So r = 4 and amax = e[5] = 5.0,
    // keeping exactly 95 of 100.
    CalibrationResult r = new PercentileCalibrator(95).calibrate(tailed(), INT8);
    assertEquals(5.0, r.amax());
    assertEquals(-5.0, r.range().min());
    assertEquals(0.95, r.objective());
    assertEquals(4, r.details().get("bin"));
    assertEquals(10, r.curves().get("cdf").size());
  }

  @Test
  void nvidiaTakesTheLeftEdgeOfTheSameBin() {
    // np.cumsum(h/100) = [.5 .7 .8 .9 .95 .98 .99 1 1 1]; searchsorted(cdf, 0.95) = 4 → e[4] = 4.0,
    // which clips bin 4 too (10% of the mass instead of 5%).
    CalibrationResult r = new NvPercentileCalibrator(95).calibrate(tailed(), INT8);
    assertEquals(4.0, r.amax());
  }

  @Test
  void percentile100KeepsTheLastNonEmptyBinAndDropsEmptyEndBins() {
    // allowed = 0: bins 9 and 8 are empty, bin 7 is not → amax = e[8] = 8.0.
    assertEquals(8.0, new PercentileCalibrator(100).calibrate(tailed(), INT8).amax());
    // NVIDIA: searchsorted(cdf, 1.0) = 7 (cdf[7] = 1.0) → e[7] = 7.0, clipping the top value.
    assertEquals(7.0, new NvPercentileCalibrator(100).calibrate(tailed(), INT8).amax());
    // 99.99% of 100 counts: floor(0.01) = 0 may be clipped, the same as p = 100.
    assertEquals(8.0, new PercentileCalibrator().calibrate(tailed(), INT8).amax());
  }

  @Test
  void exactDecimalPercentileAtABinBoundary() {
    // 10000 counts with 1 in the top bin: p = 99.99 allows floor(0.0001·10000) = 1 clipped count,
    // exactly the top bin, so r = 2 and amax = e[3] = 3.0. A float cdf (9999/10000 vs 0.9999)
    // could land either side of this boundary.
    TensorStatistics s =
        Histograms.stats(Domain.ABSOLUTE, 0, 8, 0, 7.9, 5000, 3000, 1999, 0, 0, 0, 0, 1);
    assertEquals(3.0, new PercentileCalibrator(99.99).calibrate(s, INT8).amax());
  }

  @Test
  void allMassInOneBin() {
    // Every count in bin 3 of [0, 10]/10: any p gives e[4] = 4.0; NVIDIA gives e[3] = 3.0.
    TensorStatistics s =
        Histograms.stats(Domain.ABSOLUTE, 0, 10, 0, 3.5, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0);
    assertEquals(4.0, new PercentileCalibrator(50).calibrate(s, INT8).amax());
    assertEquals(4.0, new PercentileCalibrator(100).calibrate(s, INT8).amax());
    assertEquals(3.0, new NvPercentileCalibrator(50).calibrate(s, INT8).amax());
  }

  @Test
  void affineSchemeKeepsTheDataSide() {
    // Data in [0, 7.5] (ReLU-like): the affine range is [max(−5, 0), min(5, 7.5)] = [0, 5].
    CalibrationResult r = new PercentileCalibrator(95).calibrate(tailed(), QuantSpec.affine(8));
    assertEquals(0.0, r.range().min());
    assertEquals(5.0, r.range().max());
  }

  @Test
  void rejectsPercentilesOutsideTheInterval() {
    for (double p : new double[] {0, -1, 100.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new PercentileCalibrator(p));
      assertEquals(
          "Cannot build the percentile calibrator: percentile must be in (0, 100] (" + p + ")",
          e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new NvPercentileCalibrator(0));
    assertEquals(
        "Cannot build the percentile:nv calibrator: percentile must be in (0, 100] (0.0)",
        e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> OrtPercentileCalibrator.symmetric(101),
        "percentile:ort calibrator: percentile must be in (0, 100] (101.0)");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> new TwoTailedPercentileCalibrator(-3),
        "percentile:affine calibrator: percentile must be in (0, 100] (-3.0)");
  }

  @Test
  void ortSymmetricVector() {
    // ONNX Runtime compute_percentile (symmetric) on its own |x| histogram (explicit float32
    // edges, 5454 bins after growth), p = 99.999; the (−t, t) pair is clipped to the data [0, max].
    ReferenceVector v = ReferenceVector.load("ort_percentile_sym_relu_gaussian.json");
    double p = v.param("percentile").asDouble();
    CalibrationResult r =
        OrtPercentileCalibrator.symmetric(p).calibrate(v.statistics(Domain.ABSOLUTE), INT8);
    v.assertClose("min", v.expected("min"), r.range().min());
    v.assertClose("max", v.expected("max"), r.range().max());
    // NVIDIA's rule is the same left edge on this histogram.
    CalibrationResult nv =
        new NvPercentileCalibrator(p).calibrate(v.statistics(Domain.ABSOLUTE), INT8);
    v.assertClose("nv amax", v.expected("max"), nv.amax());
  }

  @Test
  void qcalDefaultOnTheOrtVectorIsOneBinAbove() {
    // The crossing bin is 4935 (left edge 5.126069, ORT's answer); qcal returns its right edge.
    ReferenceVector v = ReferenceVector.load("ort_percentile_sym_relu_gaussian.json");
    CalibrationResult r =
        new PercentileCalibrator(v.param("percentile").asDouble())
            .calibrate(v.statistics(Domain.ABSOLUTE), INT8);
    assertEquals(v.edges()[4936], r.amax());
    assertEquals(4935, r.details().get("bin"));
  }

  @Test
  void contract() {
    Calibrator[] all = {
      new PercentileCalibrator(95),
      new NvPercentileCalibrator(95),
      OrtPercentileCalibrator.symmetric(95)
    };
    for (Calibrator c : all) {
      CalibratorContract.check(c, tailed(), INT8);
    }
  }
}
