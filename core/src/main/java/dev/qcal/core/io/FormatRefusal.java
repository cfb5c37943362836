package dev.qcal.core.io;

import dev.qcal.core.table.CalibrationTable;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Why a format is not written for a method, as the one message the user reads: the table was
 * calibrated for a grid the format cannot carry ({@link Int8Formats}), or tensors are in the way
 * ({@link TableFormat#check}), named with the reason each. A refused format is skipped whole (a
 * table with a tensor silently missing is worse than no table); the other formats are still
 * written, and the message says so.
 */
final class FormatRefusal {
  private FormatRefusal() {}

  /**
   * The refusal of {@code format} for {@code method} of {@code table}, empty if it can be written.
   *
   * @throws IllegalArgumentException if the table has no such method
   */
  static Optional<String> of(TableFormat format, CalibrationTable table, String method) {
    List<TensorIssue> issues = format.check(table, method);
    Optional<String> grid = Int8Formats.refusal(format, table, method);
    if (grid.isPresent()) {
      return grid;
    }
    if (issues.isEmpty()) {
      return Optional.empty();
    }
    StringJoiner tensors = new StringJoiner("; ");
    issues.forEach(i -> tensors.add(i.message()));
    return Optional.of(
        String.format(
            "Cannot write %s (%s) for method %s: %d tensor%s cannot be carried by this format: %s;"
                + " rename the tensor%s or skip this format (the other formats are still written)",
            format.key(),
            format.fileName(),
            method,
            issues.size(),
            issues.size() == 1 ? "" : "s",
            tensors,
            issues.size() == 1 ? "" : "s"));
  }
}
