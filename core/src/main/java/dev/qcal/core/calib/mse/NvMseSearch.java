package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.NumpyPairwiseSum;
import dev.qcal.core.calib.screen.Candidates;
import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.calib.screen.Screening;
import dev.qcal.core.calib.screen.TieRule;
import java.util.Arrays;

/**
 * NVIDIA's MSE candidates ({@code calib/histogram.py _compute_amax_mse}): amax = centre i for i =
 * first .. last − 1, each valued by the tool's float32 {@code mean((fq − c)² · counts)}, the first
 * index of the smallest taken ({@code np.argmin} on values that are never NaN). Screened by {@link
 * MseScreen} when asked and usable.
 *
 * <p>A search for the pick alone (no curve: the other candidates' values are not wanted) stops
 * screening a candidate as soon as a lower bound of its MSE exceeds the smallest upper bound known
 * ({@link MseScreen#interval(float, float, double, Screening)}): the clipped run settles most
 * candidates below the pick in O(log bins), the clipped run with the runs below it summed so far
 * the others below it, and the runs summed so far most of those above it. That smallest upper bound
 * starts from the candidate at the last non-empty bin (no clipping: near the pick on small tensors)
 * and every {@value #PRIME_STRIDE}-th candidate from the last down (below the pick the clipping
 * error grows, so the clipped run soon settles them). The pick's own lower bounds never exceed an
 * upper bound of any candidate's MSE, so it is never ruled out: the pick and its value are the
 * exhaustive search's. Once that bound is primed, the candidates whose clipped bins alone cost more
 * are ruled out together ({@link MseScreen#clippedFloor}): the last of them found by bisection, and
 * every one below it.
 */
final class NvMseSearch implements Candidates {
  private static final int PRIME_STRIDE = 16;
  private final float[] centres;
  private final float[] counts;
  private final int first;
  private final int count;
  private final float bound;
  private final MseScreen screen;

  /**
   * The exact evaluation's per-bin errors (the first n), taken on its first use ({@link #ERRORS}).
   */
  private float[] err;

  private final boolean pickOnly;
  private double known = Double.NaN;

  /** Candidates 0 .. this one are ruled out by {@link #clippedFloor} (−1: none). */
  private int clippedBelow = -1;

  private double clippedFloor;

  /**
   * The candidates {@code first .. last − 1} of float32 {@code centres} and {@code counts} with
   * integer bound {@code bound}; {@code screened}: whether to build the screen.
   */
  NvMseSearch(float[] centres, float[] counts, int first, int last, float bound, boolean screened) {
    this(centres, counts, first, last, bound, screened, false);
  }

  /**
   * As {@link #NvMseSearch(float[], float[], int, int, float, boolean)}; {@code pickOnly}: only the
   * pick and its value are wanted, so candidates are screened no further than needed to rule them
   * out (their intervals then have no upper bound and no middle).
   */
  NvMseSearch(
      float[] centres,
      float[] counts,
      int first,
      int last,
      float bound,
      boolean screened,
      boolean pickOnly) {
    this.pickOnly = pickOnly;
    this.centres = centres;
    this.counts = counts;
    this.first = first;
    this.count = last - first;
    this.bound = bound;
    this.screen = screened ? new MseScreen(centres, counts) : null;
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
    if (!pickOnly) {
      screen.interval(centres[first + c], bound, out);
      return;
    }
    double k = known();
    if (c <= clippedBelow && centres[first + c] > ReferenceFloat32.MIN_AMAX) {
      out.interval(clippedFloor, Double.POSITIVE_INFINITY, Double.NaN);
      return;
    }
    screen.interval(centres[first + c], bound, Math.min(limit, k), out);
    known = Math.min(known, out.hi());
  }

  /**
   * The smallest upper bound of a candidate's MSE found so far, first primed with the candidate at
   * the last non-empty bin and then every {@value #PRIME_STRIDE}-th candidate from the last down.
   */
  private double known() {
    if (Double.isNaN(known)) {
      known = Double.POSITIVE_INFINITY;
      Screening s = new Screening();
      int top = centres.length - 1;
      while (top > 0 && counts[top] == 0) {
        top--;
      }
      int start = Math.min(Math.max(top - first, 0), count - 1);
      prime(start, s);
      for (int c = count - 1; c >= 0; c -= PRIME_STRIDE) {
        if (c != start) {
          prime(c, s);
        }
      }
      ruleOutClipped();
    }
    return known;
  }

