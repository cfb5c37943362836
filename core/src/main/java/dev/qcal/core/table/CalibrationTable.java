package dev.qcal.core.table;

import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The calibration table: rows sorted by tensor name (by UTF-16 code units, {@link
 * String#compareTo}), the methods in requested order (the first is primary), and the quantizer the
 * scales are for. Immutable; the only thing writers accept.
 */
public final class CalibrationTable {
  private final List<TensorCalibration> tensors;
  private final List<String> methods;
  private final QuantSpec quant;

  private CalibrationTable(List<TensorCalibration> tensors, List<String> methods, QuantSpec quant) {
    this.tensors = tensors;
    this.methods = methods;
    this.quant = quant;
  }

  /**
   * A table of the given rows (any order).
   *
   * @throws IllegalArgumentException if two rows share a name, or a row lacks a method
   */
  public static CalibrationTable of(
      Collection<TensorCalibration> rows, List<String> methods, QuantSpec quant) {
    List<TensorCalibration> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(TensorCalibration::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException(
            "Cannot build the table: tensor '" + sorted.get(i).name() + "' appears twice");
      }
    }
    for (TensorCalibration row : sorted) {
      if (!row.results().keySet().equals(new java.util.LinkedHashSet<>(methods))) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot build the table: tensor '%s' has results for %s, expected %s",
                row.name(), row.results().keySet(), methods));
      }
    }
    return new CalibrationTable(List.copyOf(sorted), List.copyOf(methods), quant);
  }

  /** Rows sorted by tensor name. */
  public List<TensorCalibration> tensors() {
    return tensors;
  }

  /** Method keys in requested order. */
  public List<String> methods() {
    return methods;
  }

  /** The primary (first) method. */
  public String primaryMethod() {
    return methods.get(0);
  }

  /** The quantizer the scales are for. */
  public QuantSpec quant() {
    return quant;
  }
}
