package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.NumpyPairwiseSum;
import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.calib.screen.Screening;
import dev.qcal.core.calib.screen.TieRule;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The screened (two-stage) KL searches pick exactly the threshold of the bin-by-bin search, with
 * the same KL bits, on seeded random signed histograms of many shapes, sizes and sample counts: the
 * interval of {@link KlScreen} is a bound, not an estimate, so no candidate it drops could have
 * been the tool's pick.
 */
class SignedWindowKlScreenTest {
  /** Shapes of data: each draws one value. */
  enum Shape {
    GAUSSIAN,
    LAPLACE,
    RELU_SPIKE, // ReLU'd Gaussian: half the mass exactly at 0
    HEAVY_TAIL, // Student-t with 2 degrees of freedom, clipped far out
    SPARSE, // a few distinct values with empty regions between
    BIMODAL,
    UNIFORM
  }

  static double draw(Shape s, SplittableRandom r) {
    double g = gaussian(r);
    switch (s) {
      case GAUSSIAN:
        return g;
      case LAPLACE:
        return (r.nextBoolean() ? 1 : -1) * -Math.log(1 - r.nextDouble());
      case RELU_SPIKE:
        return Math.max(0, g);
      case HEAVY_TAIL:
        double g1 = gaussian(r);
        double g2 = gaussian(r);
        double chi = (g1 * g1 + g2 * g2) / 2;
        return Math.max(-400, Math.min(400, g / Math.sqrt(chi + 1e-12)));
      case SPARSE:
        return (r.nextInt(7) - 3) * 0.37 + (r.nextInt(50) == 0 ? gaussian(r) * 0.01 : 0);
      case BIMODAL:
        return g * 0.3 + (r.nextBoolean() ? 2 : -1);
      default:
        return r.nextDouble() * 2 - 1;
    }
  }

