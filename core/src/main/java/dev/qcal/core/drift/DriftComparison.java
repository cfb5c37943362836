package dev.qcal.core.drift;

import dev.qcal.core.table.TensorFlag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Compares a table with its baseline, per tensor and per method present in both.
 *
 * <ul>
 *   <li>Symmetric schemes (symmetric, unsigned, fp8): the relative change of the scale, |s − s0| /
 *       s0 (the scale is proportional to amax, so this is also amax's relative change).
 *   <li>Affine schemes: |min − min0| / (max0 − min0) and |max − max0| / (max0 − min0); the change
 *       is the larger. Relative to the baseline's width rather than to each bound, since a bound
 *       near 0 (a ReLU's min) would make any move look infinite.
 *   <li>A tensor that gained or lost a degenerate flag ({@link TensorRanges#DEGENERATE}: it went
 *       all-zero, constant, empty...) changed in kind: its change is unbounded ({@link
 *       Measure#DEGENERATE_CHANGED}), unless its range is exactly the same (one value 5 yesterday,
 *       many 5s today). With the same degenerate flags on both sides, the ranges are compared as
 *       usual (two all-zero tensors: change 0).
 *   <li>A baseline range of no width (amax 0, or min = max) with a different current range:
 *       unbounded ({@link Measure#ZERO_BASELINE}); the same range: change 0. Never a division by
 *       zero.
 * </ul>
 *
 * A tensor exceeds the limit when some method's change is strictly greater than it.
 */
public final class DriftComparison {
  private DriftComparison() {}

  /**
   * Why {@code current} cannot be compared with {@code baseline}: another scheme or bit width
   * (scales of different grids differ by construction), or no method in common. Empty if they can
   * be. Callers check this before scanning so the run fails fast.
   */
  public static Optional<String> incompatibility(RangeTable baseline, RangeTable current) {
    return incompatibility(baseline, current.scheme(), current.bits(), current.methods());
  }

  /**
   * {@link #incompatibility(RangeTable, RangeTable)} against the quantizer and methods of a run not
   * yet made.
   */
  public static Optional<String> incompatibility(
      RangeTable baseline, dev.qcal.core.quant.Scheme scheme, int bits, List<String> methods) {
    if (baseline.scheme() != scheme || baseline.bits() != bits) {
      return Optional.of(
          String.format(
              "the baseline was calibrated for %s, this run for %s, and their scales are not"
                  + " comparable",
              baseline.quantDescription(), scheme.key() + ", " + bits + " bits"));
    }
    if (methods.stream().noneMatch(baseline.methods()::contains)) {
      return Optional.of(
          String.format(
              "no method in common: the baseline has %s, this run %s",
              baseline.methods(), methods));
    }
    return Optional.empty();
  }

  /**
   * The drift of {@code current} against {@code baseline}.
   *
   * @param limit the largest allowed relative change (≥ 0), or empty to report only
   * @throws IllegalArgumentException if the tables cannot be compared ({@link #incompatibility}),
   *     or the limit is negative or not finite
   */
  public static DriftReport compare(RangeTable baseline, RangeTable current, OptionalDouble limit) {
    if (limit.isPresent() && !(limit.getAsDouble() >= 0 && Double.isFinite(limit.getAsDouble()))) {
      throw new IllegalArgumentException(
          "Cannot compare with the baseline: the limit must be a finite number >= 0 ("
              + limit.getAsDouble()
              + ")");
    }
    Optional<String> why = incompatibility(baseline, current);
    if (why.isPresent()) {
      throw new IllegalArgumentException("Cannot compare with the baseline: " + why.get());
    }
    List<String> methods = current.methods().stream().filter(baseline.methods()::contains).toList();
    boolean symmetric = current.scheme().isSymmetric();
    Map<String, TensorRanges> before = new HashMap<>();
    baseline.tensors().forEach(t -> before.put(t.name(), t));
    List<TensorDrift> tensors = new ArrayList<>();
    List<String> appeared = new ArrayList<>();
    for (TensorRanges now : current.tensors()) {
      TensorRanges then = before.remove(now.name());
      if (then == null) {
        appeared.add(now.name());
      } else {
        tensors.add(tensor(then, now, methods, symmetric, limit));
      }
    }
    List<String> disappeared = new ArrayList<>(before.keySet());
    disappeared.sort(null);
    return new DriftReport(limit, methods, tensors, appeared, disappeared);
  }

  private static TensorDrift tensor(
      TensorRanges then,
      TensorRanges now,
      List<String> methods,
      boolean symmetric,
      OptionalDouble limit) {
    List<TensorFlag> degenerateThen = then.degenerateFlags();
    List<TensorFlag> degenerateNow = now.degenerateFlags();
    boolean kindChanged = !degenerateThen.equals(degenerateNow);
    List<MethodDrift> out = new ArrayList<>(methods.size());
    boolean exceeds = false;
    for (String m : methods) {
      MethodDrift d = method(m, then, now, symmetric, kindChanged);
      out.add(d);
      if (limit.isPresent() && d.change() > limit.getAsDouble()) {
        exceeds = true;
      }
    }
    return new TensorDrift(now.name(), degenerateThen, degenerateNow, out, exceeds);
  }

  private static MethodDrift method(
      String method, TensorRanges then, TensorRanges now, boolean symmetric, boolean kindChanged) {
    MethodRange b = then.methods().get(method);
    MethodRange c = now.methods().get(method);
    if (b == null || c == null) {
      String note = then.uncompared().getOrDefault(method, now.uncompared().get(method));
      return new MethodDrift(
          method,
          Measure.NOT_COMPARED,
          b,
          c,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          note != null ? note : "no per-tensor range on one side");
    }
    double inf = Double.POSITIVE_INFINITY;
    boolean sameRange = b.min() == c.min() && b.max() == c.max();
    if (kindChanged && !sameRange) {
      return new MethodDrift(
          method, Measure.DEGENERATE_CHANGED, b, c, inf, Double.NaN, Double.NaN, null);
    }
    if (symmetric) {
      // Scale 1 is the convention for a zero range (ONNX Runtime's), so s0 is never 0, but a ratio
      // against that 1 would be meaningless: a zero baseline is handled on its own.
      if (b.amax() == 0) {
        return sameRange
            ? new MethodDrift(method, Measure.SCALE, b, c, 0.0, Double.NaN, Double.NaN, null)
            : new MethodDrift(
                method, Measure.ZERO_BASELINE, b, c, inf, Double.NaN, Double.NaN, null);
      }
      double change = Math.abs(c.scale() - b.scale()) / b.scale();
      return new MethodDrift(method, Measure.SCALE, b, c, change, Double.NaN, Double.NaN, null);
    }
    double width = b.width();
    if (width == 0) {
      return sameRange
          ? new MethodDrift(method, Measure.RANGE, b, c, 0.0, 0.0, 0.0, null)
          : new MethodDrift(method, Measure.ZERO_BASELINE, b, c, inf, Double.NaN, Double.NaN, null);
    }
    double dMin = Math.abs(c.min() - b.min()) / width;
    double dMax = Math.abs(c.max() - b.max()) / width;
    return new MethodDrift(method, Measure.RANGE, b, c, Math.max(dMin, dMax), dMin, dMax, null);
  }
}
