package dev.qcal.core.table;

import dev.qcal.core.stats.RangeStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-channel part of a tensor's row: the channel axis, each channel's range statistics and
 * flags, and the per-channel results of the methods that run per channel (max, percentile, mse,
 * octav and their variants; the others are per tensor only). The row's per-tensor results stay as
 * they are, so every format that carries one range per tensor keeps working. Immutable.
 */
public final class ChannelCalibration implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int axis;
  private final List<RangeStats> stats;
  private final Map<String, ChannelResult> results;

  /**
   * Per-channel results of {@code stats.size()} channels along {@code axis}; {@code results} keeps
   * its order.
   *
   * @throws IllegalArgumentException if the axis is negative, there is no channel, or a result has
   *     another channel count or is filed under another method
   */
  public ChannelCalibration(int axis, List<RangeStats> stats, Map<String, ChannelResult> results) {
    if (axis < 0) {
      throw new IllegalArgumentException(
          "Cannot build per-channel results: axis must be >= 0 (" + axis + ")");
    }
    if (stats.isEmpty()) {
      throw new IllegalArgumentException("Cannot build per-channel results: no channel");
    }
    results.forEach(
        (method, r) -> {
          if (!method.equals(r.method()) || r.count() != stats.size()) {
            throw new IllegalArgumentException(
                String.format(
                    "Cannot build per-channel results: %s filed under %s has %d channels, expected"
                        + " %d",
                    r.method(), method, r.count(), stats.size()));
          }
        });
    this.axis = axis;
    this.stats = List.copyOf(stats);
    this.results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
  }

  /** The channel axis. */
  public int axis() {
    return axis;
  }

  /** The channel count. */
  public int count() {
    return stats.size();
  }

  /** Each channel's range statistics, in channel order. */
  public List<RangeStats> stats() {
    return stats;
  }

  /** Each flag raised on some channel, in declaration order, with its channels (ascending). */
  public Map<TensorFlag, int[]> flags() {
    Map<TensorFlag, List<Integer>> byFlag = new EnumMap<>(TensorFlag.class);
    for (int c = 0; c < stats.size(); c++) {
      for (TensorFlag f : TensorFlag.of(stats.get(c))) {
        byFlag.computeIfAbsent(f, k -> new ArrayList<>()).add(c);
      }
    }
    Map<TensorFlag, int[]> out = new EnumMap<>(TensorFlag.class);
    byFlag.forEach((f, cs) -> out.put(f, cs.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  /** The per-channel results by method key, in the requested order. */
  public Map<String, ChannelResult> results() {
    return results;
  }

  /** The per-channel results of {@code method}, if it runs per channel. */
  public Optional<ChannelResult> result(String method) {
    return Optional.ofNullable(results.get(method));
  }
}
