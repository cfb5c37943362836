package dev.qcal.core.calib.screen;

/**
 * One tool's candidate search as {@link ScreenedSearch} drives it: how many candidates, a screen
 * for each (a rigorous interval, or the value where the tool's special cases decide it), each one's
 * exact value as the tool computes it, and the tool's rule for the minimum.
 *
 * <p>Implementations keep per-candidate scratch space, so they are not thread-safe: one instance
 * per search.
 */
public interface Candidates {
  /** The number of candidates, indexed from 0 in the tool's order. */
  int count();

  /**
   * Whether {@link #screen} applies to this input at all; when false every candidate is evaluated
   * exactly (for example counts the closed form does not cover, or too few bins to pay).
   */
  boolean screenable();

  /**
   * Screens candidate c before the main pass, to seed the limit (the smallest upper bound) that
   * {@link #screen}'s quick bounds settle candidates against: an interval into {@code out}, or an
   * unknown one. The default seeds nothing, for screens that do not use the limit.
   */
  default void seed(int c, Screening out) {
    out.unknown();
  }

  /**
   * Screens candidate {@code c} into {@code out}: its value ({@link Screening#exact}), an interval
   * holding it ({@link Screening#interval}, possibly unknown), or {@link Screening#evaluate} when
   * the screen does not apply to it. {@code limit} is the smallest upper bound so far: an interval
   * whose lower bound already exceeds it may be looser than the full one.
   */
  void screen(int c, double limit, Screening out);

  /** Candidate {@code c}'s value, computed as the tool computes it. */
  double exact(int c);

  /** How the tool takes the minimum. */
  TieRule tieRule();
}
