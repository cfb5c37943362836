package dev.qcal.core.calib;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Searches shared between the methods of one {@link TensorCalibrator#calibrate} call: when two
 * methods run the same computation on the same histogram (MXNet's and TVM's C++ KL search agree
 * whenever every count fits both tools' count types), the second reuses the first's result.
 *
 * <p>The memo lives on the calling thread for the duration of one call only, so it is thread-safe
 * and holds nothing between tensors; outside such a call ({@link Calibrator#calibrate} called
 * directly) every search runs. Keys must identify the computation completely (the histogram by
 * value, every parameter), and results must be immutable: sharing never changes an output.
 */
public final class SharedSearches {
  private static final ThreadLocal<SharedSearches> CURRENT = new ThreadLocal<>();

  private final Map<Object, Object> results = new HashMap<>();

  private SharedSearches() {}

  /**
   * The result for {@code key}: computed once per {@link TensorCalibrator#calibrate} call, or on
   * every call outside one.
   */
  public static <T> T computeIfAbsent(Object key, Supplier<T> compute) {
    SharedSearches scope = CURRENT.get();
    if (scope == null) {
      return compute.get();
    }
    @SuppressWarnings("unchecked")
    T result = (T) scope.results.get(key);
    if (result == null) {
      result = compute.get();
      scope.results.put(key, result);
    }
    return result;
  }

  /** Runs {@code body} with a fresh memo on this thread, restoring the previous one afterwards. */
  static <T> T within(Supplier<T> body) {
    SharedSearches previous = CURRENT.get();
    CURRENT.set(new SharedSearches());
    try {
      return body.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
