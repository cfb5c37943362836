package dev.qcal.core.calib.wq;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.testing.ReferenceVector;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WqCalibratorTest {

  private static TensorStatistics absoluteStats(float[] values, int bins) {
    RangeStats range = RangeStats.of(values);
    HistogramSpec spec = HistogramSpec.forStats(Domain.ABSOLUTE, range, bins);
    Histogram h = new HistogramAccumulator().add(spec, values, 0, values.length).snapshot();
    return TensorStatistics.of(range, h);
  }

  @Test
  void rawMatchesTheVector() {
    ReferenceVector v = ReferenceVector.load("wq_weight_gaussian_L4.json");
    int numLevel = v.param("num_level").asInt();
    WeightedEntropyWeights.Solution s = WeightedEntropyWeights.onValues(v.values(), numLevel);
    int[] expected = new int[2];
    for (int k = 0; k < 2; k++) {
      expected[k] = v.json().path("expected").path("slices").get(k).asInt();
    }
    assertArrayEquals(expected, s.slices());
    // amax in the vector is the top representative: sqrt of the top cluster's mean w², float32.
    v.assertClose("amax", v.expected("amax"), s.amax());
    assertEquals(2, s.levels().length);
    assertTrue(s.notes().isEmpty(), s.notes().toString());
  }

  @Test
  void threeLevelsOnFourWeightsByHand() {
    // w = {−1, 2, −3, 4}: sorted w² = 1, 4, 9, 16; N = 4. num_level 3: half = 2, cluster 0 is the
    // zero level, so H = −wp_1·ln(p_1/2) with cluster 1 = sorted atoms j..3 for slice[0] = j:
    //   j = 0: wp = 30/4, p = 1    → 7.5·ln 2     = 5.199
    //   j = 1: wp = 29/4, p = 3/4  → 7.25·ln(8/3) = 7.111
    //   j = 2: wp = 25/4, p = 1/2  → 6.25·ln 4    = 8.664  (max)
    //   j = 3: wp = 16/4, p = 1/4  → 4·ln 8       = 8.318
    // Initial slice 4·1//2 = 2. Bisection on [0, 3]: f(1) < f(2) → [1, 3]; f(2) > f(3) → [1, 2];
    // two candidates, f(1) < f(2) → 2. Levels {0, sqrt(25/2)}, boundaries {0, sqrt(9) = 3}.
    WeightedEntropyWeights.Solution s =
        WeightedEntropyWeights.onValues(new float[] {-1f, 2f, -3f, 4f}, 3);
    assertArrayEquals(new int[] {2, 4}, s.slices());
    assertArrayEquals(new double[] {0, Math.sqrt(12.5)}, s.levels(), 1e-6);
    assertArrayEquals(new double[] {0, 3}, s.boundaries(), 1e-6);
    assertEquals(6.25 * Math.log(4), s.entropy(), 1e-5);
  }

  @Test
  void fourLevelsOnFourWeightsByHand() {
    // Same weights, num_level 4: half = 2, both clusters count. slice[0] = j:
    //   j = 0: cluster 0 empty → 0·ln 0 = NaN upstream (loses every comparison)
    //   j = 1: 0.25·ln 8 + 7.25·ln(8/3)  = 0.520 + 7.111 = 7.631
    //   j = 2: 1.25·ln 4 + 6.25·ln 4     = 1.733 + 8.664 = 10.397
    //   j = 3: 3.5·ln(8/3) + 4·ln 8      = 3.433 + 8.318 = 11.751  (max)
    // Start 2; [0, 3]: f(1) < f(2) → [1, 3]; f(2) < f(3) → [2, 3]; f(2) < f(3) → 3.
    // Levels {sqrt(14/3), sqrt(16)}, boundaries {0, 4}. H grows 10.397 → 11.751 → 11.751: 2 passes.
    WeightedEntropyWeights.Solution s =
        WeightedEntropyWeights.onValues(new float[] {-1f, 2f, -3f, 4f}, 4);
    assertArrayEquals(new int[] {3, 4}, s.slices());
    assertArrayEquals(new double[] {Math.sqrt(14.0 / 3), 4}, s.levels(), 1e-6);
    assertArrayEquals(new double[] {0, 4}, s.boundaries(), 1e-6);
    assertEquals(4.0, s.amax(), 0.0);
    assertEquals(3, s.trace().size());
    assertEquals(1.25 * Math.log(4) + 6.25 * Math.log(4), s.trace().get(0).objective(), 1e-5);
    assertEquals(3.5 * Math.log(8.0 / 3) + 4 * Math.log(8), s.entropy(), 1e-5);
  }

  @Test
  void histogramBinsAreAtomsAtTheirCentres() {
    // Bins [0,1), [1,2), [2,3), [3,4], one count each: centres 0.5, 1.5, 2.5, 3.5, importance
    // 0.25, 2.25, 6.25, 12.25 (sum 21), N = 4, num_level 4. slice[0] = j (an edge index):
    //   j = 0: 0 + 5.25·ln 2                    = 3.639
    //   j = 1: 0.0625·ln 8 + 5.1875·ln(8/3)     = 0.130 + 5.088 = 5.218
    //   j = 2: 0.625·ln 4 + 4.625·ln 4          = 0.866 + 6.411 = 7.278
    //   j = 3: 2.1875·ln(8/3) + 3.0625·ln 8     = 2.146 + 6.368 = 8.514  (max)
    // Start: the first edge with prefix count ≥ 4·1//2 = 2 is j = 2; bisection ends at 3.
    // Levels {sqrt(8.75/3), 3.5}, boundaries {0, edge 3 = 3}; H: 7.278 → 8.514 → 8.514.
    Histogram h =
        Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2, 3, 4}, new long[] {1, 1, 1, 1});
    CalibrationResult r =
        WqCalibrator.withLevels(4)
            .calibrate(TensorStatistics.ofHistogram(h, -4, 4), QuantSpec.symmetric(2));
    assertArrayEquals(
        new double[] {Math.sqrt(8.75 / 3), 3.5}, (double[]) r.details().get("levels"), 1e-12);
    assertArrayEquals(new double[] {0, 3}, (double[]) r.details().get("boundaries"), 0.0);
    assertArrayEquals(new long[] {3, 4}, (long[]) r.details().get("slices"));
    assertEquals(3.5, r.amax(), 0.0);
    assertEquals(2.1875 * Math.log(8.0 / 3) + 3.0625 * Math.log(8), r.objective(), 1e-12);
    List<SearchPoint> trace = r.curves().get("wq.entropy");
    assertEquals(3, trace.size());
    assertEquals(Math.sqrt(18.5 / 2), trace.get(0).threshold(), 1e-12);
    assertEquals(0.625 * Math.log(4) + 4.625 * Math.log(4), trace.get(0).objective(), 1e-12);
    // 2 bits → num_level 4 by default: the same answer.
    CalibrationResult byBits =
        WqCalibrator.create()
            .calibrate(TensorStatistics.ofHistogram(h, -4, 4), QuantSpec.symmetric(2));
    assertEquals(r.amax(), byBits.amax(), 0.0);
    assertTrue(r.notes().get(0).startsWith("non-uniform levels"), r.notes().toString());
  }

  @Test
  void histogramAgreesWithRawValuesOnAFineHistogram() {
    ReferenceVector v = ReferenceVector.load("wq_weight_gaussian_L4.json");
    float[] values = v.values();
    CalibrationResult r =
        WqCalibrator.withLevels(4).calibrate(absoluteStats(values, 4096), QuantSpec.symmetric(2));
    WeightedEntropyWeights.Solution raw = WeightedEntropyWeights.onValues(values, 4);
    // 4096 bins over max|w| ≈ 0.38: the boundary lands on an edge within a bin or two of the raw
    // boundary, and the RMS levels move by less than a bin width (9.4e−5).
    double width = RangeStats.of(values).absMax() / 4096;
    double[] levels = (double[]) r.details().get("levels");
    for (int k = 0; k < 2; k++) {
      assertEquals(raw.levels()[k], levels[k], 2 * width, "level " + k);
    }
    assertEquals(raw.boundaries()[1], ((double[]) r.details().get("boundaries"))[1], 3 * width);
  }

  @Test
  void emptyBinsDoNotDerailTheBisection() {
    // 16 levels (8 clusters) on 2048 bins of 8000 weights: the sparse tail has long runs of empty
    // bins. As atoms they made the partial entropy flat there, the bisection drifted right across
    // the plateaus, the first pass lowered H (0.00702 → 0.00641) and amax jumped to 0.1736. With
    // only non-empty bins as atoms the passes raise H as on the raw values (0.00702 → 0.00877) and
    // amax is 0.13761 against the raw 0.13785.
    float[] values = ReferenceVector.load("wq_weight_gaussian_L4.json").values();
    CalibrationResult r =
        WqCalibrator.create().calibrate(absoluteStats(values, 2048), QuantSpec.symmetric(4));
    WeightedEntropyWeights.Solution raw = WeightedEntropyWeights.onValues(values, 16);
    assertEquals(raw.amax(), r.amax(), 0.005 * raw.amax());
    List<SearchPoint> trace = r.curves().get("wq.entropy");
    for (int i = 1; i < trace.size() - 1; i++) {
      assertTrue(trace.get(i).objective() > trace.get(i - 1).objective(), "pass " + i);
    }
    assertEquals(raw.entropy(), r.objective(), 0.01 * raw.entropy());
  }

  @Test
  void singleCandidateRangesTerminate() {
    // Two bins, num_level 6 (half 3): initial slices {0, 1, 2} (targets 0 and 1). Boundary 0 may
    // only lie in [0, slice[1] − 1] = [0, 0]: upstream's sentinel (0, 0), where recUpdate recurses
    // forever; here it keeps 0. Cluster 0 stays empty and is left out of the levels.
    Histogram h = Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2}, new long[] {1, 1});
    CalibrationResult r =
        WqCalibrator.withLevels(6)
            .calibrate(TensorStatistics.ofHistogram(h, -2, 2), QuantSpec.symmetric(4));
    assertArrayEquals(new double[] {0.5, 1.5}, (double[]) r.details().get("levels"), 1e-12);
    assertTrue(
        r.notes().stream().anyMatch(n -> n.contains("single candidate")), r.notes().toString());
    assertTrue(
        r.notes().stream().anyMatch(n -> n.contains("empty clusters")), r.notes().toString());
    assertEquals(1.5, r.amax(), 0.0);
  }

  @Test
  void oddLevelsKeepTheZeroLevel() {
    Histogram h =
        Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2, 3, 4}, new long[] {1, 1, 1, 1});
    CalibrationResult r =
        WqCalibrator.withLevels(3)
            .calibrate(TensorStatistics.ofHistogram(h, -4, 4), QuantSpec.symmetric(2));
    double[] levels = (double[]) r.details().get("levels");
    assertEquals(0.0, levels[0], 0.0);
    assertEquals(2, levels.length);
  }

  @Test
  void rejectsBadLevels() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WqCalibrator.withLevels(1));
    assertEquals(
        "Cannot run weighted-entropy quantization: num_level must be in [2, 65536] (1)",
        e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> WeightedEntropyWeights.onValues(new float[] {1f}, 0),
        "num_level must be in [2, 65536] (0)");
  }

  @Test
  void isPureAndDeterministic() {
    float[] values = ReferenceVector.load("wq_weight_gaussian_L4.json").values();
    float[] copy = values.clone();
    TensorStatistics stats = absoluteStats(values, 2048);
    long[] counts = stats.histogram(Domain.ABSOLUTE).counts();
    CalibrationResult a = WqCalibrator.create().calibrate(stats, QuantSpec.symmetric(3));
    CalibrationResult b = WqCalibrator.create().calibrate(stats, QuantSpec.symmetric(3));
    assertEquals(a, b, "every field, curves and details included");
    WeightedEntropyWeights.onValues(values, 8);
    assertArrayEquals(copy, values);
    assertArrayEquals(counts, stats.histogram(Domain.ABSOLUTE).counts());
  }

  @Test
  void degenerateTensorsGiveFiniteResults() {
    float[][] cases = {
      {0f, 0f, 0f},
      {3f, 3f},
      {Float.NaN, Float.POSITIVE_INFINITY},
      {1e-30f, -2e-30f},
      {5f, 0f, 0f, 0f},
      {}
    };
    for (float[] values : cases) {
      for (int bits : new int[] {2, 4, 8}) {
        CalibrationResult r =
            WqCalibrator.create().calibrate(absoluteStats(values, 64), QuantSpec.symmetric(bits));
        assertTrue(Double.isFinite(r.amax()), Arrays.toString(values));
        assertTrue(Double.isFinite(r.objective()) || !r.notes().isEmpty(), Arrays.toString(values));
      }
      for (int numLevel : new int[] {2, 3, 4, 7, 16}) {
        WeightedEntropyWeights.Solution s = WeightedEntropyWeights.onValues(values, numLevel);
        assertTrue(Double.isFinite(s.amax()), Arrays.toString(values) + " " + numLevel);
        for (double level : s.levels()) {
          assertTrue(Double.isFinite(level), Arrays.toString(values) + " " + numLevel);
        }
      }
    }
  }
}
