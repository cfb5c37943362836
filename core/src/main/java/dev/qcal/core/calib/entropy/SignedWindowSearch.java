package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.screen.Candidates;
import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.calib.screen.Screening;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * The candidates i = nq/2 .. lastI, window [n/2 − i, n/2 + i + 1), of the signed-window KL family
 * (docs/design/algorithms.md §4.4), valued as {@link CppKlWindow} or {@link NumpyKlWindow} does and
 * screened in O(1), then O(groups) (docs/design/entropy-screens.md §1, §3, §4).
 */
abstract class SignedWindowSearch implements Candidates {
  /** The smoothing epsilon of every tool of the family ({@code eps=0.0001}), in float32. */
  static final float EPS = 1e-4f;

  final int n;
  final int nq;
  final int zero;
  final int lastI;
  final GroupClassSums.Tool tool;
  // The counts as the tool holds them, as floats, their prefix sums and non-zero bin counts.
  final long[] counts;
  final float[] hf;
  final long[] prefix;
  final int[] nonzeroPrefix;
  final boolean nonNegative;
  final KlScreen screen;
  // The interior groups' sums in O(1), null where they do not apply.
  final GroupClassSums classes;
  // Quirks hit: a numpy tool's {@code assert eps1 < 1.0} failed, a C++ tool's count type changed
  // a count.
  boolean assertionFailed;
  boolean countsAltered;
  // The KL where prepare fails: +Inf (SmoothDistribution's empty, ORT's None), MXNet 1.5's NaN.
  double special = Double.POSITIVE_INFINITY;
  // The prepared candidate: P's folded ends, P's smoothing shift (subtracted), the number of
  // groups it puts into the screen; its smoothed P and Q (see smooth).
  float p0;
  float pLast;
  float eP;
  int groups;
  final float[] ps;
  final float[] qs;

  /** The search of {@code nq} quantized bins on {@code counts} up to {@code lastI}. */
  SignedWindowSearch(long[] counts, int nq, int lastI, GroupClassSums.Tool tool) {
    this.n = counts.length;
    this.nq = nq;
    this.zero = n / 2;
    this.lastI = lastI;
    this.tool = tool;
    this.counts = counts;
    this.hf = new float[n];
    this.prefix = new long[n + 1];
    this.nonzeroPrefix = new int[n + 1];
    boolean nonNegative = true;
    for (int j = 0; j < n; j++) {
      hf[j] = counts[j];
      prefix[j + 1] = prefix[j] + counts[j];
      nonzeroPrefix[j + 1] = nonzeroPrefix[j] + (counts[j] != 0 ? 1 : 0);
      nonNegative &= counts[j] >= 0;
    }
    this.nonNegative = nonNegative;
    this.ps = new float[n + 1];
    this.qs = new float[n + 1];
    this.screen = new KlScreen(hf, nq + 1); // ORT's remainder is a group of its own
    // The class sums need every group sum in the tool's type: int32 but for ORT's int64.
    boolean fits =
        nonNegative && (tool == GroupClassSums.Tool.ORT || prefix[n] < Integer.MAX_VALUE);
    this.classes = fits && screen.usable() ? new GroupClassSums(prefix, nonzeroPrefix, tool) : null;
  }

  /** The O(nq) part of c (folds, Q values, shifts); false when {@link #special} decides its KL. */
  abstract boolean prepare(int c);

  /**
   * Candidate c's KL, bin by bin as the tool computes it: {@link #prepare}d, smoothed from its
   * groups ({@link #smooth}), then the tool's formula ({@link #kl}).
   */
  @Override
  public double exact(int c) {
    if (!prepare(c)) {
      return special;
    }
    int len = end(c) - start(c);
    smooth(start(c), len);
    return kl(len);
  }

  /** The tool's float32 KL of the {@link #smooth}ed P and Q of a window of len. */
  abstract double kl(int len);

  /** Loads the {@link #prepare}d candidate c into the screen; false when it does not apply. */
  boolean load(int c) {
    return screen.load(start(c), end(c) - start(c), groups, p0, pLast, eP);
  }

  /**
   * The prepared candidate's smoothed P and Q into {@link #ps}, {@link #qs} from its groups in the
   * screen: a zero P (ends folded) is EPS, any other less {@link #eP}; Q is its group's for a zero
   * or a non-zero P.
   */
  void smooth(int start, int len) {
    for (int g = 0; g < groups; g++) {
      float qNz = (float) screen.qNz[g];
      float qZ = (float) screen.qZ[g];
      for (int k = screen.groupStart[g], end = screen.groupEnd[g]; k < end; k++) {
        float p = k == 0 ? p0 : k == len - 1 ? pLast : hf[start + k];
        ps[k] = p == 0f ? EPS : p - eP;
        qs[k] = p == 0f ? qZ : qNz;
      }
    }
  }

  /** Loads c's totals in O(1) ({@link KlClosedForm#addClasses}); false if that does not apply. */
  abstract boolean loadClasses(int c, double limit);

  /** The loaded c's interval into {@code out}; true when the quick bound settled it. */
  abstract boolean interval(int c, double limit, Screening out);

  /** The last candidate the C++ tools and MXNet 1.5 evaluate: {@code zero + i + 1 ≤ n}. */
  static int lastCandidate(int binCount) {
    int zero = binCount / 2;
    return Math.min(zero, binCount - 1 - zero);
  }

  @Override
  public int count() {
    return Math.max(0, lastI - nq / 2 + 1);
  }

  int start(int c) {
    return zero - (nq / 2 + c);
  }

