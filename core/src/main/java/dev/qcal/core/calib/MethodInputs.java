package dev.qcal.core.calib;

import dev.qcal.core.calib.eval.BestMethod;
import dev.qcal.core.histogram.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether methods can run on what a tensor's statistics hold, and if not, a message naming what the
 * tensor has and the methods that can run on it. qcal's own scan builds every histogram its methods
 * need; statistics handed over by other tools ({@code qcal histogram}) hold what those tools
 * collected: one histogram of one domain, possibly with fractional counts, or raw values.
 *
 * <p>A method can run when, for every histogram domain it searches, the tensor has that histogram
 * with whole counts, or with fractional counts and the method {@link
 * Calibrator#acceptsFractionalCounts accepts them}, or raw values and the method {@link
 * Calibrator#acceptsValues accepts them}; a method that searches no histogram ({@code max}) runs on
 * the range alone. {@code best} alone runs its default candidates, so it can run when they all can;
 * beside other methods it chooses among them and needs nothing more.
 */
public final class MethodInputs {
  private MethodInputs() {}

  /** True when {@code c} can run on {@code stats} (see the class comment). */
  public static boolean canRun(Calibrator c, TensorStatistics stats) {
    if (c instanceof BestMethod) {
      return Calibrators.create(BestMethod.DEFAULT_CANDIDATES).stream()
          .allMatch(k -> canRun(k, stats));
    }
    return missing(c, stats) == null;
  }

  /** The first domain {@code c} searches that {@code stats} cannot give it, or null. */
  private static Domain missing(Calibrator c, TensorStatistics stats) {
    for (Domain d : c.domains()) {
      boolean ok =
          stats.has(d)
              || (stats.weighted(d).isPresent() && c.acceptsFractionalCounts())
              || (stats.values().isPresent() && c.acceptsValues());
      if (!ok) {
        return d;
      }
    }
    return null;
  }

  /**
   * Every method key (without a parameter) that can run on {@code stats}, in documentation order.
   */
  public static List<String> runnableOn(TensorStatistics stats) {
    List<String> out = new ArrayList<>();
    for (String key : Calibrators.names()) {
      if (canRun(Calibrators.create(key), stats)) {
        out.add(key);
      }
    }
    return out;
  }

  /**
   * Why some of {@code calibrators} (a run's methods, in order) cannot run on {@code stats}, for
   * the first one that cannot, or empty when all can; {@code tensor} names the tensor in the
   * message (e.g. {@code tensor 'conv1' in h.json}).
   */
  public static Optional<String> problem(
      List<Calibrator> calibrators, String tensor, TensorStatistics stats) {
    boolean bestAlone = calibrators.size() == 1 && calibrators.get(0) instanceof BestMethod;
    for (Calibrator c : calibrators) {
      if ((c instanceof BestMethod && !bestAlone) || canRun(c, stats)) {
        continue;
      }
      if (bestAlone) {
        for (Calibrator k : Calibrators.create(BestMethod.DEFAULT_CANDIDATES)) {
          if (!canRun(k, stats)) {
            return Optional.of(
                "Method best alone runs "
                    + String.join(", ", BestMethod.DEFAULT_CANDIDATES)
                    + ", and "
                    + message(k, tensor, stats));
          }
        }
      }
      String m = message(c, tensor, stats);
      return Optional.of(Character.toUpperCase(m.charAt(0)) + m.substring(1));
    }
    return Optional.empty();
  }

  private static String a(Domain d) {
    return (d == Domain.ABSOLUTE ? "an " : "a ") + d.description();
  }

  private static String message(Calibrator c, String tensor, TensorStatistics stats) {
    StringBuilder b = new StringBuilder("method ").append(c.name());
    Domain needed = missing(c, stats);
    String hint = "";
    if (stats.weighted(needed).isPresent()) {
      b.append(" needs whole counts (its reference tool counts in integers), but ")
          .append(tensor)
          .append(" has fractional counts");
    } else if (stats.values().isPresent()) {
      b.append(" needs ")
          .append(a(needed))
          .append(" histogram, but ")
          .append(tensor)
          .append(" is given as raw values");
    } else {
      b.append(" needs ")
          .append(a(needed))
          .append(" histogram, but ")
          .append(tensor)
          .append(" has ")
          .append(stats.describe());
      if (needed == Domain.LOG2) {
        hint =
            " (a log2 histogram is given as {\"domain\": \"log2\", \"counts\": [...], \"offset\":"
                + " -640}: caffe-WQ's layout, 16 bins per octave from 2^(offset/16))";
      } else if (needed == Domain.SIGNED) {
        hint = " (a signed histogram has \"domain\": \"signed\", or a first edge below 0)";
      }
    }
    List<String> ok = runnableOn(stats);
    b.append("; methods that can run on it: ")
        .append(ok.isEmpty() ? "none" : String.join(", ", ok))
        .append(hint);
    return b.toString();
  }
}
