package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.screen.Candidates;
import dev.qcal.core.calib.screen.Screening;
import dev.qcal.core.calib.screen.TieRule;

/**
 * NVIDIA's MSE candidates ({@code calib/histogram.py _compute_amax_mse}): amax = centre i for i =
 * first .. last − 1, each valued by the tool's float32 {@code mean((fq − c)² · counts)}, the first
 * index of the smallest taken ({@code np.argmin} on values that are never NaN). Screened by {@link
 * MseScreen} when asked and usable.
 */
final class NvMseSearch implements Candidates {
  private final float[] centres;
  private final float[] counts;
  private final int first;
  private final int count;
  private final float bound;
  private final MseScreen screen;
  private final float[] err;

  /**
   * The candidates {@code first .. last − 1} of float32 {@code centres} and {@code counts} with
   * integer bound {@code bound}; {@code screened}: whether to build the screen.
   */
  NvMseSearch(float[] centres, float[] counts, int first, int last, float bound, boolean screened) {
    this.centres = centres;
    this.counts = counts;
    this.first = first;
    this.count = last - first;
    this.bound = bound;
    this.screen = screened ? new MseScreen(centres, counts) : null;
    this.err = new float[centres.length];
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public boolean screenable() {
    return screen != null && screen.usable();
  }

  @Override
  public void screen(int c, double limit, Screening out) {
    screen.interval(centres[first + c], bound, out);
  }

  @Override
  public double exact(int c) {
    return mse(centres[first + c]);
  }

  @Override
  public TieRule tieRule() {
    return TieRule.FIRST_MINIMUM;
  }

  /** mean((fq(c) − c)² · counts) in float32 at one amax. */
  private float mse(float amax) {
    int n = centres.length;
    if (amax <= ReferenceFloat32.MIN_AMAX) {
      for (int j = 0; j < n; j++) {
        float d = centres[j];
        err[j] = d * d * counts[j];
      }
    } else {
      ReferenceFloat32.fakeQuantSquaredErrors(centres, counts, bound / amax, bound, err);
    }
    return ReferenceFloat32.sum(err) / n;
  }
}
