package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bulk squared-error loop against the per-value fake quantization, bit for bit. */
class ReferenceFloat32Test {
  @Test
  void bulkSquaredErrorsEqualThePerValueFormBitForBit() {
    SplittableRandom r = new SplittableRandom(3);
    int n = 512;
    float[] x = new float[n];
    float[] counts = new float[n];
    float[] err = new float[n];
    float[] bounds = {1f, 7f, 127f, 255f, 32767f};
    for (int t = 0; t < 4000; t++) {
      float scale = (float) Math.exp(r.nextDouble(-40, 40));
      float bound = bounds[t % bounds.length];
      for (int j = 0; j < n; j++) {
        switch (j % 4) {
          case 0: // exact halves of the grid: ties must round to even as rint does
            x[j] = (float) ((r.nextInt(4 * (int) bound + 1) - 2 * bound) * 0.5) / scale;
            break;
          case 1:
            x[j] = (float) (r.nextGaussian() * bound / scale);
            break;
          case 2:
            x[j] = Float.intBitsToFloat(r.nextInt()); // any float: tiny, huge, ±Inf, NaN
            break;
          default:
            x[j] = (float) (r.nextGaussian() * 1e9 / scale);
            break;
        }
        counts[j] = r.nextInt(4);
      }
      x[0] = -0f;
      x[1] = 0f;
      x[2] = Float.MIN_VALUE;
      x[3] = -Float.MIN_VALUE;
      x[4] = 0x1p23f / scale;
      x[5] = -(0x1p24f - 1) / scale;
      x[6] = 2.5f / scale; // a tie: rint gives 2
      x[7] = -3.5f / scale; // a tie: rint gives -4
      ReferenceFloat32.fakeQuantSquaredErrors(x, counts, scale, bound, err);
      for (int j = 0; j < n; j++) {
        float d = ReferenceFloat32.fakeQuant(x[j], scale, bound) - x[j];
        float expected = d * d * counts[j];
        assertEquals(
            Float.floatToIntBits(expected),
            Float.floatToIntBits(err[j]), // NaN payloads may differ
            () -> "x=" + x[0] + " scale=" + scale);
      }
    }
  }

  @Test
  void listedBinsGetTheBulkTermsAndTheOthersStay() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 200;
    float[] x = new float[n];
    float[] counts = new float[n];
    float[] all = new float[n];
    float[] some = new float[n];
    for (int t = 0; t < 500; t++) {
      float scale = (float) Math.exp(r.nextDouble(-20, 20));
      for (int j = 0; j < n; j++) {
        x[j] = (float) (r.nextDouble() * 300 / scale);
        counts[j] = r.nextInt(3) == 0 ? 0 : r.nextInt(1000);
      }
      int[] bins = new int[n];
      int m = 0;
      for (int j = 0; j < n; j++) {
        if (counts[j] != 0) {
          bins[m++] = j;
        }
      }
      int[] listed = java.util.Arrays.copyOf(bins, m);
      java.util.Arrays.fill(some, -1f);
      ReferenceFloat32.fakeQuantSquaredErrors(x, counts, scale, 127f, all);
      ReferenceFloat32.fakeQuantSquaredErrors(x, counts, scale, 127f, some, listed);
      for (int j = 0; j < n; j++) {
        float expected = counts[j] != 0 ? all[j] : -1f;
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(some[j]), "bin " + j);
      }
    }
  }
}