  /**
   * Finds a candidate whose {@link MseScreen#clippedFloor} exceeds the known bound, as high as a
   * bisection finds: it and every candidate below it (a smaller amax) are then ruled out with that
   * floor, without screening each (they were 86% of the screens at 20 000 small tensors, each
   * settled by its clipped run). The floor is non-increasing in the candidate up to rounding; only
   * the floor computed at the candidate found is relied on.
   */
  private void ruleOutClipped() {
    int lo = -1;
    int hi = count;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      double f = screen.clippedFloor(centres[first + mid], bound);
      if (f > known) {
        lo = mid;
        clippedFloor = f;
      } else {
        hi = mid;
      }
    }
    clippedBelow = lo;
  }

  private void prime(int c, Screening s) {
    screen.interval(centres[first + c], bound, known, s);
    known = Math.min(known, s.hi());
  }

  /**
   * The pick alone, as {@link ScreenedSearch#run} makes it of these candidates (screened for the
   * pick only): the index of the first minimum of the values evaluated exactly, every candidate
   * screened in order against the smallest upper bound so far and evaluated unless its lower bound
   * exceeds the final one, with its value. The same steps without the driver's per-candidate arrays
   * (a fifth of the pick's CPU at 20 000 small tensors, JFR) and with a profile of its own: the
   * driver's call sites, shared with the entropy searches, were compiled by C2 again and again as
   * the two kinds of candidates took turns.
   */
  Pick pick() {
    if (!screenable() && centres.length <= ShortPairwiseSum.MAX_LENGTH) {
      return exhaustive();
    }
    double[] lo = LOWER_BOUNDS.room(count); // each written before it is read
    double limit = Double.POSITIVE_INFINITY;
    if (screenable()) {
      Screening s = new Screening();
      for (int c = 0; c < count; c++) {
        screen(c, limit, s); // always an interval: this screen never knows a value
        lo[c] = s.lo();
        limit = Math.min(limit, s.hi());
      }
    } else {
      Arrays.fill(lo, 0, count, Double.NEGATIVE_INFINITY);
    }
    int best = -1;
    double min = Double.NaN;
    for (int c = 0; c < count; c++) {
      if (!(lo[c] > limit)) { // NaN-safe: an unknown bound is evaluated
        double v = exact(c);
        if (best < 0 || v < min) { // TieRule.FIRST_MINIMUM
          best = c;
          min = v;
        }
      }
    }
    return best < 0 ? new Pick(0, exact(0)) : new Pick(best, min);
  }

  /** The lower bounds of the thread's last {@link #pick}, which the next one takes over. */
  private static final ThreadArray<double[]> LOWER_BOUNDS =
      new ThreadArray<>(double[]::new, a -> a.length, 1 << 16);

  /**
   * The pick of an unscreened search (a histogram of fewer than {@link
   * NvMseCalibrator#SCREEN_MIN_BINS} bins: a channel's, and a per-channel run searches thousands):
   * what {@link #pick}'s general loop gives when no bound is known, the first minimum of every
   * candidate's exact value. The candidates are taken from the last down (a tie then goes to the
   * lower index, as the first minimum does), and the loop stops at the first one whose {@link
   * #clippedFloor} exceeds the smallest value found: that floor holds at every smaller amax, so
   * neither it nor any candidate below it can be a minimum (each was tested on its own before, an
   * O(bins) floor per candidate below the pick: the 12 800 channels of a 50-tensor weight dump took
   * 0.34 s of a warm thread's CPU with those floors, 0.25 s with the stop, harness medians). A loop
   * of its own whose sum is {@link ShortPairwiseSum}'s: C2 compiled the general path with numpy's
   * recursive sum inlined level by level, on-stack and again whole (0.5 s of compilation in a run
   * of 12 800 channels, JFR {@code jdk.Compilation}).
   */
  private Pick exhaustive() {
    int n = centres.length;
    float[] e = new float[n];
    ShortPairwiseSum sum = ShortPairwiseSum.of(n);
    int[] occupied = occupied();
    // From the last candidate down, so that a tie goes to the lower index (v <= min).
    int best = count - 1;
    float min = mse(centres[first + best], e, occupied, sum);
    // Whether the last candidate valued lies above the minimum: only then is a floor tried (a
    // floor never exceeds the candidate's value, so one after a new minimum, where the values
    // still fall, seldom rules it out: 15% fewer floors over those channels).
    boolean rising = false;
    for (int c = count - 2; c >= 0; c--) {
      float amax = centres[first + c];
      if (rising && amax > ReferenceFloat32.MIN_AMAX && clippedFloor(amax, e, sum) > min) {
        break;
      }
      float v = mse(amax, e, occupied, sum);
      rising = v > min;
      if (!rising) {
        best = c;
        min = v;
      }
    }
    return new Pick(best, min);
  }

  /**
   * A lower bound of {@link #mse(float)} at {@code amax} and at every smaller amax: the same
   * float32 sum with only the terms of the bins whose centre is at or above the top level's value v
   * = fl(bound / scale), each exact, and the others 0. Every term is non-negative and IEEE addition
   * is monotone in each operand, so the sum of a subset (zeros elsewhere, which leave numpy's
   * partial sums unchanged) never exceeds the full sum. Those bins are clamped at amax (c·scale ≥
   * v·scale rounds to at least bound − ½) and at every smaller amax (a larger scale), where the top
   * level's value v' ≤ v lies no nearer to their centres, and an amax of at most 2^-24 quantizes
   * them to 0, farther still; every rounding is monotone, so each of their terms is at least the
   * one here (as {@link MseScreen#clippedFloor}; the bins clamped from half a step below v are left
   * out, since a smaller v' may err less on them). They are a suffix (the centres ascend), found by
   * bisection, and their terms need no division each: the candidates that clip too much are ruled
   * out together in a fraction of an evaluation.
   */
  private float clippedFloor(float amax, float[] e, ShortPairwiseSum sum) {
    int n = centres.length;
    float top = bound / (bound / amax); // fl(bound / scale), the tool's value of the top level
    // The first bin at or above top: lo is below it (or -1), hi is not (or n).
    int lo = -1;
    int hi = n;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (centres[mid] >= top) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    Arrays.fill(e, 0, hi, 0f);
    for (int j = hi; j < n; j++) {
      float d = top - centres[j];
      e[j] = d * d * counts[j];
    }
    return (0f + sum.sum(e)) / n;
  }

  /**
   * {@link #mse(float)} into {@code e}, summed by {@code sum} (numpy's order for the same n): the
   * terms of the {@link #occupied} bins only, when not null (the others' +0 are in {@code e}
   * already: every writer of {@code e} puts +0 there), else of every bin.
   */
  private float mse(float amax, float[] e, int[] occupied, ShortPairwiseSum sum) {
    if (occupied == null || amax <= ReferenceFloat32.MIN_AMAX) {
      squaredErrors(amax, e);
    } else {
      ReferenceFloat32.fakeQuantSquaredErrors(centres, counts, bound / amax, bound, e, occupied);
    }
    return (0f + sum.sum(e)) / centres.length;
  }

  /**
   * The indices of the non-empty bins, or null when every bin is: an empty bin's term is +0 at
   * every amax when every centre is non-negative and below 2^60 (then fq, within amax of 0, and c
   * are too, so (fq − c)² is finite and its product with a count of +0 is +0); else null, and every
   * term is computed. A channel's bins are 29% empty (12 800 channels of a weight dump: 133 of 187
   * bins non-empty on average), and an evaluation costs about as much per bin as it holds.
   */
  private int[] occupied() {
    int n = centres.length;
    int[] bins = new int[n];
    int m = 0;
    boolean bounded = true;
    for (int j = 0; j < n; j++) {
      float c = centres[j];
      bounded &= c >= 0 && c < 0x1p60f;
      if (counts[j] != 0) {
        bins[m++] = j;
      }
    }
    return bounded && m < n ? Arrays.copyOf(bins, m) : null;
  }

  /**
   * Each bin's float32 (fq(c) − c)² · count at {@code amax} into the first n of {@code e}: every
   * centre quantized to 0 at an amax of at most {@link ReferenceFloat32#MIN_AMAX}.
   */
  private void squaredErrors(float amax, float[] e) {
    if (amax <= ReferenceFloat32.MIN_AMAX) {
      for (int j = 0; j < centres.length; j++) {
        float d = centres[j];
        e[j] = d * d * counts[j];
      }
    } else {
      ReferenceFloat32.fakeQuantSquaredErrors(centres, counts, bound / amax, bound, e);
    }
  }

  /** A pick and its value. */
  record Pick(int index, double value) {}

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
    if (err == null) {
      err = ERRORS.room(n);
    }
    squaredErrors(amax, err);
    return (0f + NumpyPairwiseSum.sum(err, 0, n)) / n; // ReferenceFloat32.sum of the first n
  }

  /**
   * The per-bin errors of the thread's last exact evaluations, which the next search takes over
   * (each evaluation writes the first n before summing them).
   */
  private static final ThreadArray<float[]> ERRORS =
      new ThreadArray<>(float[]::new, a -> a.length, 1 << 16);
}
