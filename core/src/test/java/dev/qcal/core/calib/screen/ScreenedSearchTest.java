package dev.qcal.core.calib.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The driver on candidates whose values and screens are given: which candidates it evaluates, in
 * what order the limit tightens, and that every tie rule picks what the exhaustive search picks.
 */
class ScreenedSearchTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  /**
   * Candidates with given exact values; a screen per candidate: {@code EXACT} (the value itself),
   * {@code EVALUATE}, or an interval of ±{@code width} around the value (unknown for a NaN width).
   * Records every exact evaluation and every limit it was screened against.
   */
  static final class Given implements Candidates {
    final double[] values;
    final String[] screens;
    final double width;
    final TieRule rule;
    final boolean seeded;
    final List<Integer> evaluated = new ArrayList<>();
    final List<Double> limits = new ArrayList<>();

    Given(double[] values, String[] screens, double width, TieRule rule, boolean seeded) {
      this.values = values;
      this.screens = screens;
      this.width = width;
      this.rule = rule;
      this.seeded = seeded;
    }

    @Override
    public int count() {
      return values.length;
    }

    @Override
    public boolean screenable() {
      return screens != null;
    }

    @Override
    public void seed(int c, Screening out) {
      if (seeded) {
        screen(c, INF, out);
      } else {
        out.unknown();
      }
    }

    @Override
    public void screen(int c, double limit, Screening out) {
      limits.add(limit);
      switch (screens[c]) {
        case "EXACT" -> out.exact(values[c]);
        case "EVALUATE" -> out.evaluate();
        default -> {
          if (Double.isNaN(width)) {
            out.unknown();
          } else {
            out.interval(values[c] - width, values[c] + width, values[c] + width / 2);
          }
        }
      }
    }

    @Override
    public double exact(int c) {
      evaluated.add(c);
      return values[c];
    }

    @Override
    public TieRule tieRule() {
      return rule;
    }
  }

  private static String[] intervals(int n) {
    String[] s = new String[n];
    java.util.Arrays.fill(s, "INTERVAL");
    return s;
  }

  @Test
  void onlyTheCandidatesBelowTheLimitAreEvaluated() {
    // Values 5 3 4 9 3.05 with intervals ±0.1: the smallest upper bound is 3.1 (candidate 1), so
    // candidates 1 and 4 (lower bound 2.95) are evaluated, in order, after the pass; 0, 2, 3 keep
    // the middle of their interval, rounded to float.
    Given g =
        new Given(new double[] {5, 3, 4, 9, 3.05}, intervals(5), 0.1, TieRule.FIRST_MINIMUM, false);
    ScreenedSearch.Outcome o = ScreenedSearch.run(g);
    assertEquals(List.of(1, 4), g.evaluated);
    assertEquals(1, o.best());
    assertEquals(2, o.recomputed());
    assertEquals((float) 5.05, o.value(0));
    assertFalse(o.isExact(0));
    assertTrue(o.isExact(4));
    assertEquals(4.9, o.lo(0), 1e-12);
    assertEquals(5.1, o.hi(0), 1e-12);
  }

  @Test
  void anEvaluatedCandidateTightensTheLimitAtOnceAndAKnownValueDoesNot() {
    // Candidate 0 is known (+∞: the limit stays +∞), candidate 1 is evaluated at once (2: the
    // limit drops to 2 before candidate 2 is screened), candidate 2's interval [2.9, 3.1] is above.
    Given g =
        new Given(
            new double[] {INF, 2, 3},
            new String[] {"EXACT", "EVALUATE", "INTERVAL"},
            0.1,
            TieRule.FIRST_MINIMUM,
            false);
    ScreenedSearch.Outcome o = ScreenedSearch.run(g);
    assertEquals(List.of(INF, INF, 2.0), g.limits);
    assertEquals(List.of(1), g.evaluated);
    assertEquals(1, o.best());
    assertTrue(Double.isNaN(o.lo(1)));
  }

  @Test
  void unknownIntervalsAreAlwaysEvaluated() {
    Given g =
        new Given(new double[] {4, 1, 2}, intervals(3), Double.NaN, TieRule.FIRST_MINIMUM, false);
    ScreenedSearch.Outcome o = ScreenedSearch.run(g);
    assertEquals(List.of(0, 1, 2), g.evaluated);
    assertEquals(1, o.best());
  }

  @Test
  void seedingScreensEverySixteenthCandidateFirst() {
    // 40 candidates, values 40 − c: the seeds are 8, 24 (upper bounds 32.5, 16.5), so the main
    // pass starts from 16.5. The limit ends at 1.5 (candidate 39), and candidate 38's interval
    // [1.5, 2.5] touches it: both are evaluated.
    double[] v = new double[40];
    for (int c = 0; c < v.length; c++) {
      v[c] = 40 - c;
    }
    Given g = new Given(v, intervals(40), 0.5, TieRule.FIRST_MINIMUM, true);
    ScreenedSearch.Outcome o = ScreenedSearch.run(g);
    assertEquals(List.of(INF, INF, 16.5), g.limits.subList(0, 3));
    assertEquals(39, o.best());
    assertEquals(List.of(38, 39), g.evaluated);
  }

  @Test
  void tieRules() {
    double nan = Double.NaN;
    double[] v = {INF, nan, 3, 1, 1, nan};
    boolean[] all = {true, true, true, true, true, true};
    assertEquals(3, TieRule.FIRST_MINIMUM.pick(v, all, 6));
    assertEquals(3, TieRule.FIRST_BELOW_FLT_MAX.pick(v, all, 6));
    assertEquals(1, TieRule.NUMPY_ARGMIN.pick(v, all, 6));
    assertEquals(4, TieRule.LAST_MINIMUM.pick(v, all, 6));
    double[] w = {nan, 2, 1};
    boolean[] three = {true, true, true};
    assertEquals(0, TieRule.FIRST_MINIMUM.pick(w, three, 3)); // nothing is below a leading NaN
    assertEquals(2, TieRule.FIRST_BELOW_FLT_MAX.pick(w, three, 3));
    double[] inf = {INF, Float.MAX_VALUE, INF};
    assertEquals(0, TieRule.FIRST_BELOW_FLT_MAX.pick(inf, three, 3)); // none below FLT_MAX
    assertEquals(1, TieRule.FIRST_MINIMUM.pick(inf, three, 3));
    assertEquals(1, TieRule.LAST_MINIMUM.pick(inf, three, 3)); // INF is not <= FLT_MAX
    assertEquals(2, TieRule.LAST_MINIMUM.pick(w, three, 3)); // NaN never wins
    assertEquals(
        2, TieRule.LAST_MINIMUM.pick(new double[] {INF, INF, INF}, three, 3)); // all +∞: the last
    assertEquals(
        2,
        TieRule.FIRST_MINIMUM.pick(new double[] {0, 0, -1}, new boolean[] {false, true, true}, 3));
    assertEquals(0, TieRule.NUMPY_ARGMIN.pick(new double[0], new boolean[0], 0));
  }

  @Test
  void screenedPicksEqualTheExhaustiveOnRandomCandidates() {
    // Ties, NaN, +∞ and every kind of screen: the pick and its value are the exhaustive search's
    // (no NaN for FIRST_MINIMUM, whose NaN handling depends on which value is evaluated first).
    SplittableRandom r = new SplittableRandom(7);
    String[] kinds = {"EXACT", "EVALUATE", "INTERVAL", "INTERVAL"};
    for (int trial = 0; trial < 3000; trial++) {
      int n = 1 + r.nextInt(40);
      double[] v = new double[n];
      String[] s = new String[n];
      for (int c = 0; c < n; c++) {
        int k = r.nextInt(20);
        v[c] = k == 0 ? INF : k == 1 ? Double.NaN : r.nextInt(8);
        s[c] = Double.isNaN(v[c]) ? "EXACT" : kinds[r.nextInt(kinds.length)];
      }
      double width = r.nextInt(5) == 0 ? Double.NaN : r.nextInt(4) * 0.5;
      for (TieRule rule : TieRule.values()) {
        if (rule == TieRule.FIRST_MINIMUM && java.util.Arrays.stream(v).anyMatch(Double::isNaN)) {
          continue;
        }
        boolean seeded = r.nextBoolean();
        int a = ScreenedSearch.exhaustive(new Given(v, s, width, rule, seeded)).best();
        ScreenedSearch.Outcome b = ScreenedSearch.run(new Given(v, s, width, rule, seeded));
        String what = java.util.Arrays.toString(v) + " " + rule + " width " + width;
        assertEquals(a, b.best(), what);
        assertEquals(Double.doubleToLongBits(v[a]), Double.doubleToLongBits(b.value(a)), what);
      }
    }
  }

  @Test
  void npSumDepthCountsTheChain() {
    // 8 terms fill numpy's eight accumulators (no step), then the tree (3), plus the addition to
    // 0 of np.sum: 4; fewer than 8 terms add in order.
    assertEquals(4, Float32Error.npSumDepth(8));
    assertEquals(3, Float32Error.npSumDepth(3));
    // 2048 → 1024 → 512 → 256 → 128 (15 + 3) plus 4 halvings, plus 1.
    assertEquals(1 + 4 + 18, Float32Error.npSumDepth(2048));
    assertEquals(24 * 0x1p-24 / (1 - 24 * 0x1p-24), Float32Error.gamma(24));
  }
}