  static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  /** A signed histogram over [−T, T] (T = max |x|) of {@code bins} bins, as the tools build it. */
  static Histogram histogram(Shape shape, long seed, int bins, int samples) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[samples];
    double t = 0;
    for (int k = 0; k < samples; k++) {
      v[k] = draw(shape, r);
      t = Math.max(t, Math.abs(v[k]));
    }
    t = t == 0 ? 1 : t;
    long[] counts = new long[bins];
    for (double x : v) {
      int j = (int) Math.floor((x + t) / (2 * t) * bins);
      counts[Math.max(0, Math.min(bins - 1, j))]++;
    }
    double[] edges = new double[bins + 1];
    for (int j = 0; j <= bins; j++) {
      edges[j] = -t + 2 * t * j / bins;
    }
    return Histogram.withEdges(Domain.SIGNED, edges, counts);
  }

  /**
   * Shapes × sizes × sample counts, with seeds: each shape gets six of the twelve size/count pairs
   * (rotating), and three shapes an 8001- or 8000-bin case (each of those costs about a second of
   * exact searches).
   */
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    int[] bins = {513, 1001, 1200, 2048};
    int[] samples = {300, 20_000, 150_000};
    long seed = 1;
    int k = 0;
    for (Shape s : Shape.values()) {
      for (int b : bins) {
        for (int n : samples) {
          if (k++ % 2 == s.ordinal() % 2) {
            out.add(Arguments.of(s, seed, b, n));
          }
          seed++;
        }
      }
    }
    out.add(Arguments.of(Shape.GAUSSIAN, seed++, 8001, 200_000));
    out.add(Arguments.of(Shape.RELU_SPIKE, seed++, 8001, 1_000_000));
    out.add(Arguments.of(Shape.LAPLACE, seed++, 8000, 50_000));
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void mxnetAndTvmPickTheExactSearchsThreshold(Shape shape, long seed, int bins, int samples) {
    Histogram h = histogram(shape, seed, bins, samples);
    int[] nqs = {255, 511};
    for (int nq : nqs) {
      if (bins < nq + 2) {
        continue;
      }
      for (CppKlWindow.Counts counts : CppKlWindow.Counts.values()) {
        String what = shape + " seed " + seed + " bins " + bins + " nq " + nq + " " + counts;
        assertSamePick(cpp(h, nq, counts, false), cpp(h, nq, counts, true), what);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void mxnet15PicksTheExactSearchsThreshold(Shape shape, long seed, int bins, int samples) {
    Histogram h = histogram(shape, seed, bins, samples);
    for (int nq : new int[] {255, 511}) {
      if (bins < nq + 2) {
        continue;
      }
      assertSamePick(h, nq, GroupClassSums.Tool.MXNET15, shape + " seed " + seed + " nq " + nq);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void ortPicksTheExactSearchsThreshold(Shape shape, long seed, int bins, int samples) {
    Histogram h = histogram(shape, seed, bins, samples);
    for (int nq : new int[] {128, 255}) {
      assertSamePick(h, nq, GroupClassSums.Tool.ORT, shape + " seed " + seed + " nq " + nq);
    }
  }

  /**
   * The bound itself: every screened candidate's exact float32 KL lies in its interval, for every
   * variant (a looser test than the pick, and one that fails as soon as a term of the bound is
   * missing).
   */
  @ParameterizedTest
  @MethodSource("cases")
  void everyExactValueLiesInItsInterval(Shape shape, long seed, int bins, int samples) {
    Histogram h = histogram(shape, seed, bins, samples);
    String what = shape + " seed " + seed + " bins " + bins;
    if (bins >= 257) {
      CppKlWindow.Counts f32 = CppKlWindow.Counts.FLOAT32;
      assertInside(cpp(h, 255, f32, false), cpp(h, 255, f32, true), "mxnet " + what);
      assertInside(
          numpy(h, 255, GroupClassSums.Tool.MXNET15, false),
          numpy(h, 255, GroupClassSums.Tool.MXNET15, true),
          "mxnet15 " + what);
    }
    assertInside(
        numpy(h, 128, GroupClassSums.Tool.ORT, false),
        numpy(h, 128, GroupClassSums.Tool.ORT, true),
        "ort " + what);
  }

  /**
   * The O(1) class screen (interior groups from {@link GroupClassSums}) bounds every candidate, not
   * only those it happens to settle in a search: each one's interval, taken with no limit, holds
   * its exact float32 KL, for MXNet (float32 and int32 counts), MXNet 1.5 and ORT.
   */
  @ParameterizedTest
  @MethodSource("cases")
  void everyExactValueLiesInItsClassInterval(Shape shape, long seed, int bins, int samples) {
    Histogram h = histogram(shape, seed, bins, samples);
    String what = shape + " seed " + seed + " bins " + bins;
    if (bins >= 257) {
      for (CppKlWindow.Counts counts : CppKlWindow.Counts.values()) {
        CppKlWindow k = new CppKlWindow(h, 255, counts, rule(counts));
        assertInsideClassIntervals(
            cpp(h, 255, counts, false),
            (c, out) -> k.classScreen(c, Double.NEGATIVE_INFINITY, out),
            "mxnet " + counts + " " + what);
      }
      assertInsideClassIntervals(h, 255, GroupClassSums.Tool.MXNET15, "mxnet15 " + what);
    }
    for (int nq : new int[] {128, 255}) {
      assertInsideClassIntervals(h, nq, GroupClassSums.Tool.ORT, "ort nq " + nq + " " + what);
    }
  }

  /** One candidate's O(1) class screen with no limit: true when it gave an interval. */
  interface ClassScreen {
    boolean screen(int c, Screening out);
  }

  /**
   * {@link #assertInsideClassIntervals(ScreenedSearch.Outcome, ClassScreen, String)} for a numpy
   * tool.
   */
  private static void assertInsideClassIntervals(
      Histogram h, int nq, GroupClassSums.Tool tool, String what) {
    NumpyKlWindow candidates = new NumpyKlWindow(h, nq, tool);
    assertInsideClassIntervals(
        numpy(h, nq, tool, false),
        (c, out) -> candidates.classScreen(c, Double.NEGATIVE_INFINITY, out),
        what);
  }

  /**
   * Every candidate's O(1) class interval with no limit holds its exact KL ({@code exact}, the
   * exhaustive search); the class screen applies to most candidates.
   */
  private static void assertInsideClassIntervals(
      ScreenedSearch.Outcome exact, ClassScreen classScreen, String what) {
    Screening out = new Screening();
    int applied = 0;
    for (int c = 0; c < exact.count(); c++) {
      if (classScreen.screen(c, out)) {
        applied++;
        assertTrue(
            out.lo() <= exact.value(c) && exact.value(c) <= out.hi(),
            what
                + " candidate "
                + c
                + ": "
                + exact.value(c)
                + " not in ["
                + out.lo()
                + ", "
                + out.hi()
                + "]");
      }
    }
    // Most windows are covered (the rest: failed smoothings, too few groups, ε > 1/4).
    int count = exact.count();
    assertTrue(
        count < 8 || applied > count / 4,
        what + ": the class screen applied to " + applied + " of " + count);
  }

  /** Every exact value lies in the interval the screened search gave its candidate, if any. */
  private static void assertInside(
      ScreenedSearch.Outcome exact, ScreenedSearch.Outcome fast, String what) {
    int screened = 0;
    for (int c = 0; c < exact.count(); c++) {
      if (Double.isNaN(fast.lo(c)) || Double.isInfinite(fast.lo(c))) {
        continue; // classified or evaluated exactly
      }
      screened++;
      assertTrue(
          fast.lo(c) <= exact.value(c) && exact.value(c) <= fast.hi(c),
          what
              + " candidate "
              + c
              + ": "
              + exact.value(c)
              + " not in ["
              + fast.lo(c)
              + ", "
              + fast.hi(c)
              + "]");
    }
    assertTrue(screened > 0 || exact.count() == 0, what + ": nothing was screened");
  }

  /** A numpy tool's search on {@code h}: exhaustive, or screened. */
  private static ScreenedSearch.Outcome numpy(
      Histogram h, int nq, GroupClassSums.Tool tool, boolean screened) {
    NumpyKlWindow candidates = new NumpyKlWindow(h, nq, tool);
    return screened ? ScreenedSearch.run(candidates) : ScreenedSearch.exhaustive(candidates);
  }

  /** The C++ tools' search on {@code h} (MXNet's minimum for float32 counts, TVM's for int32). */
  private static ScreenedSearch.Outcome cpp(
      Histogram h, int nq, CppKlWindow.Counts counts, boolean screened) {
    CppKlWindow candidates = new CppKlWindow(h, nq, counts, rule(counts));
    return screened ? ScreenedSearch.run(candidates) : ScreenedSearch.exhaustive(candidates);
  }

  private static TieRule rule(CppKlWindow.Counts counts) {
    return counts == CppKlWindow.Counts.FLOAT32
        ? TieRule.FIRST_BELOW_FLT_MAX
        : TieRule.FIRST_MINIMUM;
  }

  /** The numpy tool's screened search picks its exhaustive search's candidate. */
  private static void assertSamePick(Histogram h, int nq, GroupClassSums.Tool tool, String what) {
    assertSamePick(numpy(h, nq, tool, false), numpy(h, nq, tool, true), what);
  }

  /** The screened search picks the exhaustive search's candidate, with the same KL bits. */
  private static void assertSamePick(
      ScreenedSearch.Outcome exact, ScreenedSearch.Outcome fast, String what) {
    assertEquals(exact.count(), fast.count(), what);
    assertEquals(exact.best(), fast.best(), what);
    assertEquals(
        Double.doubleToLongBits(exact.value(exact.best())),
        Double.doubleToLongBits(fast.value(fast.best())),
        what);
  }

  /**
   * Totals above 2^24 (float folds replayed, float sums beyond the integer grid, MXNet's float32
   * rounding of counts above 2^24, TVM's int32 group sums wrapping): still the exact search's pick.
   */
  @Test
  void largeTotalsPickTheExactSearchsThreshold() {
    for (long scale : new long[] {1000, 100_003, 40_000_000}) {
      Histogram base = histogram(Shape.LAPLACE, 77 + scale, 2049, 100_000);
      long[] counts = base.counts();
      for (int j = 0; j < counts.length; j++) {
        counts[j] *= scale;
      }
      Histogram h = Histogram.withEdges(Domain.SIGNED, base.edges(), counts);
      for (CppKlWindow.Counts c : CppKlWindow.Counts.values()) {
        assertSamePick(cpp(h, 255, c, false), cpp(h, 255, c, true), "scale " + scale + " " + c);
      }
      assertSamePick(h, 255, GroupClassSums.Tool.MXNET15, "mxnet15 scale " + scale);
      assertSamePick(h, 128, GroupClassSums.Tool.ORT, "ort scale " + scale);
      if (scale < 1_000_000) { // above, MXNet's int group sums wrap and every candidate is exact
        CppKlWindow.Counts f32 = CppKlWindow.Counts.FLOAT32;
        assertInside(cpp(h, 255, f32, false), cpp(h, 255, f32, true), "mxnet scale " + scale);
      }
    }
  }

  /** The pairwise depth bound: a block of 128 (15 + 3 adds), small remainders, halvings. */
  @Test
  void pairwiseDepth() {
    assertEquals(0, NumpyPairwiseSum.depth(1));
    assertEquals(6, NumpyPairwiseSum.depth(7));
    assertEquals(3, NumpyPairwiseSum.depth(8)); // 8 accumulators, one value each, then the tree
    assertEquals(18, NumpyPairwiseSum.depth(128));
    assertEquals(1 + 18, NumpyPairwiseSum.depth(256));
    assertTrue(NumpyPairwiseSum.depth(8001) <= 31);
  }
}
