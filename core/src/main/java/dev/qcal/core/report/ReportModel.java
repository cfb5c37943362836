package dev.qcal.core.report;

import dev.qcal.core.drift.DriftReport;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.PrimaryGap;
import dev.qcal.core.table.TensorCalibration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@link HtmlReport} renders: the tensors, sorted by how far their primary method is
 * from the best method of their row ({@link PrimaryGap}, largest gap first, tensors without a
 * measured gap last), then by name ({@link String#compareTo}, as in {@link CalibrationTable}),
 * whatever order they arrive in, so the same run gives the same bytes and the tensors to look at
 * come first; and the run summary.
 *
 * <p>Each tensor's gap and the method keys are worked out once, here: the page asks for them
 * several times per tensor.
 */
public final class ReportModel {
  private final List<ReportTensor> tensors;
  private final RunSummary summary;
  private final Drift drift;
  private final Map<ReportTensor, Optional<PrimaryGap>> gaps;
  private final List<String> methods;

  /**
   * A run's drift against its baseline, as {@code drift.json} has it.
   *
   * @param report the comparison
   * @param baseline the baseline's path
   */
  public record Drift(DriftReport report, String baseline) {}

  /** A report without drift. */
  public ReportModel(List<ReportTensor> tensors, RunSummary summary) {
    this(tensors, summary, null);
  }

  /** This report with a drift section. */
  public ReportModel withDrift(DriftReport report, String baseline) {
    return new ReportModel(tensors, summary, new Drift(report, baseline), gaps, methods);
  }

  private ReportModel(
      List<ReportTensor> tensors,
      RunSummary summary,
      Drift drift,
      Map<ReportTensor, Optional<PrimaryGap>> gaps,
      List<String> methods) {
    this.tensors = tensors;
    this.summary = summary;
    this.drift = drift;
    this.gaps = gaps;
    this.methods = methods;
  }

  /**
   * Sorts the tensors by gap, then name.
   *
   * @param tensors the tensors, in any order
   * @param summary the run summary
   * @param drift the drift against a baseline, or null when none was compared
   * @throws IllegalArgumentException if two tensors share a name
   */
  public ReportModel(List<ReportTensor> tensors, RunSummary summary, Drift drift) {
    this(byName(tensors, summary), null, summary, drift);
  }

  /**
   * The model of tensors sorted by name, without two of a name; {@code measured} is each one's gap
   * when already known (a table's {@link CalibrationTable#primaryGaps}), else null.
   */
  private ReportModel(
      List<ReportTensor> sorted,
      List<Optional<PrimaryGap>> measured,
      RunSummary summary,
      Drift drift) {
    String primary = primaryOf(sorted);
    // Each tensor's gap once (measuring it walks the row's results), not once per comparison.
    Map<ReportTensor, Optional<PrimaryGap>> gaps = new IdentityHashMap<>(sorted.size() * 2);
    double[] keys = new double[sorted.size()];
    Integer[] order = new Integer[sorted.size()];
    for (int i = 0; i < keys.length; i++) {
      Optional<PrimaryGap> gap = measured != null ? measured.get(i) : gap(sorted.get(i), primary);
      gaps.put(sorted.get(i), gap);
      keys[i] = -sortGap(gap);
      order[i] = i;
    }
    // Stable on the name order above: equal gaps keep it.
    Arrays.sort(order, Comparator.comparingDouble(i -> keys[i]));
    List<ReportTensor> byGap = new ArrayList<>(keys.length);
    for (int i : order) {
      byGap.add(sorted.get(i));
    }
    this.tensors = List.copyOf(byGap);
    this.summary = summary;
    this.drift = drift;
    this.gaps = gaps;
    if (measured != null && !this.tensors.isEmpty()) {
      // A table's rows all hold the same methods: the first row's order is the first-seen one.
      this.methods = List.copyOf(this.tensors.get(0).row().results().keySet());
    } else {
      Set<String> methodKeys = new LinkedHashSet<>();
      for (ReportTensor t : this.tensors) {
        methodKeys.addAll(t.row().results().keySet());
      }
      this.methods = List.copyOf(methodKeys);
    }
  }

  /**
   * {@code tensors} sorted by name.
   *
   * @throws IllegalArgumentException if two tensors share a name, or an argument is null
   */
  private static List<ReportTensor> byName(List<ReportTensor> tensors, RunSummary summary) {
    if (tensors == null || summary == null) {
      throw new IllegalArgumentException("Cannot build a report: tensors and summary are required");
    }
    List<ReportTensor> sorted = new ArrayList<>(tensors);
    sorted.sort(Comparator.comparing(ReportTensor::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException(
            "Cannot build a report: tensor '" + sorted.get(i).name() + "' appears twice");
      }
    }
    return sorted;
  }

  /** The tensors, largest gap first, then by name. */
  public List<ReportTensor> tensors() {
    return tensors;
  }

  /** The run summary. */
  public RunSummary summary() {
    return summary;
  }

  /** The drift against a baseline, or null when none was compared. */
  public Drift drift() {
    return drift;
  }

  private static String primaryOf(List<ReportTensor> tensors) {
    return tensors.isEmpty() || tensors.get(0).row().results().isEmpty()
        ? null
        : tensors.get(0).row().results().keySet().iterator().next();
  }

  // NaN (no measured gap) sorts after every gap, +Inf before every finite one.
  private static double sortGap(Optional<PrimaryGap> gap) {
    return gap.isEmpty() ? Double.NEGATIVE_INFINITY : gap.get().gapDb();
  }

  private static Optional<PrimaryGap> gap(ReportTensor t, String primary) {
    return primary == null || !t.row().results().containsKey(primary)
        ? Optional.empty()
        : PrimaryGap.of(t.row(), primary);
  }

  /** The primary method: the first method of the rows (null without tensors). */
  public String primaryMethod() {
    return primaryOf(tensors);
  }

  /** How far {@code t}'s primary method is from the best of its row, if it was measured. */
  public Optional<PrimaryGap> gap(ReportTensor t) {
    Optional<PrimaryGap> gap = gaps.get(t);
    return gap != null ? gap : gap(t, primaryMethod());
  }

  /**
   * The report of a table and the plots collected for it by tensor name; a tensor without a plot
   * gets {@link TensorPlot#NONE} (its section then says so).
   */
  public static ReportModel of(
      CalibrationTable table, Map<String, TensorPlot> plots, RunSummary summary) {
    if (summary == null) {
      throw new IllegalArgumentException("Cannot build a report: tensors and summary are required");
    }
    // The table's rows are sorted by name, without two of a name, and each holds every method: its
    // gaps are the model's when its primary method is the model's (the first row's first method).
    List<ReportTensor> tensors = new ArrayList<>(table.tensors().size());
    for (TensorCalibration row : table.tensors()) {
      tensors.add(new ReportTensor(row, plots.getOrDefault(row.name(), TensorPlot.NONE)));
    }
    String primary = primaryOf(tensors);
    return new ReportModel(
        tensors,
        primary != null && primary.equals(table.primaryMethod()) ? table.primaryGaps() : null,
        summary,
        null);
  }

  /** The method keys of all tensors, in first-seen order over the sorted tensors. */
  public List<String> methods() {
    return methods;
  }
}
