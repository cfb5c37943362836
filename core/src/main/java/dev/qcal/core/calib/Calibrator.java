package dev.qcal.core.calib;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import java.util.Set;

/**
 * Chooses a clip range for one tensor from its collected statistics.
 *
 * <p>Implementations are pure: they never modify {@code stats}, and they return the same result for
 * the same inputs. They accept every tensor, degenerate ones included (no finite value, constant,
 * all zero, a single value), and report a documented fallback in {@link CalibrationResult#notes()}
 * rather than throw or return a NaN or infinite scale.
 */
public interface Calibrator {

  /** The method key used on the command line and in the table, e.g. {@code entropy:ort}. */
  String name();

  /** The histograms pass 2 must build for this method. */
  Set<Domain> domains();

  /** The calibration of one tensor. */
  CalibrationResult calibrate(TensorStatistics stats, QuantSpec quant);

  /**
   * The calibration of one tensor without its search curves: equal to {@code calibrate(stats,
   * quant).withoutCurves()}, and cheaper where a search need not value every candidate to find the
   * tool's pick (what a run keeps for the tensors its report does not draw).
   */
  default CalibrationResult calibrateWithoutCurves(TensorStatistics stats, QuantSpec quant) {
    return calibrate(stats, quant).withoutCurves();
  }

  /**
   * Whether this method also searches a histogram with fractional counts ({@link
   * TensorStatistics#weighted}): true only where the reference tool itself keeps its counts as
   * floats, so a histogram collected by that kind of tool is searched as the tool would.
   */
  default boolean acceptsFractionalCounts() {
    return false;
  }

  /**
   * Whether this method also runs on raw values ({@link TensorStatistics#values}): the methods that
   * need no histogram, and those defined on values (OCTAV, weighted-entropy weights).
   */
  default boolean acceptsValues() {
    return domains().isEmpty();
  }
}
