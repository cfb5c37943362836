package dev.qcal.core.drift;

import dev.qcal.core.table.TensorFlag;
import java.util.List;
import java.util.Optional;

/**
 * One tensor present in both tables: its change per method, the largest of them, and whether it
 * exceeds the limit.
 *
 * @param name the tensor name
 * @param baselineDegenerate the baseline's degenerate flags (empty when none)
 * @param currentDegenerate the current degenerate flags (empty when none)
 * @param methods one entry per method present in both tables, in the current table's order
 * @param exceeds whether some method's change is greater than the limit (false without a limit)
 */
public record TensorDrift(
    String name,
    List<TensorFlag> baselineDegenerate,
    List<TensorFlag> currentDegenerate,
    List<MethodDrift> methods,
    boolean exceeds) {

  /** Copies the lists. */
  public TensorDrift {
    baselineDegenerate = List.copyOf(baselineDegenerate);
    currentDegenerate = List.copyOf(currentDegenerate);
    methods = List.copyOf(methods);
  }

  /**
   * The method with the largest change (the first of equals, in table order); empty if no method
   * was compared.
   */
  public Optional<MethodDrift> worstMethod() {
    MethodDrift worst = null;
    for (MethodDrift m : methods) {
      if (!Double.isNaN(m.change()) && (worst == null || m.change() > worst.change())) {
        worst = m;
      }
    }
    return Optional.ofNullable(worst);
  }

  /** The largest change over the methods (+Infinity if unbounded); NaN if none was compared. */
  public double change() {
    return worstMethod().map(MethodDrift::change).orElse(Double.NaN);
  }

  /** Whether either side is degenerate. */
  public boolean isDegenerate() {
    return !baselineDegenerate.isEmpty() || !currentDegenerate.isEmpty();
  }
}
