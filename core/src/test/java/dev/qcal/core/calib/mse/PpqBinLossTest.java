package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The batched losses of the grids of one start are {@link PpqBinLoss#loss}'s values bit for bit:
 * random histograms (dense, sparse, spiky, with empty bins), starts below, inside and beyond the
 * bins, steps with table codes and beyond them (steps above 16), ends inside and past the bins.
 */
class PpqBinLossTest {
  @Test
  void batchedLossesAreTheSingleLoss() {
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 300; trial++) {
      int n = 16 + r.nextInt(3000);
      double[] counts = new double[n];
      double total = 0;
      int shape = trial % 4;
      for (int j = 0; j < n; j++) {
        double x = (j - n / 2.0) / (n / 8.0);
        long c;
        switch (shape) {
          case 0:
            c = (long) (1e4 * Math.exp(-x * x / 2) * r.nextDouble());
            break;
          case 1: // sparse
            c = r.nextInt(10) == 0 ? 1 + r.nextInt(1000) : 0;
            break;
          case 2: // a spike and a tail
            c = j == n / 2 ? 1_000_000 : r.nextInt(5);
            break;
          default:
            c = 1L + r.nextInt(1 << 20);
        }
        counts[j] = c;
        total += c;
      }
      if (total == 0) {
        counts[0] = 1;
        total = 1;
      }
      PpqBinLoss.Table table = new PpqBinLoss.Table(counts, total, 1 + r.nextInt(16));
      int start = r.nextInt(n + 10);
      int count = 1 + r.nextInt(12);
      int[] steps = new int[count];
      int[] ends = new int[count];
      for (int k = 0; k < count; k++) {
        steps[k] = 1 + r.nextInt(trial % 5 == 0 ? 40 : 9);
        ends[k] = start + (1 + r.nextInt(300)) * steps[k];
      }
      double[] out = new double[count];
      PpqBinLoss.losses(counts, total, table, start, steps, ends, count, out);
      for (int k = 0; k < count; k++) {
        double single = PpqBinLoss.loss(counts, total, start, steps[k], ends[k]);
        assertEquals(
            Double.doubleToLongBits(single),
            Double.doubleToLongBits(out[k]),
            "trial " + trial + " start " + start + " step " + steps[k] + " end " + ends[k]);
      }
    }
  }
}
