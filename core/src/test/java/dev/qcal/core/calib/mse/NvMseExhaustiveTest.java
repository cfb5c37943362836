package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.screen.ScreenedSearch;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pick of an unscreened {@link NvMseSearch} (a histogram of fewer than 256 bins: its own loop,
 * candidates ruled out by their clamped bins) against the driver's exhaustive search of the same
 * candidates: the same index and the same float32 value, on grid-like histograms of every size a
 * channel has, with empty bins (or none), ties, jagged values, huge counts and tiny and huge
 * centres.
 */
class NvMseExhaustiveTest {
  @Test
  void samePickAndValueAsEveryCandidateEvaluated() {
    Random r = new Random(7);
    float[] bounds = {1f, 7f, 127f, 255f, 32767f};
    for (int trial = 0; trial < 3000; trial++) {
      int n = 2 + r.nextInt(254);
      // Centres up to 2^80: from 2^60 on, the empty bins' terms are computed too.
      float width = (float) Math.scalb(1.0, r.nextInt(80) - 40);
      float[] centres = new float[n];
      float[] counts = new float[n];
      int shape = r.nextInt(6);
      for (int j = 0; j < n; j++) {
        centres[j] = (j + 0.5f) * width;
        double x = (j + 0.5) / n;
        double c;
        switch (shape) {
          case 0: // a Gaussian's |x|
            c = 1e4 * Math.exp(-8 * x * x);
            break;
          case 1: // a heavy tail with outliers
            c = 1e6 / ((j + 1.0) * (j + 1.0)) + (r.nextInt(50) == 0 ? 3 : 0);
            break;
          case 2: // sparse: most bins empty
            c = r.nextInt(5) == 0 ? r.nextInt(1000) : 0;
            break;
          case 3: // flat, where candidates tie
            c = 64;
            break;
          case 4: // jagged: the values rise and fall from one candidate to the next
            c = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(200) * (1 - x);
            break;
          default: // no empty bin
            c = 1 + 500 * Math.exp(-3 * x);
        }
        counts[j] = (float) Math.floor(c);
      }
      if (r.nextBoolean()) {
        counts[n - 1] = 1 + r.nextInt(3);
      }
      int first = n - 1 <= 128 ? 0 : 128;
      int last = Math.max(first + 1, n - 1);
      float bound = bounds[r.nextInt(bounds.length)];
      NvMseSearch.Pick pick =
          new NvMseSearch(centres, counts, first, last, bound, false, true).pick();
      ScreenedSearch.Outcome all =
          ScreenedSearch.exhaustive(new NvMseSearch(centres, counts, first, last, bound, false));
      String at = "trial " + trial + ", " + n + " bins, bound " + bound + ", width " + width;
      assertEquals(all.best(), pick.index(), at);
      assertEquals(
          Double.doubleToLongBits(all.value(all.best())),
          Double.doubleToLongBits(pick.value()),
          at);
    }
  }
}
