package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import org.junit.jupiter.api.Test;

/**
 * {@code --scheme unsigned} is MXNet's {@code quantized_dtype='uint8'}: on non-negative data MXNet
 * ≤ 1.5's {@code _get_optimal_threshold} (and the ≥ 1.6 C++ search) uses {@code
 * num_quantized_bins·2 + 1} levels and the range (0, th).
 *
 * <p>By hand: 1023 bins of width 1 over [−511.5, 511.5] (bin 511 centred on 0), 10 values in each
 * of bins 511..610 (x in [−0.5, 99.5)), data min 0. <b>int8</b>: nq = 255, candidates i = 127 ..
 * 511; at i = 127 the window [511 − 127, 511 + 128) = [384, 639) holds all the data, and 255 bins
 * in 255 groups of one bin give Q = P bin for bin (Q is 0 where P is), so the smoothed P and Q are
 * equal and KL = 0: the first candidate wins, threshold e[639] = 127.5. <b>uint8</b>: nq = 511,
 * candidates start at i = 255, window [256, 767), 511 bins in 511 groups: KL = 0 again, threshold
 * e[767] = 255.5, range (0, 255.5). MXNet 1.5's own function, run on this histogram, gives 127.5
 * and 255.5.
 */
class MxnetUnsignedSchemeTest {
  private static TensorStatistics handCase(double min) {
    double[] edges = new double[1024];
    for (int j = 0; j <= 1023; j++) {
      edges[j] = j - 511.5;
    }
    long[] counts = new long[1023];
    for (int j = 511; j <= 610; j++) {
      counts[j] = 10;
    }
    return TensorStatistics.ofHistogram(
        Histogram.withEdges(Domain.SIGNED, edges, counts), min, 99.4);
  }

  @Test
  void mxnet15UnsignedUsesTwiceTheLevelsPlusOne() {
    CalibrationResult int8 =
        Calibrators.create("entropy:mxnet15").calibrate(handCase(0), QuantSpec.symmetric(8));
    assertEquals(ClipRange.symmetric(127.5), int8.range());
    assertEquals(511 - 127 + 1, int8.curves().get("kl").size());
    assertEquals(0.0, int8.objective());

    CalibrationResult uint8 =
        Calibrators.create("entropy:mxnet15").calibrate(handCase(0), QuantSpec.unsigned(8));
    assertEquals(new ClipRange(0, 255.5), uint8.range());
    assertEquals(511 - 255 + 1, uint8.curves().get("kl").size());
    assertEquals(0.0, uint8.objective());
    assertEquals(255.5f / 255, uint8.params().scale());
    // Any other scheme is int8, as MXNet's default.
    assertEquals(
        ClipRange.symmetric(127.5),
        Calibrators.create("entropy:mxnet15").calibrate(handCase(0), QuantSpec.affine(8)).range());
  }

  @Test
  void theCppSearchReadsTheSchemeTheSameWay() {
    CalibrationResult uint8 =
        Calibrators.create("entropy:mxnet").calibrate(handCase(0), QuantSpec.unsigned(8));
    assertEquals(511 - 255 + 1, uint8.curves().get("kl").size());
    assertEquals(new ClipRange(0, 255.5), uint8.range());
  }

  /** uint8 only changes non-negative data (MXNet's min_val >= 0 test). */
  @Test
  void negativeDataStaysInt8() {
    CalibrationResult r =
        Calibrators.create("entropy:mxnet15").calibrate(handCase(-0.5), QuantSpec.unsigned(8));
    assertEquals(511 - 127 + 1, r.curves().get("kl").size());
    assertEquals(-r.range().max(), r.range().min());
  }

  @Test
  void explicitDtypesAreKept() {
    assertEquals(
        MxnetQuantizedDtype.INT8,
        MxnetQuantizedDtype.INT8.resolve(dev.qcal.core.quant.Scheme.UNSIGNED));
    assertEquals(
        MxnetQuantizedDtype.UINT8,
        MxnetQuantizedDtype.SCHEME.resolve(dev.qcal.core.quant.Scheme.UNSIGNED));
    assertEquals(
        MxnetQuantizedDtype.INT8,
        MxnetQuantizedDtype.SCHEME.resolve(dev.qcal.core.quant.Scheme.SYMMETRIC));
  }
}
