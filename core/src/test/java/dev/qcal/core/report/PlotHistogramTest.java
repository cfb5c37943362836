package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import org.junit.jupiter.api.Test;

class PlotHistogramTest {
  // 10 bins over [0, 10], counts 1..10 (total 55), 2 below, 3 above, 4 NaN.
  private static final Histogram TEN =
      Histogram.of(
          HistogramSpec.absolute(10, 10), new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 3, 4);

  @Test
  void mergesEqualGroupsOfAdjacentBinsKeepingExactCounts() {
    // k = ceil(10/4) = 3 bins per group, ceil(10/3) = 4 groups: 1+2+3, 4+5+6, 7+8+9, 10.
    PlotHistogram p = PlotHistogram.of(TEN, 4);
    assertArrayEquals(new long[] {6, 15, 24, 10}, p.counts());
    assertArrayEquals(new double[] {0, 3, 6, 9, 10}, p.edges());
    assertEquals(55, p.total());
    assertEquals(2, p.below());
    assertEquals(3, p.above());
    assertEquals(4, p.nan());
    assertEquals(24, p.maxCount());
  }

  @Test
  void keepsAHistogramThatIsSmallEnough() {
    PlotHistogram p = PlotHistogram.of(TEN, 10);
    assertArrayEquals(TEN.counts(), p.counts());
    assertArrayEquals(TEN.edges(), p.edges());
  }

  @Test
  void defaultIsAtMost256Bins() {
    Histogram fine = Histogram.empty(HistogramSpec.absolute(1, 2048));
    assertEquals(256, PlotHistogram.of(fine).binCount());
    // 2049..2303 bins need groups of 9 bins: ceil(2100/9) = 234 coarse bins.
    assertEquals(
        234, PlotHistogram.of(Histogram.empty(HistogramSpec.absolute(1, 2100))).binCount());
  }

  @Test
  void oneBinHoldsEverything() {
    PlotHistogram p = PlotHistogram.of(TEN, 1);
    assertArrayEquals(new long[] {55}, p.counts());
    assertArrayEquals(new double[] {0, 10}, p.edges());
  }

  @Test
  void rejectsANonPositiveLimit() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PlotHistogram.of(TEN, 0));
    assertEquals("Cannot coarsen a histogram: maxBins must be at least 1 (0)", e.getMessage());
  }

  @Test
  void equalityIsByValue() {
    assertEquals(PlotHistogram.of(TEN, 4), PlotHistogram.of(TEN, 4));
    assertEquals(PlotHistogram.of(TEN, 4).hashCode(), PlotHistogram.of(TEN, 4).hashCode());
  }
}
