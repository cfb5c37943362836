package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.stats.RangeStats;
import org.junit.jupiter.api.Test;

class ClippedFractionTest {
  private static final double EPS = 1e-15;

  @Test
  void absoluteCountsThePartOfACutBin() {
    // |x| bins [0,1) [1,2) [2,3) [3,4] with 4, 3, 2, 1 values; amax 2.5 cuts bin 2 in half:
    // outside = 2·0.5 + 1 = 2 of 10 → 0.2.
    Histogram h =
        Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2, 3, 4}, new long[] {4, 3, 2, 1});
    assertEquals(0.2, ClippedFraction.of(h, ClipRange.symmetric(2.5)), EPS);
    // An affine range on an |x| histogram is judged by its amax: [-1, 2.5] → the same 0.2.
    assertEquals(0.2, ClippedFraction.of(h, new ClipRange(-1, 2.5)), EPS);
    assertEquals(0.0, ClippedFraction.of(h, ClipRange.symmetric(4)), EPS);
    assertEquals(1.0, ClippedFraction.of(h, ClipRange.symmetric(0)), EPS);
  }

  @Test
  void signedClipsBothTails() {
    // x bins [-2,-1) [-1,0) [0,1) [1,2] with 1, 2, 3, 4 values; range [-1.5, 1]:
    // half of bin 0 (0.5) and all of bin 3 (4) are outside → 4.5 / 10.
    Histogram h =
        Histogram.withEdges(Domain.SIGNED, new double[] {-2, -1, 0, 1, 2}, new long[] {1, 2, 3, 4});
    assertEquals(0.45, ClippedFraction.of(h, new ClipRange(-1.5, 1)), EPS);
  }

  @Test
  void log2BinsAreCutInValueSpace() {
    // Bins [1,2) and [2,4) with 2 values each; amax 3 leaves half of [2,4) outside: 1 of 4.
    Histogram h = Histogram.withEdges(Domain.LOG2, new double[] {1, 2, 4}, new long[] {2, 2});
    assertEquals(0.25, ClippedFraction.of(h, ClipRange.symmetric(3)), EPS);
  }

  @Test
  void dataRangeNarrowsTheOuterBins() {
    // All-zero tensor: its 1000 zeros sit in bin [0, 1/8) of the [0, 1] fallback histogram. Spread
    // over the bin, all of them would lie above the [0, 0] range; at 0 none is clipped.
    long[] counts = new long[8];
    counts[0] = 1000;
    Histogram zeros = Histogram.of(HistogramSpec.absolute(1, 8), counts);
    RangeStats allZero = RangeStats.of(1000, 0, 0, 0, 0f, 0f);
    assertEquals(1.0, ClippedFraction.of(zeros, ClipRange.symmetric(0)), EPS);
    assertEquals(0.0, ClippedFraction.of(zeros, allZero, ClipRange.symmetric(0)), EPS);

    // Constant 3 in the last bin [2.625, 3] of [0, 3]: amax 3 clips nothing, and 2.9 clips all.
    long[] last = new long[8];
    last[7] = 10;
    Histogram constant = Histogram.of(HistogramSpec.absolute(3, 8), last);
    RangeStats threes = RangeStats.of(10, 0, 0, 0, 3f, 3f);
    assertEquals(0.0, ClippedFraction.of(constant, threes, ClipRange.symmetric(3)), EPS);
    assertEquals(1.0, ClippedFraction.of(constant, threes, ClipRange.symmetric(2.9)), EPS);

    // Data in [0.5, 3.5] on the signed [-4, 4] layout: the bin [3, 4) holds values of [3, 3.5]
    // only, so the clip at 3.25 leaves half of it outside (2 of its 4 values), not 3/4.
    Histogram signed = Histogram.of(HistogramSpec.signed(-4, 4, 8), 0, 0, 0, 0, 4, 0, 0, 4);
    RangeStats data = RangeStats.of(8, 0, 0, 0, 0.5f, 3.5f);
    assertEquals(2.0 / 8, ClippedFraction.of(signed, data, new ClipRange(-3.25, 3.25)), EPS);
    assertEquals(3.0 / 8, ClippedFraction.of(signed, new ClipRange(-3.25, 3.25)), EPS);
  }

  @Test
  void emptyHistogramHasNoFraction() {
    assertTrue(
        Double.isNaN(
            ClippedFraction.of(
                Histogram.empty(HistogramSpec.absolute(1, 8)), ClipRange.symmetric(1))));
  }

  @Test
  void coarseHistogramGivesTheSameAnswerOnCoarseEdges() {
    Histogram h =
        Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2, 3, 4}, new long[] {4, 3, 2, 1});
    PlotHistogram p = PlotHistogram.of(h, 2); // [0,2) 7, [2,4] 3; amax 3 → 1.5 of 10
    assertEquals(0.15, ClippedFraction.of(p, null, ClipRange.symmetric(3)), EPS);
  }
}
