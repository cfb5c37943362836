package dev.qcal.core.drift;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The drift of a table against its baseline: per tensor present in both, its change; the tensors
 * that appeared or disappeared; the limit and which tensors exceed it; the worst tensor.
 *
 * @param limit the largest allowed relative change; empty when drift is only reported
 * @param methods the methods compared (present in both tables), in the current table's order
 * @param tensors the tensors present in both, sorted by name
 * @param appeared tensors only in the current table, sorted
 * @param disappeared tensors only in the baseline, sorted
 */
public record DriftReport(
    OptionalDouble limit,
    List<String> methods,
    List<TensorDrift> tensors,
    List<String> appeared,
    List<String> disappeared) {

  /** Copies the lists. */
  public DriftReport {
    methods = List.copyOf(methods);
    tensors = List.copyOf(tensors);
    appeared = List.copyOf(appeared);
    disappeared = List.copyOf(disappeared);
  }

  /** The tensors whose change exceeds the limit, sorted by name (none without a limit). */
  public List<TensorDrift> exceeded() {
    return tensors.stream().filter(TensorDrift::exceeds).toList();
  }

  /** Whether some tensor exceeds the limit: the gate trips. */
  public boolean exceedsLimit() {
    return tensors.stream().anyMatch(TensorDrift::exceeds);
  }

  /**
   * The tensor with the largest change (unbounded changes rank first; the first by name among
   * equals); empty if no tensor was compared.
   */
  public Optional<TensorDrift> worst() {
    TensorDrift worst = null;
    for (TensorDrift t : tensors) {
      double c = t.change();
      if (!Double.isNaN(c) && (worst == null || c > worst.change())) {
        worst = t;
      }
    }
    return Optional.ofNullable(worst);
  }
}
