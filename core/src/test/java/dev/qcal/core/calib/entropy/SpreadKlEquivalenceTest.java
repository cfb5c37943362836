package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The O(levels) search ({@link SpreadKl}) against the direct O(n²) loops of {@link NaiveEntropy} on
 * many seeded random histograms: every candidate's KL within 1e-9 relative, and exactly the same
 * chosen bin.
 */
class SpreadKlEquivalenceTest {
  private static final double RTOL = 1e-9;

  /**
   * Absolute slack for divergences near 0: both computations cancel terms of order ln(T) there, so
   * a KL of 1e-9 is only known to about 1e-15 · (number of bins) in either of them.
   */
  private static final double ATOL = 1e-12;

  /** Histogram shapes: smooth, spiky, sparse, tiny and huge counts. */
  enum Shape {
    GAUSSIAN,
    LAPLACE,
    UNIFORM,
    RELU_SPIKE,
    SPARSE_SPIKES,
    HOLES,
    ZERO_ONE,
    HUGE_COUNTS,
    FAR_FROM_ZERO
  }

  static long[] histogram(Random rnd, Shape shape, int n) {
    long[] h = new long[n];
    double scale = 0.1 + rnd.nextDouble() * 0.5;
    long amplitude = 1L + rnd.nextInt(5000);
    for (int j = 0; j < n; j++) {
      double x = (j + 0.5) / n;
      double density;
      switch (shape) {
        case GAUSSIAN:
          density = Math.exp(-0.5 * (x / scale) * (x / scale));
          break;
        case LAPLACE:
        case RELU_SPIKE:
          density = Math.exp(-x / (scale / 3));
          break;
        case UNIFORM:
          density = 1;
          break;
        case FAR_FROM_ZERO:
          density = x > 0.7 ? 1 : 0;
          break;
        default:
          density = rnd.nextDouble();
      }
      double noise = 0.8 + 0.4 * rnd.nextDouble();
      h[j] = (long) Math.floor(amplitude * density * noise);
    }
    switch (shape) {
      case RELU_SPIKE:
        h[0] = amplitude * 50L;
        break;
      case SPARSE_SPIKES:
        java.util.Arrays.fill(h, 0);
        int spikes = 1 + rnd.nextInt(12);
        for (int s = 0; s < spikes; s++) {
          h[rnd.nextInt(n)] += 1 + rnd.nextInt(3) * (rnd.nextBoolean() ? 1 : 1000);
        }
        break;
      case HOLES:
        for (int j = 0; j < n; j++) {
          if (rnd.nextInt(3) == 0) {
            h[j] = 0;
          }
        }
        break;
      case ZERO_ONE:
        for (int j = 0; j < n; j++) {
          h[j] = rnd.nextInt(4) == 0 ? 1 : 0;
        }
        break;
      case HUGE_COUNTS:
        for (int j = 0; j < n; j++) {
          h[j] = (long) (1e12 * Math.exp(-3.0 * j / n) * (0.5 + rnd.nextDouble()));
        }
        break;
      default:
        break;
    }
    // A few stray outliers far out, as real tails have.
    if (rnd.nextBoolean()) {
      h[n - 1] += 1;
    }
    return h;
  }

  private static TensorStatistics stats(long[] counts) {
    double[] edges = new double[counts.length + 1];
    for (int j = 0; j < edges.length; j++) {
      edges[j] = j;
    }
    return TensorStatistics.ofHistogram(
        Histogram.withEdges(Domain.ABSOLUTE, edges, counts), 0, counts.length);
  }

  private static void assertCurve(String what, double[] naive, List<SearchPoint> fast) {
    assertEquals(naive.length, fast.size(), what + ": number of candidates");
    for (int c = 0; c < naive.length; c++) {
      double expected = Double.isNaN(naive[c]) ? Double.POSITIVE_INFINITY : naive[c];
      double actual = fast.get(c).objective();
      if (Double.isInfinite(expected) || expected == 0) {
        assertEquals(expected, actual, what + ": candidate " + c);
      } else if (!(Math.abs(actual - expected) <= RTOL * Math.abs(expected) + ATOL)) {
        fail(String.format("%s: candidate %d: fast %s, naive %s", what, c, actual, expected));
      }
    }
  }

  private static double[] nanAsInf(double[] kl) {
    double[] out = kl.clone();
    for (int c = 0; c < out.length; c++) {
      if (Double.isNaN(out[c])) {
        out[c] = Double.POSITIVE_INFINITY;
      }
    }
    return out;
  }

