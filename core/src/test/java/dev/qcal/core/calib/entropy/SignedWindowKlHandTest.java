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

/**
 * A 9-bin signed histogram over [−4.5, 4.5] (w = 1, zero bin 4 centred on 0) searched with nq = 2,
 * so the candidates are i = 1..4. The KL values of every candidate were checked against a numpy
 * float32 replay of each tool; two candidates are derived by hand below.
 */
class SignedWindowKlHandTest {
  private static final long[] H = {1, 0, 2, 3, 4, 3, 0, 1, 2};
  private static final QuantSpec INT8 = QuantSpec.symmetric(8);

  static double[] edges(int n) {
    double[] e = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      e[j] = -n / 2.0 + j;
    }
    return e;
  }

  static TensorStatistics stats(long[] counts, double min, double max) {
    return TensorStatistics.ofHistogram(
        Histogram.withEdges(Domain.SIGNED, edges(counts.length), counts), min, max);
  }

  private static void assertCurve(double[] expected, List<SearchPoint> curve) {
    assertEquals(expected.length, curve.size());
    for (int k = 0; k < expected.length; k++) {
      double e = expected[k];
      double a = curve.get(k).objective();
      assertTrue(
          Math.abs(e - a) <= 1e-6 * Math.abs(e),
          "candidate " + k + ": expected " + e + ", got " + a);
    }
  }

  /**
   * MXNet ≥ 1.6 C++. i = 1: start 3, stop 6. P[0] = h0+h1+h2+h3 = 6 (h[start] included), P[1] = h4
   * = 4, P[2] = h5 + h6+h7+h8 = 6. The slice is [0, 4, 3] (slice[0] = 0). m = 3/2 = 1: QB0 =
   * slice[0] = 0, QB1 = slice[1] + remainder slice[2] = 7. Group 0 has no non-zero slice entry, so
   * Q[0] = 0; group 1 spreads 7 over its 2 non-zero slice entries: Q = [0, 3.5, 3.5]. Smoothing: P
   * has no zero; Q has one, eps1 = 1e-4·1/2: Q = [1e-4, 3.49995, 3.49995]. Normalised: p = [.375,
   * .25, .375], q = [1.4286e-5, .499993, .499993]; KL = .375·ln(.375/1.4286e-5) +
   * .25·ln(.25/.499993) + .375·ln(.375/.499993) = 3.81577 − .17328 − .10787 = 3.53462.
   *
   * <p>i = 2: start 2, stop 7. P = [h0+h1+h2, h3, h4, h5, h6+h7+h8] = [3, 3, 4, 3, 3]; slice = [0,
   * 3, 4, 3, 0]; m = 2: QB0 = 0+3 = 3 over 1 non-zero → Q[0..1] = 3; QB1 = 4+3 (+ remainder 0) = 7
   * over 2 non-zero → Q[2..4] = 3.5. Nothing to smooth. p = [3,3,4,3,3]/16, q =
   * [3,3,3.5,3.5,3.5]/16.5: KL = .375·ln(16.5/16) + .25·ln(66/56) + .375·ln(49.5/56) = .011539 +
   * .041076 − .046266 = .0063480, the minimum → threshold e[7] = 2.5, range (−2.5, 2.5).
   */
  @Test
  void mxnetCppNineBins() {
    CalibrationResult r =
        new MxnetEntropyCalibrator(MxnetQuantizedDtype.INT8, 2)
            .calibrate(stats(H, -4.4, 4.4), INT8);
    assertEquals(-2.5, r.range().min());
    assertEquals(2.5, r.range().max());
    double[] kl = {3.5346246f, 0.0063479654f, 0.06281087f, 0.105162926f};
    assertCurve(kl, r.curves().get("kl"));
    assertEquals(List.of(1.5, 2.5, 3.5, 4.5), thresholds(r));
    assertEquals(kl[1], r.objective(), 1e-6 * kl[1]);
  }

  /** TVM runs the same search on int32 counts: same curve; its scale is th/128. */
  @Test
  void tvmNineBins() {
    CalibrationResult r = new TvmEntropyCalibrator(2).calibrate(stats(H, -4.4, 4.4), INT8);
    assertEquals(2.5, r.range().max());
    assertCurve(
        new double[] {3.5346246f, 0.0063479654f, 0.06281087f, 0.105162926f}, r.curves().get("kl"));
    assertEquals(2.5f / 128, r.params().scale());
  }

  /**
   * MXNet 1.5 Python. i = 2: P = h[2:7] = [2,3,4,3,0] with the tails folded: P = [2+1, 3, 4, 3,
   * 0+3] = [3,3,4,3,3]. m = 2: QB0 = 2+3 = 5 (h[start] is in the slice here) over 2 non-zero → 2.5,
   * 2.5; the last group runs to the end: QB1 = 4+3+0 = 7 over 3 non-zero → 7/3 three times. Q sums
   * to 12: KL = .375·ln(.1875/(2.5/12)) + .25·ln(.25/(7/36)) + .375·ln(.1875/(7/36)) = −.0395102 +
   * .0628286 − .0136379 = .0096805, the minimum → (−2.5, 2.5).
   */
  @Test
  void mxnet15NineBins() {
    CalibrationResult r =
        new Mxnet15EntropyCalibrator(MxnetQuantizedDtype.INT8, 2)
            .calibrate(stats(H, -4.4, 4.4), INT8);
    assertEquals(2.5, r.range().max());
    assertEquals(-2.5, r.range().min());
    assertCurve(
        new double[] {
          0.025433098897337914, 0.00968051329255104, 0.03896962106227875, 0.09922946989536285
        },
        r.curves().get("kl"));
  }

  /**
   * ONNX Runtime. i = 4 (the whole histogram): start 0, end 9, no folding. m = 9 // 2 = 4: QB0 =
   * 1+0+2+3 = 6 over the 3 non-zero P → trunc(2) written to all four positions (P[1] = 0 included);
   * QB1 = 4+3+0+1 + remainder 2 = 10 over 3 non-zero → trunc(3.33) = 3 on positions 4..7; the
   * remainder position 8 keeps Q = 0 though P[8] = 2. Smoothing: P has 2 zeros (eps1 = 2e-4/7), Q
   * one (eps1 = 1e-4/8). The empty Q[8] costs .125·ln(.125/(1e-4/20)) = 1.2658 and the other bins
   * add .2311: KL = 1.49689, the minimum of {3.7758, 1.6869, 2.1070, 1.4969}. The pair (e[0], e[9])
   * = (−4.5, 4.5) is clipped to the data: (−4.4, 4.4).
   */
  @Test
  void ortNineBins() {
    CalibrationResult r =
        new OrtEntropyCalibrator(2).calibrate(stats(H, -4.4f, 4.4f), QuantSpec.affine(8));
    assertEquals(-4.4f, r.range().min());
    assertEquals(4.4f, r.range().max());
    assertCurve(new double[] {3.7758179f, 1.6869032f, 2.107006f, 1.4968895f}, r.curves().get("kl"));
    // ORT's candidates are (−i·w, (i+1)·w) pairs (odd n: ±(i+½)·w); the curve shows the upper end.
    assertEquals(List.of(1.5, 2.5, 3.5, 4.5), thresholds(r));
  }

  /**
   * Data only in |x| ∈ [3.5, 4.5]: for i = 1 the window [3, 6) is empty, all the mass is in the
   * folded tails, and Q is all zero. MXNet 1.5 gets entropy(P, zeros) = NaN and np.argmin picks it:
   * the threshold collapses to e[6] = 1.5. MXNet C++ and TVM give +Inf there and search on.
   */
  @Test
  void mxnet15NanBugAndTheCppFix() {
    long[] h = {2, 1, 0, 0, 0, 0, 0, 1, 2};
    CalibrationResult py =
        new Mxnet15EntropyCalibrator(MxnetQuantizedDtype.INT8, 2)
            .calibrate(stats(h, -4.5, 4.5), INT8);
    assertEquals(1.5, py.range().max());
    assertTrue(Double.isNaN(py.objective()));
    assertTrue(py.notes().stream().anyMatch(s -> s.contains("NaN bug")), py.notes().toString());

    CalibrationResult cc =
        new MxnetEntropyCalibrator(MxnetQuantizedDtype.INT8, 2)
            .calibrate(stats(h, -4.5, 4.5), INT8);
    assertEquals(Double.POSITIVE_INFINITY, cc.curves().get("kl").get(0).objective());
    assertTrue(cc.range().max() > 1.5);
    assertTrue(Double.isFinite(cc.objective()));
  }

  /**
   * A non-negative tensor with uint8/auto: nq = 2·2 + 1 = 5, so the candidates are i = 2..4, and
   * the range is (0, th); int8 keeps nq = 2 and (−th, th).
   */
  @Test
  void mxnetUnsignedDtypeDoublesTheQuantizedBins() {
    long[] h = {0, 0, 0, 0, 5, 4, 3, 2, 1};
    for (MxnetQuantizedDtype d :
        new MxnetQuantizedDtype[] {MxnetQuantizedDtype.UINT8, MxnetQuantizedDtype.AUTO}) {
      CalibrationResult r = new MxnetEntropyCalibrator(d, 2).calibrate(stats(h, 0, 4.4), INT8);
      assertEquals(3, r.curves().get("kl").size());
      assertEquals(0.0, r.range().min());
      CalibrationResult py = new Mxnet15EntropyCalibrator(d, 2).calibrate(stats(h, 0, 4.4), INT8);
      assertEquals(3, py.curves().get("kl").size());
      assertEquals(0.0, py.range().min());
    }
    CalibrationResult r =
        new MxnetEntropyCalibrator(MxnetQuantizedDtype.INT8, 2).calibrate(stats(h, 0, 4.4), INT8);
    assertEquals(4, r.curves().get("kl").size());
    assertEquals(-r.range().max(), r.range().min());
  }

  /** An even bin count: windows [−i·w, (i+1)·w); the candidate past the edges is skipped, noted. */
  @Test
  void evenBinCountSkipsTheOutOfBoundsCandidate() {
    long[] h = {1, 2, 3, 4, 4, 3, 2, 1};
    CalibrationResult r =
        new MxnetEntropyCalibrator(MxnetQuantizedDtype.INT8, 2).calibrate(stats(h, -4, 4), INT8);
    // zero = 4, i = 1..3 (i = 4 would need e[9]); thresholds e[zero + i + 1] = 2, 3, 4.
    assertEquals(List.of(2.0, 3.0, 4.0), thresholds(r));
    assertTrue(r.notes().stream().anyMatch(s -> s.startsWith("even bin count")));
  }

  /** Too few bins for nq: the tools fail; qcal falls back to the whole histogram with a note. */
  @Test
  void tooFewBinsFallsBackWithANote() {
    long[] h = {1, 2, 3, 4, 4, 3, 2, 1, 1};
    for (CalibrationResult r :
        List.of(
            new OrtEntropyCalibrator(128).calibrate(stats(h, -4.4, 4.4), INT8),
            new Mxnet15EntropyCalibrator().calibrate(stats(h, -4.4, 4.4), INT8),
            new MxnetEntropyCalibrator().calibrate(stats(h, -4.4, 4.4), INT8),
            new TvmEntropyCalibrator().calibrate(stats(h, -4.4, 4.4), INT8))) {
      assertTrue(r.range().max() >= 4.4, r.toString());
      assertTrue(r.notes().stream().anyMatch(s -> s.contains("no candidate")), r.toString());
    }
  }

  /**
   * ORT with the data on one side of zero but a window that does not reach it: the pair
   * (max(e[start], min), min(e[end], max)) is inverted; qcal widens it to contain 0 as ORT's
   * compute_scale_zp does, with a note.
   */
  @Test
  void ortInvertedPairIsWidenedToZero() {
    // All the mass in bin 8 ([3.5, 4.5]): every window's Q is all zero (the mass is only in the
    // folded right tail, or, for i = 4, in the remainder position whose Q stays 0), so every KL
    // is +Inf and the first candidate wins: (e[3], e[6]) = (−1.5, 1.5), clipped to the data
    // [3.6, 4.5] → (3.6, 1.5), inverted → [0, 1.5].
    long[] h = {0, 0, 0, 0, 0, 0, 0, 0, 50};
    CalibrationResult r =
        new OrtEntropyCalibrator(2).calibrate(stats(h, 3.6, 4.5), QuantSpec.affine(8));
    assertEquals(0.0, r.range().min());
    assertEquals(1.5, r.range().max());
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("inverted")), r.notes().toString());
    assertEquals(Double.POSITIVE_INFINITY, r.objective());
  }

  private static List<Double> thresholds(CalibrationResult r) {
    return r.curves().get("kl").stream().map(SearchPoint::threshold).toList();
  }
}
