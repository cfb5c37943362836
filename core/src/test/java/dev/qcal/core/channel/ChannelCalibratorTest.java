package dev.qcal.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.ChannelResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each channel is calibrated exactly as a tensor holding that channel's values would be: the
 * per-channel arrays equal, channel by channel, the per-tensor calibrators run on a histogram built
 * directly from the channel's values.
 */
class ChannelCalibratorTest {
  static final List<String> METHODS =
      List.of(
          "entropy",
          "max",
          "percentile@99.9",
          "percentile:nv",
          "mse",
          "mse:ppq",
          "octav",
          "coverage");

  @Test
  void eachChannelEqualsATensorOfItsValues() {
    Random r = new Random(3);
    int channels = 5;
    float[][] values = new float[channels][];
    for (int c = 0; c < channels; c++) {
      values[c] = new float[300 + 50 * c];
      for (int i = 0; i < values[c].length; i++) {
        values[c][i] =
            c == 2 ? 1.25f : (float) (r.nextGaussian() * (c + 1) + (c == 4 ? 3 : 0)); // 2 constant
      }
    }
    QuantSpec quant = QuantSpec.symmetric(8);
    ChannelCalibrator calibrator = new ChannelCalibrator(METHODS, quant);
    assertEquals(
        List.of("max", "percentile@99.9", "percentile:nv", "mse", "mse:ppq", "octav"),
        calibrator.methods());
    assertFalse(ChannelCalibrator.runsPerChannel("entropy:ort"));
    assertTrue(ChannelCalibrator.runsPerChannel("percentile:affine@99"));
    // One pass, values in slices: each channel's grid histograms grow with its data.
    ChannelGridAccumulator acc = new ChannelGridAccumulator("t", calibrator.domains(), 256);
    for (int c = 0; c < channels; c++) {
      for (int from = 0; from < values[c].length; from += 64) {
        acc.add(c, values[c], from, Math.min(values[c].length, from + 64));
      }
    }
    ChannelCalibration cc = calibrator.calibrate("t", acc.states(0));
    assertEquals(calibrator.methods(), List.copyOf(cc.results().keySet()));
    for (String method : calibrator.methods()) {
      ChannelResult result = cc.result(method).orElseThrow();
      for (int c = 0; c < channels; c++) {
        RangeStats stats = RangeStats.of(values[c]);
        List<Histogram> hs = new ArrayList<>();
        for (Domain d : calibrator.domains()) {
          hs.add(
              new HistogramAccumulator()
                  .add(
                      HistogramSpec.forStats(d, stats, 256, HistogramLayout.GRID),
                      values[c],
                      0,
                      values[c].length)
                  .snapshot());
        }
        CalibrationResult expected =
            Calibrators.create(method)
                .calibrate(TensorStatistics.of(stats, hs.toArray(new Histogram[0])), quant);
        assertEquals(expected.range(), result.range(c), method + " channel " + c);
        assertEquals(expected.params().scale(), result.scale(c), method + " channel " + c);
        assertEquals(expected.params().zeroPoint(), result.zeroPoint(c));
      }
      assertTrue(
          result.notes().containsKey("constant tensor: fell back to max") || method.equals("max"),
          method + " " + result.notes().keySet());
    }
  }
}
