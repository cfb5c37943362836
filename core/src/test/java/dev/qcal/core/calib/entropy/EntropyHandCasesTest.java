package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small histograms whose divergences are worked out by hand in the comments. */
class EntropyHandCasesTest {
  // Bins of width 1 over [0, 8]: h = [10, 4, 2, 6, 0, 3, 1, 1], 27 counts.
  private static final long[] H = {10, 4, 2, 6, 0, 3, 1, 1};

  private static TensorStatistics unitBins(long... counts) {
    double[] edges = new double[counts.length + 1];
    for (int j = 0; j < edges.length; j++) {
      edges[j] = j;
    }
    return TensorStatistics.ofHistogram(
        Histogram.withEdges(Domain.ABSOLUTE, edges, counts), 0, counts.length);
  }

  private static double term(double p, double q) {
    return p * Math.log(p / q);
  }

  @Test
  void nvidiaTwoBitsOnEightBins() {
    // 2 bits: nq = 2 groups. h[0] := h[1] gives bins [4, 4, 2, 6, 0, 3, 1, 1], T = 21.
    // Candidates i = 4..8 (startBin 4); groups split at linspace(0, i, 3)[1] = i/2.
    // i=4: groups {4,4} {2,6}: Q = [4,4,4,4]/16; P = [4,4,2,6+5]/21 (5 outliers).
    double kl4 =
        2 * term(4 / 21.0, 4 / 16.0) + term(2 / 21.0, 4 / 16.0) + term(11 / 21.0, 4 / 16.0);
    // i=5: bin 4 is empty but receives the 5 outliers: Q = 0 < P, KL = +inf.
    // i=6: split at 3: {4,4,2} mean 10/3, {6,0,3} mean 9/2 on its 2 non-empty bins; ΣQ = 19.
    //      P = [4,4,2,6,0,3+2]/21.
    double kl6 =
        2 * term(4 / 21.0, (10 / 3.0) / 19)
            + term(2 / 21.0, (10 / 3.0) / 19)
            + term(6 / 21.0, 4.5 / 19)
            + term(5 / 21.0, 4.5 / 19);
    // i=7: split at 3.5: {4,4,2,6} mean 4, {0,3,1} mean 2; ΣQ = 20. P = [4,4,2,6,0,3,1+1]/21.
    double kl7 =
        2 * term(4 / 21.0, 4 / 20.0)
            + term(2 / 21.0, 4 / 20.0)
            + term(6 / 21.0, 4 / 20.0)
            + term(3 / 21.0, 2 / 20.0)
            + term(2 / 21.0, 2 / 20.0);
    // i=8: {4,4,2,6} mean 4, {0,3,1,1} mean 5/3; no outliers, ΣQ = 21.
    double kl8 =
        2 * term(4 / 21.0, 4 / 21.0)
            + term(2 / 21.0, 4 / 21.0)
            + term(6 / 21.0, 4 / 21.0)
            + term(3 / 21.0, (5 / 3.0) / 21)
            + 2 * term(1 / 21.0, (5 / 3.0) / 21);
    // scipy gives 0.19193845915175775, inf, 0.02800302810108751, 0.05896657925216737,
    // 0.08515262070016527: the minimum is i = 6, amax = e[6] = 6.
    assertEquals(0.02800302810108751, kl6, 1e-15);
    CalibrationResult r =
        new NvidiaEntropyCalibrator(4, 1).calibrate(unitBins(H), QuantSpec.symmetric(2));
    List<SearchPoint> curve = r.curves().get("kl");
    double[] expected = {kl4, Double.POSITIVE_INFINITY, kl6, kl7, kl8};
    for (int c = 0; c < expected.length; c++) {
      assertEquals(4.0 + c, curve.get(c).threshold());
      assertEquals(expected[c], curve.get(c).objective(), 1e-12, "candidate " + (4 + c));
    }
    assertEquals(6.0, r.amax());
    assertEquals(kl6, r.objective(), 1e-12);
    // Stride 2 only tries 4, 6, 8: still 6.
    assertEquals(
        6.0,
        new NvidiaEntropyCalibrator(4, 2).calibrate(unitBins(H), QuantSpec.symmetric(2)).amax());
  }

  @Test
  void nvidiaTakesTheLastOfEqualMinima() {
    // Two spikes: from i = 4 on, each is alone in its group and nothing is left outside, so P = Q
    // and KL = 0 for i = 4..8 (h[0] := h[1] = 0). The last argmin takes i = 8.
    long[] h = {5, 0, 0, 7, 0, 0, 0, 0};
    CalibrationResult r =
        new NvidiaEntropyCalibrator(4, 1).calibrate(unitBins(h), QuantSpec.symmetric(2));
    for (SearchPoint p : r.curves().get("kl")) {
      assertEquals(0.0, p.objective());
    }
    assertEquals(8.0, r.amax());
  }

  @Test
  void nvidiaFallsBackWhenThereAreFewerBinsThanStartBin() {
    // 8 bins < 128: the only candidate is i = 8 (upstream raises on an empty argmin).
    CalibrationResult r =
        new NvidiaEntropyCalibrator().calibrate(unitBins(H), QuantSpec.symmetric(8));
    assertEquals(8.0, r.amax());
    assertEquals(1, r.curves().get("kl").size());
    assertTrue(r.notes().get(0).contains("fewer than startBin 128"), r.notes().toString());
  }