  @Test
  void nvidiaSearchMatchesTheDirectLoop() {
    Random rnd = new Random(20240611L);
    int cases = 0;
    for (Shape shape : Shape.values()) {
      for (int rep = 0; rep < 14; rep++) {
        int n = rep < 3 ? 129 + rnd.nextInt(300) : rep < 5 ? 2048 : 2 + rnd.nextInt(900);
        int bits = new int[] {2, 4, 8, 8}[rnd.nextInt(4)];
        QuantSpec quant =
            rnd.nextInt(5) == 0 ? QuantSpec.unsigned(bits) : QuantSpec.symmetric(bits);
        int startBin = n >= 128 && rnd.nextBoolean() ? 128 : 1 + rnd.nextInt(Math.max(1, n));
        int stride = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 1;
        long[] counts = histogram(rnd, shape, n);
        if (java.util.Arrays.stream(counts).sum() == 0) {
          counts[rnd.nextInt(n)] = 3;
        }
        String what =
            String.format("%s n=%d %s start=%d stride=%d", shape, n, quant, startBin, stride);
        CalibrationResult r =
            new NvidiaEntropyCalibrator(startBin, stride).calibrate(stats(counts), quant);
        double[] naive =
            NaiveEntropy.nvidiaCurve(counts, quant.halfLevels(), Math.min(startBin, n), stride);
        assertCurve(what, naive, r.curves().get("kl"));
        int expectedBin = Math.min(startBin, n) + stride * NaiveEntropy.lastArgmin(nanAsInf(naive));
        assertEquals(expectedBin, ((Number) r.details().get("bin")).intValue(), what);
        assertEquals((float) expectedBin, r.amax(), what);
        // The pick-only search values only the candidates that could win: the same result, bits.
        CalibrationResult pick =
            new NvidiaEntropyCalibrator(startBin, stride)
                .calibrateWithoutCurves(stats(counts), quant);
        assertEquals(r.details(), pick.details(), what);
        assertEquals(r.notes(), pick.notes(), what);
        assertEquals(
            Double.doubleToRawLongBits(r.objective()),
            Double.doubleToRawLongBits(pick.objective()),
            what);
        cases++;
      }
    }
    assertTrue(cases > 100);
  }

  @Test
  void talkSearchMatchesTheDirectLoop() {
    Random rnd = new Random(77L);
    for (Shape shape : Shape.values()) {
      for (int rep = 0; rep < 8; rep++) {
        int n = rep < 2 ? 2048 : 130 + rnd.nextInt(700);
        int bits = new int[] {2, 4, 8}[rnd.nextInt(3)];
        QuantSpec quant = QuantSpec.symmetric(bits);
        int startBin = rnd.nextBoolean() ? 128 : 1 + rnd.nextInt(n - 1);
        long[] counts = histogram(rnd, shape, n);
        if (java.util.Arrays.stream(counts).sum() == 0) {
          counts[rnd.nextInt(n)] = 3;
        }
        String what = String.format("%s n=%d %s start=%d", shape, n, quant, startBin);
        CalibrationResult r =
            new TensorRtEntropyCalibrator(startBin).calibrate(stats(counts), quant);
        double[] naive = NaiveEntropy.trtCurve(counts, quant.halfLevels(), startBin);
        assertCurve(what, naive, r.curves().get("kl"));
        int m = startBin + NaiveEntropy.firstArgmin(nanAsInf(naive));
        assertEquals(m, ((Number) r.details().get("bin")).intValue(), what);
        assertEquals(m + 0.5, r.amax(), 1e-12, what);
      }
    }
  }

  @Test
  void exactZeroTiesPickTheLastCandidateLikeTheDirectLoop() {
    // Three spikes far apart, nothing else: once every spike has its own group and no outliers are
    // left, P = Q and KL = 0 exactly for many candidates; NVIDIA's last argmin takes the largest.
    long[] counts = new long[2048];
    counts[1] = 7;
    counts[400] = 5;
    counts[1000] = 9;
    double[] naive = NaiveEntropy.nvidiaCurve(counts, 128, 128, 1);
    CalibrationResult r =
        new NvidiaEntropyCalibrator().calibrate(stats(counts), QuantSpec.symmetric(8));
    assertCurve("spikes", naive, r.curves().get("kl"));
    assertEquals(0.0, naive[naive.length - 1]);
    assertEquals(2048f, r.amax());
    assertEquals(0.0, r.objective());
  }

  @Test
  void aSearchOnTheThreadsLastTablesGivesWhatFreshTablesGive() throws Exception {
    // Sizes that grow the thread's tables (past 2^12 bins), reuse larger ones, and pass 2^14 bins
    // (fresh tables, not kept): each result as a new thread, with tables of its own, finds it.
    Random rnd = new Random(5L);
    QuantSpec quant = QuantSpec.symmetric(8);
    for (int n : new int[] {5000, 300, 20000, 1000, 5000, 2048}) {
      long[] counts = histogram(rnd, Shape.values()[rnd.nextInt(Shape.values().length)], n);
      counts[rnd.nextInt(n)] += 3;
      List<CalibrationResult> here = results(counts, quant);
      List<List<CalibrationResult>> fresh = new java.util.ArrayList<>();
      Thread t = new Thread(() -> fresh.add(results(counts, quant)));
      t.start();
      t.join();
      assertEquals(fresh.get(0), here, "n=" + n);
    }
  }

  private static List<CalibrationResult> results(long[] counts, QuantSpec quant) {
    return List.of(
        new NvidiaEntropyCalibrator().calibrate(stats(counts), quant),
        new NvidiaEntropyCalibrator().calibrateWithoutCurves(stats(counts), quant),
        new TensorRtEntropyCalibrator().calibrate(stats(counts), quant));
  }
}
