package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.calib.NumpyPairwiseSum;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ShortPairwiseSum} against numpy's recursive sum ({@link NumpyPairwiseSum}), bit for bit.
 */
class ShortPairwiseSumTest {
  @Test
  void everyLengthMatchesNumpysOrder() {
    Random r = new Random(13);
    for (int n = 0; n <= ShortPairwiseSum.MAX_LENGTH; n++) {
      ShortPairwiseSum sum = ShortPairwiseSum.of(n);
      for (int trial = 0; trial < 20; trial++) {
        // Magnitudes spread over many octaves, so that the order of the additions shows.
        float[] a = new float[n + trial % 3];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) (Math.scalb(r.nextDouble(), r.nextInt(40) - 20));
        }
        assertEquals(
            Float.floatToIntBits(NumpyPairwiseSum.sum(a, 0, n)),
            Float.floatToIntBits(sum.sum(a)),
            "n = " + n);
      }
    }
  }

  @Test
  void refusesLongerArrays() {
    assertThrows(IllegalArgumentException.class, () -> ShortPairwiseSum.of(256));
    assertThrows(IllegalArgumentException.class, () -> ShortPairwiseSum.of(-1));
    assertThrows(
        IllegalArgumentException.class, () -> ShortPairwiseSum.of(200).sum(new float[199]));
  }
}
