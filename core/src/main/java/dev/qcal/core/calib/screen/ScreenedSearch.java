package dev.qcal.core.calib.screen;

/**
 * The screened search: a tool's pick among its {@link Candidates}, evaluating exactly only the
 * candidates that could be that pick.
 *
 * <ol>
 *   <li>Every {@value #SEED_STRIDE}-th candidate is {@link Candidates#seed}ed first: the smallest
 *       upper bound seeds the limit, so that a screen's quick bound settles most candidates from
 *       the first one on.
 *   <li>Each candidate in order is screened against the current limit: a known value is kept; a
 *       candidate the screen does not apply to is evaluated at once and its value tightens the
 *       limit; an interval's upper bound tightens the limit, and the middle of the interval stands
 *       for the value.
 *   <li>Every candidate whose lower bound does not exceed the final limit (an unknown interval
 *       never does) is evaluated exactly.
 *   <li>The tool's {@link TieRule} picks among the exact values. A candidate left out lies strictly
 *       above the limit, and the limit is at least the value of an evaluated candidate (the one
 *       whose bound set it: its lower bound is below), so the left-out one could be no minimum,
 *       first or last (nor a NaN, which no interval holds): the pick and its value are those of
 *       {@link #exhaustive}, bit for bit (for {@link TieRule#FIRST_MINIMUM}, on values that are
 *       never NaN).
 * </ol>
 */
public final class ScreenedSearch {
  /** One candidate in this many is {@link Candidates#seed}ed before the main pass. */
  public static final int SEED_STRIDE = 16;

  private ScreenedSearch() {}

  /** The screened search, or {@link #exhaustive} when the candidates are not screenable. */
  public static Outcome run(Candidates candidates) {
    if (!candidates.screenable()) {
      return exhaustive(candidates);
    }
    int count = candidates.count();
    Outcome o = new Outcome(count);
    Screening s = new Screening();
    double limit = Double.POSITIVE_INFINITY;
    for (int c = SEED_STRIDE / 2; c < count; c += SEED_STRIDE) {
      candidates.seed(c, s);
      if (s.kind() == Screening.Kind.INTERVAL) {
        limit = Math.min(limit, s.hi());
      }
    }
    for (int c = 0; c < count; c++) {
      candidates.screen(c, limit, s);
      switch (s.kind()) {
        case EXACT:
          o.exact(c, s.value());
          break;
        case EVALUATE:
          o.exact(c, candidates.exact(c));
          limit = Math.min(limit, o.values[c]);
          break;
        default:
          o.screened[c] = true;
          o.lo[c] = s.lo();
          o.hi[c] = s.hi();
          o.values[c] = (float) s.estimate();
          limit = Math.min(limit, s.hi());
      }
    }
    for (int c = 0; c < count; c++) {
      // Not exact: screened to an interval above. NaN-safe: an unknown bound is evaluated.
      if (!o.exact[c] && !(o.lo[c] > limit)) {
        o.exact(c, candidates.exact(c));
        o.recomputed++;
      }
    }
    o.best = candidates.tieRule().pick(o.values, o.exact, count);
    return o;
  }

  /** Every candidate evaluated exactly, and the tool's pick: the reference of {@link #run}. */
  public static Outcome exhaustive(Candidates candidates) {
    int count = candidates.count();
    Outcome o = new Outcome(count);
    for (int c = 0; c < count; c++) {
      o.exact(c, candidates.exact(c));
    }
    o.best = candidates.tieRule().pick(o.values, o.exact, count);
    return o;
  }

  /**
   * The result of a search: the pick, and per candidate its value (exact, or the middle of its
   * interval rounded to float) and its interval (NaN where the screen gave none).
   */
  public static final class Outcome {
    private final double[] values;
    private final boolean[] exact;
    // Whether candidate c was screened to an interval: lo and hi are set only there (a NaN fill
    // of both per search was a visible share of the entropy pick at 20 000 small tensors, JFR).
    private final boolean[] screened;
    private final double[] lo;
    private final double[] hi;
    private int best;
    private int recomputed;

    private Outcome(int count) {
      values = new double[count];
      exact = new boolean[count];
      screened = new boolean[count];
      lo = new double[count];
      hi = new double[count];
    }

    private void exact(int c, double v) {
      values[c] = v;
      exact[c] = true;
    }

    /** The number of candidates. */
    public int count() {
      return values.length;
    }

    /** The index of the tool's pick (0 when there is no candidate). */
    public int best() {
      return best;
    }

    /** Candidate {@code c}'s value: exact when {@link #isExact}, else its interval's middle. */
    public double value(int c) {
      return values[c];
    }

    /** Every candidate's {@link #value}, a copy. */
    public double[] values() {
      return values.clone();
    }

    /** Whether candidate {@code c} was evaluated the tool's way. */
    public boolean isExact(int c) {
      return exact[c];
    }

    /** The lower bound of candidate {@code c}'s interval (NaN when it was not screened so). */
    public double lo(int c) {
      return screened[c] ? lo[c] : Double.NaN;
    }

    /** The upper bound of candidate {@code c}'s interval (NaN when it was not screened so). */
    public double hi(int c) {
      return screened[c] ? hi[c] : Double.NaN;
    }

    /** How many screened candidates could not be ruled out and were evaluated afterwards. */
    public int recomputed() {
      return recomputed;
    }
  }
}
