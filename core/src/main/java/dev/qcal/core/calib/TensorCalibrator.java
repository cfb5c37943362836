package dev.qcal.core.calib;

import dev.qcal.core.calib.eval.BestMethod;
import dev.qcal.core.calib.eval.QuantNoise;
import dev.qcal.core.calib.eval.TensorNoise;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.TensorCalibration;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs every requested calibrator on one tensor and assembles its table row, with each result's
 * measured error ({@link QuantNoise}). This is the one call the Spark job makes per tensor, on the
 * executors.
 *
 * <p>{@code best} ({@link BestMethod}) runs after the others: beside other methods it chooses among
 * them (their results and measured errors are at hand), alone it runs its default candidates.
 */
public final class TensorCalibrator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> methods;
  private final QuantSpec quant;
  private transient List<Calibrator> calibrators;

  /**
   * A runner of the given method keys (validated now, see {@link Calibrators}) under {@code quant}.
   *
   * @throws IllegalArgumentException listing the valid keys if one is unknown, or if {@code best}
   *     runs beside methods none of which can be its candidate
   */
  public TensorCalibrator(List<String> methods, QuantSpec quant) {
    if (methods.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot calibrate: no method given (valid: " + Calibrators.names() + ")");
    }
    this.methods = List.copyOf(methods);
    this.quant = quant;
    this.calibrators = Calibrators.create(this.methods);
    if (methods.contains(BestMethod.NAME)
        && methods.size() > 1
        && methods.stream().noneMatch(BestMethod::isCandidate)) {
      throw new IllegalArgumentException(
          "Method best has no candidate among "
              + methods
              + ": wq and wq:log have non-uniform levels and are never candidates; add a method"
              + " with a uniform grid (e.g. mse) or run best alone (candidates "
              + String.join(", ", BestMethod.DEFAULT_CANDIDATES)
              + ")");
    }
  }

  private List<Calibrator> calibrators() {
    if (calibrators == null) {
      calibrators = Calibrators.create(methods);
    }
    return calibrators;
  }

  /**
   * Why these methods cannot all run on {@code stats} ({@link MethodInputs#problem}), naming the
   * tensor as {@code tensor}, or empty when they can.
   */
  public Optional<String> inputProblem(String tensor, TensorStatistics stats) {
    return MethodInputs.problem(calibrators(), tensor, stats);
  }

  /** The method keys, in order. */
  public List<String> methods() {
    return methods;
  }

  /** The quantizer. */
  public QuantSpec quant() {
    return quant;
  }

  /**
   * The histograms pass 2 must build for these methods; with {@code best}, also the histogram its
   * measure uses for this scheme ({@link QuantNoise#domainFor}), and its default candidates'
   * histograms when it runs alone.
   */
  public Set<Domain> domains() {
    Set<Domain> domains = EnumSet.noneOf(Domain.class);
    for (Calibrator c : calibrators()) {
      if (c instanceof BestMethod) {
        domains.add(QuantNoise.domainFor(quant.scheme()));
        if (calibrators().size() > 1) {
          continue; // it chooses among the others, whose histograms are already there
        }
      }
      domains.addAll(c.domains());
    }
    return domains;
  }

  /**
   * The row of tensor {@code name}.
   *
   * @throws IllegalStateException naming the tensor and method if a calibrator fails (a bug: the
   *     calibrator contract forbids it), so no table is written with a silently missing result
   */
  public TensorCalibration calibrate(String name, TensorStatistics stats) {
    return SharedSearches.within(() -> withCurves(name, stats));
  }

  /**
   * The row of tensor {@code name} without search curves: equal to {@code calibrate(name,
   * stats).withoutCurves()}, and cheaper where a method's search need not value every candidate
   * ({@link Calibrator#calibrateWithoutCurves}).
   *
   * @throws IllegalStateException as {@link #calibrate}
   */
  public TensorCalibration calibrateWithoutCurves(String name, TensorStatistics stats) {
    return SharedSearches.within(() -> withoutCurves(name, stats));
  }

  // The two loops below are the same but for the call they make: kept apart, not one loop with a
  // flag, because a run's searches without curves make one hot and HotSpot compiles a method for
  // the branches it has seen taken; the detailed sections' searches with curves would otherwise
  // deoptimize it and recompile it with every method's search inlined (JFR's compilations of a
  // 20 000-tensor run).

  private TensorCalibration withCurves(String name, TensorStatistics stats) {
    Row row = new Row(name, stats);
    for (Calibrator c : calibrators()) {
      if (c instanceof BestMethod) {
        row.best = c;
      } else {
        row.add(c, run(name, c, () -> c.calibrate(stats, quant)));
      }
    }
    Calibrator b = row.best;
    return row.finish(b == null ? null : () -> b.calibrate(stats, quant));
  }

  private TensorCalibration withoutCurves(String name, TensorStatistics stats) {
    Row row = new Row(name, stats);
    for (Calibrator c : calibrators()) {
      if (c instanceof BestMethod) {
        row.best = c;
      } else {
        row.add(c, run(name, c, () -> c.calibrateWithoutCurves(stats, quant)));
      }
    }
    Calibrator b = row.best;
    return row.finish(b == null ? null : () -> b.calibrateWithoutCurves(stats, quant));
  }

  /** One tensor's row as its methods' results come in, each with its measured error. */
  private final class Row {
    private final String name;
    private final TensorStatistics stats;
    private final Map<String, CalibrationResult> others = new LinkedHashMap<>();
    private final Map<String, QuantNoise> errors = new LinkedHashMap<>();
    private final TensorNoise noise;
    private Calibrator best;

    Row(String name, TensorStatistics stats) {
      this.name = name;
      this.stats = stats;
      this.noise = new TensorNoise(stats);
    }

    void add(Calibrator c, CalibrationResult r) {
      others.put(c.name(), r);
      errors.put(c.name(), noise.of(r));
    }

    /**
     * The row: {@code best} ({@code alone}: its own search, when no other method runs) after the
     * others, then every result and error in the requested order.
     */
    TensorCalibration finish(Supplier<CalibrationResult> alone) {
      CalibrationResult chosen = null;
      if (best != null) {
        chosen =
            run(
                name,
                best,
                () -> others.isEmpty() ? alone.get() : BestMethod.choose(others, errors));
        errors.put(BestMethod.NAME, noise.of(chosen));
      }
      // Results and errors in the requested order (best may come first: it is then the primary).
      Map<String, CalibrationResult> results = new LinkedHashMap<>();
      Map<String, QuantNoise> ordered = new LinkedHashMap<>();
      for (String key : methods) {
        results.put(key, BestMethod.NAME.equals(key) ? chosen : others.get(key));
        ordered.put(key, errors.get(key));
      }
      return new TensorCalibration(name, stats.range(), results).withErrors(ordered);
    }
  }

  private static CalibrationResult run(
      String name, Calibrator c, Supplier<CalibrationResult> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          String.format(
              "Calibration of tensor '%s' with method %s failed: %s",
              name, c.name(), e.getMessage()),
          e);
    }
  }
}
