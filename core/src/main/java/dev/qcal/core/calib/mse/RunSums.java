package dev.qcal.core.calib.mse;

/**
 * The double sums of one candidate's runs' closed forms, run after run ({@link MseScreen}'s class
 * comment): each run's Σh, Σh·c and Σh·c² are the prefixes at its end less those at its start,
 * which the previous run left here (the same differences as loading both ends, half the loads); its
 * error e = (S2 − 2v·S1) + v²·S0 and magnitude m = S2 + 2v·S1 + v²·S0 are added to {@link #sum},
 * {@link #abs} (Σ|e|) and {@link #mag}. The one body of {@link MseScreen}'s and {@link
 * MseCurveScreen}'s run loops, so their intervals agree bit for bit.
 *
 * <p>One instance per interval, a local that never leaves it: C2 then keeps the sums in registers
 * (escape analysis replaces the object by its fields once {@link #add} is inlined), where a reused
 * instance held in a field would go through memory on every run.
 */
final class RunSums {
  /** {@link MseScreen}'s prefix sums, its layout ({@link MseScreen#STRIDE} per bin). */
  private final double[] pre;

  /** The prefixes at the next run's start (bin 0: nothing summed yet). */
  private double p0;

  private double p1;
  private double p2;
  private double p3;
  private double p4;

  /** Σe over the runs added. */
  double sum;

  /** Σ|e| over the runs added. */
  double abs;

  /** Σm over the runs added. */
  double mag;

  /** The number of runs added. */
  int runs;

  /** No runs yet, over the prefix sums {@code pre} (not copied). */
  RunSums(double[] pre) {
    this.pre = pre;
  }

  /**
   * Adds the run from the previous run's end (bin 0 for the first) to bin {@code end} at value v.
   */
  void add(int end, double v) {
    int y = MseScreen.STRIDE * end;
    double y0 = pre[y];
    double y1 = pre[y + 1];
    double y2 = pre[y + 2];
    double y3 = pre[y + 3];
    double y4 = pre[y + 4];
    double h = y0 - p0;
    double c1 = (y1 - p1) + (y2 - p2);
    double c2 = (y3 - p3) + (y4 - p4);
    p0 = y0;
    p1 = y1;
    p2 = y2;
    p3 = y3;
    p4 = y4;
    double vv = v * v;
    double e = (c2 - 2 * v * c1) + vv * h;
    sum += e;
    abs += Math.abs(e);
    mag += c2 + 2 * v * c1 + vv * h;
    runs++;
  }
}
