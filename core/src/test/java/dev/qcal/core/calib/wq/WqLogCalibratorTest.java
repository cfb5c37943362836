package dev.qcal.core.calib.wq;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.testing.ReferenceVector;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WqLogCalibratorTest {
  private static final long SEED = 20170127L;

  /** The vector's 1024 caffe bins: bin b covers 16·log2 x in [b − 640, b − 639). */
  private static final int CAFFE_OFFSET = -640;

  private static float[] reluGaussian(int n, double sigma) {
    Random random = new Random(SEED);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) Math.max(0, sigma * random.nextGaussian());
    }
    return out;
  }

  private static TensorStatistics logStats(float[] values, HistogramSpec spec) {
    RangeStats range = RangeStats.of(values);
    Histogram h = new HistogramAccumulator().add(spec, values, 0, values.length).snapshot();
    return TensorStatistics.of(range, h);
  }

  @Test
  void matchesTheVector() {
    ReferenceVector v = ReferenceVector.load("wq_log_act_relu_gaussian_L4.json");
    // The vector's "range" [0, 1024] is bin indices; the adapter is the offset −640.
    LogEntropySearch.Result r =
        LogEntropySearch.search(v.counts(), CAFFE_OFFSET, v.param("num_level").asInt());
    assertTrue(r.found());
    assertEquals((int) v.expected("fsr"), r.fsr());
    assertEquals((int) v.expected("half_step"), r.halfStep());
    v.assertClose("amax", v.expected("amax"), r.amax());
    // lo = 339 (last empty cumulative bin), so O = 297 − 640 + 339 = −4 and step 12:
    // levels 0, 2^(−4/16), 2^(8/16), 2^(20/16) = 2.3784.
    assertEquals(-4, r.offset());
    assertEquals(12, r.step());
    assertArrayEquals(
        new double[] {0, Math.pow(2, -0.25), Math.pow(2, 0.5), Math.pow(2, 1.25)},
        r.levels(),
        1e-6);
  }

  @Test
  void twoSpikesByHand() {
    // num_level 2: one non-zero level, covering sub-bins ≥ fsr − h (relative to lo), importance
    // v = 2^((fsr + offset')/16). Spike A (3 values) at bin 500, spike B (1 value) at bin 599,
    // offset −640. lo = 499, so A is at shifted bin 1 and B at 100, length = 101, offset' = −141.
    // Candidates: fsr = 40 .. length + h − 1 = 100 + h (2L − 5 = −1). fsr − h − 1 ≥ 23 > 1, so A is
    // always below the level; fsr − h − 1 ≤ 99 < 100, so B is always in it: p = 1/4 and
    // H = 2^((fsr − 141)/16)·(1/4)·ln 4 grows with fsr. The largest fsr is 100 + 16 = 116 (h = 16),
    // O = 116 − 141 = −25, step 32, amax = 2^(−25/16) = 0.338563 (an octave above spike B, whose
    // values are about 2^(−41/16)).
    long[] counts = new long[1024];
    counts[500] = 3;
    counts[599] = 1;
    LogEntropySearch.Result r = LogEntropySearch.search(counts, CAFFE_OFFSET, 2);
    assertEquals(116, r.fsr());
    assertEquals(16, r.halfStep());
    assertEquals(-25, r.offset());
    assertEquals(Math.pow(2, -25.0 / 16), r.amax(), 1e-7);
    assertEquals(Math.pow(2, -25.0 / 16) * Math.log(4) / 4, r.entropy(), 1e-6);
    assertEquals(2, r.levels().length);
    assertEquals(0.0, r.levels()[0], 0.0);
  }

  @Test
  void theOffsetOnlyShiftsTheAnswer() {
    ReferenceVector v = ReferenceVector.load("wq_log_act_relu_gaussian_L4.json");
    long[] counts = v.counts();
    long[] shifted = new long[counts.length];
    System.arraycopy(counts, 100, shifted, 0, counts.length - 100);
    LogEntropySearch.Result a = LogEntropySearch.search(counts, CAFFE_OFFSET, 4);
    LogEntropySearch.Result b = LogEntropySearch.search(shifted, CAFFE_OFFSET + 100, 4);
    assertEquals(a.offset(), b.offset());
    assertEquals(a.step(), b.step());
    assertArrayEquals(a.levels(), b.levels(), 0.0);
  }

  @Test
  void qcalLog2HistogramGivesTheAuthorsAnswer() {
    // The same values binned over the authors' range (2^−40 .. 2^24, offset −640) and over qcal's
    // forStats range (the 64 octaves below ⌈log2 max⌉): identical sub-octave bins, so the same O,
    // step and levels.
    float[] values = reluGaussian(50_000, 1.0);
    System.out.println("seed " + SEED);
    HistogramSpec authors = new HistogramSpec(Domain.LOG2, -40, 24, 1024);
    TensorStatistics qcal =
        logStats(values, HistogramSpec.forStats(Domain.LOG2, RangeStats.of(values), 0));
    TensorStatistics caffe = logStats(values, authors);
    LogEntropySearch.Result expected =
        LogEntropySearch.search(caffe.histogram(Domain.LOG2).counts(), CAFFE_OFFSET, 4);
    CalibrationResult r = WqLogCalibrator.create().calibrate(qcal, QuantSpec.unsigned(2));
    assertTrue(expected.found());
    assertEquals(expected.offset(), r.details().get("offset"));
    assertEquals(expected.step(), r.details().get("step"));
    assertArrayEquals(expected.levels(), (double[]) r.details().get("levels"), 0.0);
    assertEquals(expected.amax(), r.range().max(), 0.0);
    assertEquals(0.0, r.range().min(), 0.0);
    assertEquals(expected.entropy(), r.objective(), 0.0);
    // About half of the values are 0 (ReLU): in below(), outside N, noted.
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("zero level")), r.notes().toString());
    assertFalse(r.curves().get("wq.entropy").isEmpty());
  }

  @Test
  void binZeroNotEmptyIsSafe() {
    // lo = −1: upstream would index C[−1], which its search never actually reads (indices ≥ 23).
    long[] counts = new long[1024];
    counts[0] = 5;
    counts[60] = 10;
    counts[90] = 10;
    LogEntropySearch.Result r = LogEntropySearch.search(counts, CAFFE_OFFSET, 4);
    assertTrue(r.found());
    assertTrue(Double.isFinite(r.amax()) && r.amax() > 0);
  }

  @Test
  void noPositiveValuesOrTooNarrowFallBack() {
    LogEntropySearch.Result none = LogEntropySearch.search(new long[1024], CAFFE_OFFSET, 4);
    assertFalse(none.found());
    assertTrue(none.reason().contains("no positive values"), none.reason());
    long[] narrow = new long[1024];
    narrow[500] = 4;
    narrow[510] = 4;
    LogEntropySearch.Result r = LogEntropySearch.search(narrow, CAFFE_OFFSET, 4);
    assertFalse(r.found());
    assertTrue(r.reason().contains("no (fsr, step) candidate"), r.reason());
    // Through the calibrator: values in [1, 1.6] span less than an octave.
    float[] values = {1f, 1.2f, 1.4f, 1.6f, 0f};
    TensorStatistics stats =
        logStats(values, HistogramSpec.forStats(Domain.LOG2, RangeStats.of(values), 0));
    CalibrationResult c = WqLogCalibrator.create().calibrate(stats, QuantSpec.unsigned(2));
    assertEquals(1.6f, c.amax(), 0.0);
    assertTrue(c.notes().get(0).contains("fell back to max"), c.notes().toString());
  }

  @Test
  void rejectsBadParameters() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LogEntropySearch.search(new long[8], 0, 1));
    assertEquals(
        "Cannot run the log-domain weighted-entropy search: num_level must be at least 2 (1)",
        e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> WqLogCalibrator.withLevels(1),
        "num_level must be in [2, 65536] (1)");
  }

  @Test
  void isPureAndDeterministic() {
    float[] values = reluGaussian(20_000, 0.5);
    float[] copy = values.clone();
    TensorStatistics stats =
        logStats(values, HistogramSpec.forStats(Domain.LOG2, RangeStats.of(values), 0));
    long[] counts = stats.histogram(Domain.LOG2).counts();
    CalibrationResult a = WqLogCalibrator.withLevels(8).calibrate(stats, QuantSpec.unsigned(3));
    CalibrationResult b = WqLogCalibrator.withLevels(8).calibrate(stats, QuantSpec.unsigned(3));
    assertEquals(a, b, "every field, curves and details included");
    assertArrayEquals(copy, values);
    assertArrayEquals(counts, stats.histogram(Domain.LOG2).counts());
  }

  @Test
  void degenerateTensorsGiveFiniteResults() {
    float[][] cases = {
      {0f, 0f, 0f},
      {3f, 3f},
      {Float.NaN, Float.POSITIVE_INFINITY},
      {-1f, -2f},
      {1e-30f, 2e-30f},
      {5f, 0f, 0f},
      {}
    };
    for (float[] values : cases) {
      for (int bits : new int[] {2, 4, 8}) {
        RangeStats range = RangeStats.of(values);
        TensorStatistics stats = logStats(values, HistogramSpec.forStats(Domain.LOG2, range, 0));
        CalibrationResult r = WqLogCalibrator.create().calibrate(stats, QuantSpec.unsigned(bits));
        assertTrue(Double.isFinite(r.amax()), Arrays.toString(values));
        assertTrue(Float.isFinite(r.params().scale()), Arrays.toString(values));
      }
    }
  }
}
