package dev.qcal.core.drift;

import dev.qcal.core.table.TensorFlag;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One tensor of a {@link RangeTable}: its flags, one {@link MethodRange} per method it has a
 * per-tensor result for, and the methods whose result cannot be compared per tensor (with why, e.g.
 * per-channel ranges in a newer table).
 *
 * @param name the tensor name, verbatim
 * @param flags the tensor's flags (unknown flags of a newer table are left out)
 * @param methods per-tensor results by method key, in table order
 * @param uncompared methods whose result is not a per-tensor range, with the reason
 */
public record TensorRanges(
    String name,
    Set<TensorFlag> flags,
    Map<String, MethodRange> methods,
    Map<String, String> uncompared) {

  /**
   * The flags that mean the tensor's range is a documented fallback rather than data
   * (docs/outputs.md, "Degenerate tensors"): a tensor that gains or loses one of them has changed
   * in kind.
   */
  public static final Set<TensorFlag> DEGENERATE =
      Collections.unmodifiableSet(
          EnumSet.of(
              TensorFlag.EMPTY,
              TensorFlag.NO_FINITE_VALUES,
              TensorFlag.SINGLE_VALUE,
              TensorFlag.ALL_ZERO,
              TensorFlag.CONSTANT));

  /** Copies the collections. */
  public TensorRanges {
    if (name == null) {
      throw new IllegalArgumentException("Cannot build tensor ranges: the tensor name is null");
    }
    EnumSet<TensorFlag> f = EnumSet.noneOf(TensorFlag.class);
    f.addAll(flags);
    flags = Collections.unmodifiableSet(f);
    methods = Collections.unmodifiableMap(new LinkedHashMap<>(methods));
    uncompared = Collections.unmodifiableMap(new LinkedHashMap<>(uncompared));
  }

  /** A tensor whose every method has a per-tensor range. */
  public static TensorRanges of(
      String name, Set<TensorFlag> flags, Map<String, MethodRange> methods) {
    return new TensorRanges(name, flags, methods, Map.of());
  }

  /** The degenerate flags among {@link #flags}, in declaration order. */
  public List<TensorFlag> degenerateFlags() {
    return flags.stream().filter(DEGENERATE::contains).toList();
  }
}
