package dev.qcal.core.table;

import dev.qcal.core.calib.eval.BestMethod;
import dev.qcal.core.calib.eval.QuantNoise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How far one tensor's primary method is from the best of its row, by the error qcal measures
 * ({@link QuantNoise}): the best methods are those with the smallest measured MSE (ties all count;
 * {@code wq} and {@code wq:log}, whose levels are not a uniform grid, never do), and the gap is
 * {@code 10·log10(MSE_primary / MSE_best)} dB, which is the best SQNR minus the primary's (every
 * method of a tensor is measured on the same histogram, so the signal power cancels). A tensor is
 * <em>far from the best</em> when the gap exceeds {@value #FAR_DB} dB: its primary method, the one
 * the TensorRT cache and every other single-method format carry, quantizes it measurably worse than
 * another method of the same run.
 *
 * @param tensor the tensor name
 * @param primary the primary method's key
 * @param primaryError its measured error
 * @param best the keys of the methods with the smallest measured MSE, in the row's order
 * @param bestError their measured error
 */
public record PrimaryGap(
    String tensor,
    String primary,
    QuantNoise primaryError,
    List<String> best,
    QuantNoise bestError) {

  /** The gap above which a tensor is far from the best, in dB. */
  public static final double FAR_DB = 3.0;

  /** How many tensors the console line names before it says how many more there are. */
  static final int CONSOLE_NAMES = 10;

  /** Copies the list. */
  public PrimaryGap {
    best = List.copyOf(best);
  }

  /**
   * The gap of {@code row} for its {@code primary} method, empty when the primary's error was not
   * measured (no histogram, an FP8 grid, non-uniform levels).
   */
  public static Optional<PrimaryGap> of(TensorCalibration row, String primary) {
    QuantNoise p = row.error(primary);
    if (Double.isNaN(p.mse()) || !BestMethod.hasUniformGrid(primary)) {
      return Optional.empty();
    }
    List<String> best = new ArrayList<>();
    QuantNoise bestError = null;
    for (Map.Entry<String, QuantNoise> e : row.errors().entrySet()) {
      double mse = e.getValue().mse();
      if (Double.isNaN(mse) || !BestMethod.hasUniformGrid(e.getKey())) {
        continue;
      }
      if (bestError == null || mse < bestError.mse()) {
        best.clear();
        bestError = e.getValue();
      }
      if (mse == bestError.mse()) {
        best.add(e.getKey());
      }
    }
    return Optional.of(new PrimaryGap(row.name(), primary, p, best, bestError));
  }

  /** Every tensor's gap for the table's primary method, largest first, then by name. */
  public static List<PrimaryGap> of(CalibrationTable table) {
    List<PrimaryGap> out = new ArrayList<>();
    for (Optional<PrimaryGap> gap : table.primaryGaps()) {
      gap.ifPresent(out::add);
    }
    return largestFirst(out);
  }

  /** The tensors far from the best ({@link #isFar}), largest gap first. */
  public static List<PrimaryGap> far(CalibrationTable table) {
    List<PrimaryGap> out = new ArrayList<>();
    for (Optional<PrimaryGap> gap : table.primaryGaps()) {
      if (gap.isPresent() && gap.get().isFar()) {
        out.add(gap.get());
      }
    }
    return largestFirst(out);
  }

  /**
   * The {@code n} gaps that come first in {@link #largestFirst}'s order, in any order: one pass
   * that keeps the first n seen so far and which of them comes last (n is small), each gap worked
   * out once.
   */
  private static List<PrimaryGap> first(List<PrimaryGap> gaps, int n) {
    List<PrimaryGap> kept = new ArrayList<>(n);
    double[] db = new double[n];
    int last = -1; // the kept gap that comes last in the order, once n are kept
    for (PrimaryGap g : gaps) {
      double d = g.gapDb();
      if (kept.size() < n) {
        db[kept.size()] = d;
        kept.add(g);
        if (kept.size() < n) {
          continue;
        }
      } else if (before(d, g, db[last], kept.get(last))) {
        kept.set(last, g);
        db[last] = d;
      } else {
        continue;
      }
      last = 0;
      for (int i = 1; i < n; i++) {
        if (before(db[last], kept.get(last), db[i], kept.get(i))) {
          last = i;
        }
      }
    }
    return kept;
  }

  /** Whether gap {@code a} ({@code da} dB) comes before {@code b}: larger, or equal and by name. */
  private static boolean before(double da, PrimaryGap a, double db, PrimaryGap b) {
    int c = Double.compare(db, da);
    return c != 0 ? c < 0 : a.tensor().compareTo(b.tensor()) < 0;
  }

  /**
   * {@code gaps} sorted by gap, largest first ({@link Double#compare}'s order reversed), then by
   * tensor name: each gap worked out once, not at every comparison.
   */
  private static List<PrimaryGap> largestFirst(List<PrimaryGap> gaps) {
    int n = gaps.size();
    double[] db = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      db[i] = gaps.get(i).gapDb();
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Double.compare(db[b], db[a]);
          return c != 0 ? c : gaps.get(a).tensor().compareTo(gaps.get(b).tensor());
        });
    List<PrimaryGap> out = new ArrayList<>(n);
    for (int i : order) {
      out.add(gaps.get(i));
    }
    return out;
  }

  /**
   * The best SQNR minus the primary's, in dB, as {@code 10·log10(MSE_primary / MSE_best)}: 0 when
   * the primary is among the best (0/0 included), +Inf when only the best has no error.
   */
  public double gapDb() {
    double p = primaryError.mse();
    double b = bestError.mse();
    if (p == b) {
      return 0;
    }
    return b == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(p / b);
  }

  /** True when the gap exceeds {@value #FAR_DB} dB. */
  public boolean isFar() {
    return gapDb() > FAR_DB;
  }

  /**
   * The console's line naming the tensors far from the best (at most {@value #CONSOLE_NAMES} by
   * name, largest gap first), or empty when there is none.
   */
  public static Optional<String> consoleLine(CalibrationTable table) {
    // The count and the first CONSOLE_NAMES of far(table), without sorting every far tensor (at
    // 20 000 tensors thousands are far, and the line comes after everything else is written).
    List<PrimaryGap> all = new ArrayList<>();
    for (Optional<PrimaryGap> gap : table.primaryGaps()) {
      if (gap.isPresent() && gap.get().isFar()) {
        all.add(gap.get());
      }
    }
    int count = all.size();
    if (count == 0) {
      return Optional.empty();
    }
    List<PrimaryGap> far = largestFirst(first(all, CONSOLE_NAMES));
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "primary method %s is more than %.0f dB of measured SQNR below the run's best method on"
                + " %d of %d tensors: ",
            table.primaryMethod(),
            FAR_DB,
            count,
            table.tensors().size()));
    for (int i = 0; i < Math.min(far.size(), CONSOLE_NAMES); i++) {
      PrimaryGap g = far.get(i);
      b.append(i == 0 ? "" : ", ")
          .append('\'')
          .append(g.tensor().replace("\n", "\\n").replace("\r", "\\r"))
          .append("' (")
          .append(g.primaryError().sqnrText())
          .append(", ")
          .append(g.best().get(0))
          .append(' ')
          .append(g.bestError().sqnrText())
          .append(')');
    }
    if (count > CONSOLE_NAMES) {
      b.append(" and ").append(count - CONSOLE_NAMES).append(" more");
    }
    b.append(
        "; the report sorts tensors by this gap, and --methods best,... takes the best per tensor");
    return Optional.of(b.toString());
  }
}
