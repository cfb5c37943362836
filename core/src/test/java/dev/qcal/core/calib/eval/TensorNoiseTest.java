package dev.qcal.core.calib.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One tensor's shared measures are each method's own measure, bit for bit, in any order. */
class TensorNoiseTest {
  private static final double[] ABS_EDGES = {0, 0.3, 0.7, 1.1, 1.9, 2.6};
  private static final double[] SIGNED_EDGES = {-2.6, -1.1, -0.2, 0.4, 1.3, 2.6};

  @Test
  void sharedMeasuresAreEachMethodsOwn() {
    RangeStats data = RangeStats.of(40, 0, 0, 0, -2.2f, 2.45f);
    TensorStatistics stats =
        TensorStatistics.of(
            data,
            Histogram.withEdges(Domain.ABSOLUTE, ABS_EDGES, new long[] {7, 0, 13, 11, 9}),
            Histogram.withEdges(Domain.SIGNED, SIGNED_EDGES, new long[] {3, 9, 0, 17, 11}));
    List<CalibrationResult> results =
        List.of(
            result(0.9, QuantSpec.symmetric(8)),
            result(2.45, QuantSpec.symmetric(4)),
            result(1.7, QuantSpec.affine(8)), // another scheme: the signed histogram
            result(1.3, QuantSpec.symmetric(3)),
            result(0.0, QuantSpec.symmetric(8)));
    TensorNoise noise = new TensorNoise(stats);
    for (CalibrationResult r : results) {
      QuantNoise own = QuantNoise.of(stats, r);
      QuantNoise shared = noise.of(r);
      assertEquals(Double.doubleToRawLongBits(own.mse()), Double.doubleToRawLongBits(shared.mse()));
      assertEquals(
          Double.doubleToRawLongBits(own.signalPower()),
          Double.doubleToRawLongBits(shared.signalPower()));
    }
  }

  @Test
  void withoutAHistogramItIsUnknown() {
    TensorStatistics stats = TensorStatistics.of(RangeStats.of(4, 0, 0, 0, -1f, 1f));
    assertEquals(QuantNoise.UNKNOWN, new TensorNoise(stats).of(result(1, QuantSpec.symmetric(8))));
  }

  private static CalibrationResult result(double amax, QuantSpec quant) {
    return CalibrationResult.builder("m", ClipRange.symmetric(amax), quant).build();
  }
}
