package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** On grid histograms (top edge above max|x|) no method clips beyond the data. */
class GridClampTest {

  @Test
  void noMethodClipsBeyondTheDataOnAGrid() {
    SplittableRandom r = new SplittableRandom(11);
    for (int trial = 0; trial < 12; trial++) {
      float[] v = new float[4000];
      for (int i = 0; i < v.length; i++) {
        double g = r.nextGaussian();
        v[i] = (float) (trial % 3 == 0 ? Math.max(0, g) : trial % 3 == 1 ? g : g * g * g);
      }
      // A max just above a power of two puts it low in the grid's last bins: the worst case.
      v[0] = 4.0001f;
      RangeStats stats = RangeStats.of(v);
      List<Histogram> hs = new ArrayList<>();
      for (Domain d : Domain.values()) {
        HistogramSpec spec = HistogramSpec.forStats(d, stats, 2048, HistogramLayout.GRID);
        hs.add(new HistogramAccumulator().add(spec, v, 0, v.length).snapshot());
      }
      TensorStatistics ts = TensorStatistics.of(stats, hs.toArray(new Histogram[0]));
      for (QuantSpec quant : List.of(QuantSpec.symmetric(8), QuantSpec.affine(8))) {
        for (String key : Calibrators.names()) {
          Calibrator c = Calibrators.create(key);
          if (key.equals("mse:sweep") || c.domains().contains(Domain.LOG2)) {
            continue; // sweeps scale max|x| itself; log2 bins are the same in both layouts
          }
          CalibrationResult res = c.calibrate(ts, quant);
          double lo = quant.scheme().isSymmetric() ? -stats.absMax() : Math.min(stats.min(), 0);
          double hi = quant.scheme().isSymmetric() ? stats.absMax() : Math.max(stats.max(), 0);
          assertTrue(
              res.range().min() >= lo && res.range().max() <= hi,
              key + " " + quant + " trial " + trial + ": " + res + " data [" + lo + ", " + hi
                  + "]");
        }
      }
    }
  }
}