  /** Candidate c's window end (exclusive), {@code zero + i + 1}. */
  int end(int c) {
    return zero + nq / 2 + c + 1;
  }

  @Override
  public boolean screenable() {
    return screen.usable();
  }

  /** The O(groups) screen (the O(1) one settles nothing without a limit). */
  @Override
  public void seed(int c, Screening out) {
    if (prepare(c) && load(c)) {
      interval(c, Double.POSITIVE_INFINITY, out);
    } else {
      out.unknown();
    }
  }

  @Override
  public void screen(int c, double limit, Screening out) {
    if (classScreen(c, limit, out)) {
      return;
    }
    if (!prepare(c)) {
      out.exact(special);
    } else if (!load(c)) {
      out.evaluate();
    } else {
      interval(c, limit, out);
    }
  }

  /** The O(1) screen of c: true when it settles c above {@code limit} (interval in {@code out}). */
  boolean classScreen(int c, double limit, Screening out) {
    return classes != null && loadClasses(c, limit) && interval(c, limit, out);
  }

  /** Tabulates the class sums of width m for every window of the candidates with this m. */
  void tabulate(int c, int m) {
    if (classes.width() == m) {
      return;
    }
    int last = c;
    while (nq / 2 + last + 1 <= lastI && (end(last + 1) - start(last + 1)) / nq == m) {
      last++;
    }
    classes.width(m, start(last) + m, start(c) + (nq - 2) * m);
  }

  /** Group j's end in a window of len cut by m: the last takes the remainder, but not for ORT. */
  int groupEnd(int j, int len, int m) {
    return j < nq - 1 ? (j + 1) * m : tool == GroupClassSums.Tool.ORT ? nq * m : len;
  }

  /** Non-zero P in positions [a, b) of window [start, start + len) with folded ends p0, pLast. */
  int nonzeros(int start, int len, int a, int b) {
    int last = len - 1;
    int lo = Math.max(a, 1);
    int hi = Math.min(b, last);
    int nz = hi > lo ? nonzeroPrefix[start + hi] - nonzeroPrefix[start + lo] : 0;
    if (a == 0 && b > 0 && p0 != 0f) {
      nz++;
    }
    if (b == len && last > 0 && pLast != 0f) {
      nz++;
    }
    return nz;
  }

  /** Runs the screened search on {@code h}, the histogram this search was built from. */
  Result run(Histogram h) {
    ScreenedSearch.Outcome o = ScreenedSearch.run(this);
    double[] thresholds = new double[o.count()];
    for (int c = 0; c < thresholds.length; c++) {
      thresholds[c] = h.edge(end(c));
    }
    boolean any = o.count() > 0;
    return new Result(
        n,
        nq,
        thresholds,
        o.values(),
        o.best(),
        any ? start(o.best()) : 0,
        any ? end(o.best()) : n,
        assertionFailed,
        countsAltered);
  }

  /** A search's outcome on n bins: thresholds (window upper edges), the pick, quirks hit. */
  record Result(
      int n,
      int nq,
      double[] thresholds,
      double[] kl,
      int best,
      int start,
      int end,
      boolean assertionFailed,
      boolean countsAltered) {
    int count() {
      return thresholds.length;
    }

    /** The pick's KL (NaN when there is no candidate). */
    double objective() {
      return count() > 0 ? kl[best] : Double.NaN;
    }

    /** A result for {@code range} with the pick's objective and the {@code kl} curve, if any. */
    private CalibrationResult.Builder curve(String method, ClipRange range, QuantSpec quant) {
      return count() == 0
          ? CalibrationResult.builder(method, range, quant)
          : KlCurve.result(method, range, quant, thresholds, kl, best);
    }

    /** {@link #curve}, and without a candidate the note: the tool fails, qcal took instead. */
    CalibrationResult.Builder builder(
        String method, ClipRange range, QuantSpec quant, String fails, String instead) {
      CalibrationResult.Builder b = curve(method, range, quant);
      return count() > 0 ? b : b.note(noCandidate(fails, instead));
    }

    /** {@link #curve} for a C++ tool with the notes of the quirks hit, {@code countsNote} one. */
    CalibrationResult.Builder cppBuilder(
        String method, ClipRange range, QuantSpec quant, String tool, String countsNote) {
      CalibrationResult.Builder b = curve(method, range, quant);
      if (n % 2 == 0) {
        b.note(String.format(EVEN_BINS_NOTE, "the tool reads past the edges for"));
      }
      if (countsAltered) {
        b.note(countsNote);
      }
      if (objective() == Double.POSITIVE_INFINITY) {
        b.note(
            "every candidate has KL = +Inf (all-zero Q): the first candidate was chosen, as the"
                + " tool does");
      }
      return count() > 0 ? b : b.note(noCandidate(tool + " fails", "the whole histogram"));
    }

    private String noCandidate(String fails, String instead) {
      return String.format(
          "histogram of %d bins has no candidate for %d quantized bins (%s): fell back to %s",
          n, nq, fails, instead);
    }
  }

  /** The note of an even bin count (the C++ tools and MXNet 1.5). */
  static final String EVEN_BINS_NOTE =
      "even bin count: windows are [-i*w, (i+1)*w) and the last candidate (i = n/2), which"
          + " %s, is skipped";

  /** Checks a number of quantized bins. */
  static int checkQuantizedBins(int nq) {
    if (nq < 2 || nq > (1 << 20)) {
      throw new IllegalArgumentException(
          "Cannot build a KL calibrator: the number of quantized bins must be in [2, 2^20] ("
              + nq
              + ")");
    }
    return nq;
  }
}
