package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.eval.BinSpans;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.NonEmptyBins;
import dev.qcal.core.stats.RangeStats;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ClippedFraction#of(Histogram, RangeStats, ClipRange)}, which walks the non-empty bins and
 * adds those wholly inside the clip range to the total alone, against the measure's formula summed
 * over every bin in order: the same double, bit for bit, on sparse, one-bin, all-in-bin-0 and
 * huge-count histograms of every domain, with and without the data range narrowing the ends.
 */
class ClippedFractionSkipTest {
  /** The measure over every bin, as the class comment defines it (the loop before the skip). */
  private static double reference(Histogram h, RangeStats data, ClipRange range) {
    BinSpans spans = BinSpans.of(h.domain(), data);
    double lo = h.domain() == Domain.SIGNED ? range.min() : Double.NEGATIVE_INFINITY;
    double hi = h.domain() == Domain.SIGNED ? range.max() : range.amax();
    double total = 0;
    double outside = 0;
    for (int j = 0; j < h.binCount(); j++) {
      long count = h.count(j);
      if (count == 0) {
        continue;
      }
      double a = spans.lo(h.edge(j), h.edge(j + 1));
      double b = spans.hi(h.edge(j), h.edge(j + 1));
      double share;
      if (b > a) {
        share =
            Math.min(
                1.0,
                (Math.max(0, Math.min(b, lo) - a) + Math.max(0, b - Math.max(a, hi))) / (b - a));
      } else {
        share = a < lo || a > hi ? 1.0 : 0.0;
      }
      total += count;
      outside += count * share;
    }
    return total == 0 ? Double.NaN : outside / total;
  }

  private static double[] edges(int n, double from, double to) {
    double[] e = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      e[j] = from + (to - from) * j / n;
    }
    return e;
  }

  @Test
  void sameBitsAsEveryBin() {
    SplittableRandom r = new SplittableRandom(3);
    int checked = 0;
    for (Domain domain : new Domain[] {Domain.ABSOLUTE, Domain.SIGNED}) {
      double from = domain == Domain.SIGNED ? -3 : 0;
      double to = 3;
      for (int shape = 0; shape < 5; shape++) {
        int n = shape == 1 ? 1 : 2048;
        long[] counts = new long[n];
        switch (shape) {
          case 0 -> { // sparse
            for (int i = 0; i < 300; i++) {
              counts[r.nextInt(n)] += 1 + r.nextInt(3);
            }
          }
          case 1 -> counts[0] = 17; // one bin
          case 2 -> counts[0] = 5000; // all in bin 0
          case 3 -> { // huge counts
            for (int j = 0; j < n; j++) {
              counts[j] = (long) (1e12 * Math.exp(-j / 300.0)) + r.nextInt(1000);
            }
          }
          default -> { // dense
            for (int j = 0; j < n; j++) {
              counts[j] = r.nextInt(100);
            }
          }
        }
        Histogram h = Histogram.withEdges(domain, edges(n, from, to), counts);
        NonEmptyBins bins = h.nonEmptyBins();
        int m = 0;
        for (long c : counts) {
          m += c != 0 ? 1 : 0;
        }
        assertEquals(m, bins.count(), "non-empty bins");
        RangeStats data = RangeStats.of((float) (from * 0.9), (float) (to * 0.95), 0.1f);
        for (double amax : new double[] {0, 1e-9, 0.4, 1.37, 2.999, 3, 7}) {
          for (RangeStats d : new RangeStats[] {null, data}) {
            for (ClipRange range :
                new ClipRange[] {ClipRange.symmetric(amax), new ClipRange(-amax / 2, amax)}) {
              double want = reference(h, d, range);
              double got = ClippedFraction.of(h, d, range);
              assertEquals(
                  Double.doubleToLongBits(want),
                  Double.doubleToLongBits(got),
                  domain + " shape " + shape + " " + range + " data " + d);
              checked++;
            }
          }
        }
      }
    }
    assertEquals(2 * 5 * 7 * 2 * 2, checked);
  }
}