  @Test
  void nvidiaFourBitsUsesEightGroups() {
    // 16 bins, 4 bits: nq = 8, startBin 16: the single candidate i = 16 has 8 groups of 2 bins.
    // Every pair is flat except [3, 1] (mean 2), and there are no outliers, so
    // KL = (3·ln(3/2) + 1·ln(1/2)) / T with T = Σh = 74 (h[0] := h[1] changes nothing here).
    long[] h = {2, 2, 4, 4, 6, 6, 3, 1, 8, 8, 5, 5, 9, 9, 1, 1};
    double expected = (3 * Math.log(3 / 2.0) + Math.log(1 / 2.0)) / 74;
    CalibrationResult r =
        new NvidiaEntropyCalibrator(16, 1).calibrate(unitBins(h), QuantSpec.symmetric(4));
    assertEquals(expected, r.objective(), 1e-15);
    assertEquals(16.0, r.amax());
  }

  @Test
  void talkTwoBitsOnEightBins() {
    // No h[0] change: T = 27. Candidates 4..7 (8 excluded); group of j = floor(2j/i).
    // i=4: {10,4} {2,6+5 outliers in P}: Q = [7,7,4,4]/22, P = [10,4,2,11]/27.
    double kl4 =
        term(10 / 27.0, 7 / 22.0)
            + term(4 / 27.0, 7 / 22.0)
            + term(2 / 27.0, 4 / 22.0)
            + term(11 / 27.0, 4 / 22.0);
    // i=6: {10,4,2} mean 16/3, {6,0,3} mean 9/2; ΣQ = 25; P = [10,4,2,6,0,5]/27.
    double kl6 =
        term(10 / 27.0, (16 / 3.0) / 25)
            + term(4 / 27.0, (16 / 3.0) / 25)
            + term(2 / 27.0, (16 / 3.0) / 25)
            + term(6 / 27.0, 4.5 / 25)
            + term(5 / 27.0, 4.5 / 25);
    // scipy: 0.2051908449461727, inf, 0.12402395187842659, 0.12595659223890765 → m = 6,
    // threshold (6 + 0.5)·1 = 6.5, half a bin beyond the kept range [0, 6).
    assertEquals(0.2051908449461727, kl4, 1e-15);
    assertEquals(0.12402395187842659, kl6, 1e-15);
    CalibrationResult r =
        new TensorRtEntropyCalibrator(4).calibrate(unitBins(H), QuantSpec.symmetric(2));
    assertEquals(4, r.curves().get("kl").size());
    assertEquals(Double.POSITIVE_INFINITY, r.curves().get("kl").get(1).objective());
    assertEquals(6.5, r.amax());
    assertEquals(kl6, r.objective(), 1e-12);
  }

  @Test
  void talkTakesTheFirstOfEqualMinima() {
    long[] h = {5, 0, 0, 7, 0, 0, 0, 0};
    CalibrationResult r =
        new TensorRtEntropyCalibrator(4).calibrate(unitBins(h), QuantSpec.symmetric(2));
    assertEquals(4.5, r.amax());
  }

  @Test
  void talkFallsBackWithoutCandidates() {
    CalibrationResult r =
        new TensorRtEntropyCalibrator().calibrate(unitBins(H), QuantSpec.symmetric(8));
    assertEquals(8.0, r.amax());
    assertTrue(r.notes().get(0).contains("no candidate"), r.notes().toString());
  }

  @Test
  void farFromZeroDataKeepsTheToolsExactZeroDivergence() {
    // Data only in bins 1000..1099 of 2048: for i = 1001 the kept range holds one non-empty bin,
    // P = Q = [1] after normalisation, KL = 0 exactly although 99 bins are outliers. The talk's
    // first argmin takes i = 1001 (a notorious failure of KL with outlier folding, reproduced).
    long[] h = new long[2048];
    for (int j = 1000; j < 1100; j++) {
      h[j] = 50L + (j % 7);
    }
    CalibrationResult r =
        new TensorRtEntropyCalibrator().calibrate(unitBins(h), QuantSpec.symmetric(8));
    assertEquals(0.0, r.objective());
    assertEquals(1001.5, r.amax());
  }

  @Test
  void ncnnFallsBackWithoutCandidates() {
    CalibrationResult r =
        new NcnnEntropyCalibrator().calibrate(unitBins(H), QuantSpec.symmetric(8));
    assertEquals(8.0, r.amax());
    assertTrue(r.notes().get(0).contains("no candidate"), r.notes().toString());
  }

  @Test
  void ncnnUniformHistogramKeepsEverything() {
    // A flat histogram of 2048 bins: every candidate folds the flat tail into its last bin, and
    // only
    // the last candidate t = 2047 folds a single bin, so it has the least divergence; threshold
    // (2047 + 0.5)·2048/2048 = 2047.5 in float32.
    long[] h = new long[2048];
    java.util.Arrays.fill(h, 10);
    CalibrationResult r =
        new NcnnEntropyCalibrator().calibrate(unitBins(h), QuantSpec.symmetric(8));
    assertEquals(2047, ((Number) r.details().get("bin")).intValue());
    assertEquals(2047.5, r.amax());
  }
}
