package dev.qcal.core.table;

import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The calibration table: rows sorted by tensor name (by UTF-16 code units, {@link
 * String#compareTo}), the methods in requested order (the first is primary), and the quantizer the
 * scales are for. Immutable; the only thing writers accept.
 */
public final class CalibrationTable {
  private final List<TensorCalibration> tensors;
  private final List<String> methods;
  private final QuantSpec quant;

  /** Each row's {@link PrimaryGap}, measured on first use (the report and the console ask both). */
  private volatile List<Optional<PrimaryGap>> primaryGaps;

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
    // Names compared directly: Comparator.comparing's shared lambda makes both of its calls
    // megamorphic, a third of building a 20 000-row table.
    sorted.sort((a, b) -> a.name().compareTo(b.name()));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException(
            "Cannot build the table: tensor '" + sorted.get(i).name() + "' appears twice");
      }
    }
    Set<String> methodSet = new LinkedHashSet<>(methods);
    for (TensorCalibration row : sorted) {
      if (!inOrder(row.results().keySet(), methods) && !row.results().keySet().equals(methodSet)) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot build the table: tensor '%s' has results for %s, expected %s",
                row.name(), row.results().keySet(), methods));
      }
    }
    return new CalibrationTable(List.copyOf(sorted), List.copyOf(methods), quant);
  }

  /**
   * Whether {@code keys} are {@code methods} in the same order: what every row holds, checked
   * without hashing each row's keys (the set comparison decides otherwise).
   */
  private static boolean inOrder(Set<String> keys, List<String> methods) {
    if (keys.size() != methods.size()) {
      return false;
    }
    int i = 0;
    for (String key : keys) {
      if (!key.equals(methods.get(i++))) {
        return false;
      }
    }
    return true;
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

  /**
   * Each row's gap for the primary method ({@link PrimaryGap#of(TensorCalibration, String)}), in
   * row order; measured once, on first use: the report sorts its tensors by it and the console
   * names the tensors far from the best.
   */
  public List<Optional<PrimaryGap>> primaryGaps() {
    List<Optional<PrimaryGap>> gaps = primaryGaps;
    if (gaps == null) {
      // Racy but safe: every thread measures the same immutable list.
      @SuppressWarnings({"unchecked", "rawtypes"})
      Optional<PrimaryGap>[] measured = new Optional[tensors.size()];
      for (int i = 0; i < measured.length; i++) {
        measured[i] = PrimaryGap.of(tensors.get(i), primaryMethod());
      }
      gaps = Collections.unmodifiableList(Arrays.asList(measured));
      primaryGaps = gaps;
    }
    return gaps;
  }
}
