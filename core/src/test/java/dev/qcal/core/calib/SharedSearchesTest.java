package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorCalibration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sharing searches between the methods of one {@link TensorCalibrator} call changes no output:
 * every method's result in one call with every method equals its result computed alone, field by
 * field (range, scale, objective bits, every curve point, details, notes), on tensors of many
 * shapes and sizes; and a call without curves equals it but for the curves.
 */
class SharedSearchesTest {
  private static final QuantSpec INT8 = QuantSpec.symmetric(8);

  static Stream<Arguments> tensors() {
    List<Arguments> out = new ArrayList<>();
    String[] shapes = {"gaussian", "relu", "laplace", "heavy", "outliers", "sparse"};
    int[] bins = {2048, 1001, 600};
    int[] samples = {200_000, 3_000};
    long seed = 11;
    for (String s : shapes) {
      for (int b : bins) {
        for (int n : samples) {
          out.add(Arguments.of(s, seed++, b, n));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("tensors")
  void everyMethodInOneCallEqualsTheMethodAlone(String shape, long seed, int bins, int samples) {
    TensorStatistics stats = tensor(shape, seed, bins, samples);
    assertOneCallEqualsAlone(stats, shape + " seed " + seed + " bins " + bins + " n " + samples);
  }

  /** Counts above 2^24 (MXNet rounds them, TVM does not): nothing is shared, still equal. */
  @Test
  void largeCountsAreNotShared() {
    TensorStatistics base = tensor("laplace", 3, 1001, 100_000);
    Histogram h = base.histogram(Domain.SIGNED);
    long[] counts = h.counts();
    for (int j = 0; j < counts.length; j++) {
      counts[j] = counts[j] * 40_000_001L + (j % 3);
    }
    Histogram big = Histogram.withEdges(Domain.SIGNED, h.edges(), counts);
    TensorStatistics stats =
        TensorStatistics.ofHistogram(big, base.range().min(), base.range().max());
    assertOneCallEqualsAlone(stats, "large counts");
  }

  private static void assertOneCallEqualsAlone(TensorStatistics stats, String what) {
    List<String> methods = new ArrayList<>();
    for (String m : Calibrators.names()) {
      Calibrator c = Calibrators.create(m);
      // best chooses among the run's other methods, alone among its defaults: not the same by
      // design.
      if (!m.equals("best") && stats.histograms().keySet().containsAll(c.domains())) {
        methods.add(m);
      }
    }
    TensorCalibration row = new TensorCalibrator(methods, INT8).calibrate("t", stats);
    TensorCalibration bare = new TensorCalibrator(methods, INT8).calibrateWithoutCurves("t", stats);
    for (String m : methods) {
      CalibrationResult alone = Calibrators.create(m).calibrate(stats, INT8);
      assertSameResult(alone, row.results().get(m), what + " " + m);
      assertSameResult(
          alone.withoutCurves(), bare.results().get(m), what + " " + m + " without curves");
    }
    assertEquals(row.errors(), bare.errors(), what + " measured errors without curves");
  }

  static void assertSameResult(CalibrationResult a, CalibrationResult b, String what) {
    assertEquals(a.method(), b.method(), what);
    assertEquals(a.range(), b.range(), what);
    assertEquals(a.params(), b.params(), what);
    assertEquals(
        Double.doubleToLongBits(a.objective()), Double.doubleToLongBits(b.objective()), what);
    assertEquals(a.curves(), b.curves(), what);
    assertEquals(a.notes(), b.notes(), what);
    assertEquals(a.details().keySet(), b.details().keySet(), what);
    for (Map.Entry<String, Object> e : a.details().entrySet()) {
      Object x = e.getValue();
      Object y = b.details().get(e.getKey());
      if (x instanceof double[]) {
        assertArrayEquals((double[]) x, (double[]) y, what + " " + e.getKey());
      } else if (x instanceof long[]) {
        assertArrayEquals((long[]) x, (long[]) y, what + " " + e.getKey());
      } else {
        assertEquals(x, y, what + " " + e.getKey());
      }
    }
  }

  /** A tensor of {@code samples} values of {@code shape}, with histograms of every domain. */
  static TensorStatistics tensor(String shape, long seed, int bins, int samples) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[samples];
    for (int k = 0; k < samples; k++) {
      double g = gaussian(r);
      double x;
      switch (shape) {
        case "gaussian":
          x = 0.3 + g;
          break;
        case "relu":
          x = Math.max(0, g);
          break;
        case "laplace":
          x = (r.nextBoolean() ? 1 : -1) * -Math.log(1 - r.nextDouble());
          break;
        case "heavy":
          double g1 = gaussian(r);
          double g2 = gaussian(r);
          x = g / Math.sqrt((g1 * g1 + g2 * g2) / 2 + 1e-12);
          break;
        case "outliers":
          x = g * (r.nextInt(10_000) == 0 ? 20 + 80 * r.nextDouble() : 1);
          break;
        default: // a few distinct values: ties, empty regions
          x = (r.nextInt(7) - 3) * 0.37;
      }
      v[k] = (float) x;
    }
    RangeStats range = RangeStats.of(v);
    List<Histogram> histograms = new ArrayList<>();
    for (Domain d : Domain.values()) {
      histograms.add(
          new HistogramAccumulator(HistogramSpec.forStats(d, range, bins)).add(v).snapshot());
    }
    return TensorStatistics.of(range, histograms.toArray(new Histogram[0]));
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
