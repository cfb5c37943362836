package dev.qcal.core.table;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.eval.QuantNoise;
import dev.qcal.core.stats.RangeStats;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One tensor's row of the table: its name (verbatim), range statistics, flags, and one result per
 * method in the order the methods were requested (the first is the primary one), each result's
 * measured quantization error ({@link QuantNoise}) when the tensor's histograms were at hand, and
 * for a tensor calibrated per channel its {@link ChannelCalibration}. Immutable.
 */
// Serializable because the Spark job computes rows on the executors and collects them.
public final class TensorCalibration implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final RangeStats stats;
  private final Set<TensorFlag> flags;
  private final Map<String, CalibrationResult> results;
  private final ChannelCalibration channels;
  private final Map<String, QuantNoise> errors;

  /**
   * A row; {@code results} keeps its iteration order.
   *
   * @throws IllegalArgumentException if the name is null or a result's method does not match its
   *     key
   */
  public TensorCalibration(String name, RangeStats stats, Map<String, CalibrationResult> results) {
    this(name, stats, results, null);
  }

  /**
   * A row with per-channel results beside the per-tensor ones ({@code channels} null for a
   * per-tensor row).
   *
   * @throws IllegalArgumentException as {@link #TensorCalibration(String, RangeStats, Map)}
   */
  public TensorCalibration(
      String name,
      RangeStats stats,
      Map<String, CalibrationResult> results,
      ChannelCalibration channels) {
    this(name, stats, results, channels, Map.of());
  }

  TensorCalibration(
      String name,
      RangeStats stats,
      Map<String, CalibrationResult> results,
      ChannelCalibration channels,
      Map<String, QuantNoise> errors) {
    if (name == null) {
      throw new IllegalArgumentException("Cannot build a table row: tensor name is null");
    }
    results.forEach(
        (method, result) -> {
          if (!method.equals(result.method())) {
            throw new IllegalArgumentException(
                String.format(
                    "Cannot build the row of tensor '%s': result of %s filed under %s",
                    name, result.method(), method));
          }
        });
    this.name = name;
    this.stats = stats;
    this.flags = Collections.unmodifiableSet(EnumSet.copyOf(flagsOf(stats)));
    this.results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    this.channels = channels;
    this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
  }

  /** This row with {@code value} as its per-channel results (null: a per-tensor row). */
  public TensorCalibration withChannels(ChannelCalibration value) {
    return new TensorCalibration(name, stats, results, value, errors);
  }

  /**
   * This row with the measured error of each method's result ({@link QuantNoise#of(
   * dev.qcal.core.calib.TensorStatistics, CalibrationResult)}), by method key.
   */
  public TensorCalibration withErrors(Map<String, QuantNoise> value) {
    return new TensorCalibration(name, stats, results, channels, value);
  }

  /**
   * This row without its results' search curves ({@link CalibrationResult#withoutCurves}), what a
   * run that writes no report keeps; everything else is kept.
   */
  public TensorCalibration withoutCurves() {
    Map<String, CalibrationResult> bare = new LinkedHashMap<>();
    results.forEach((method, r) -> bare.put(method, r.withoutCurves()));
    return new TensorCalibration(name, stats, bare, channels, errors);
  }

  /** The measured error of each method's result, by method key (empty when it was not measured). */
  public Map<String, QuantNoise> errors() {
    return errors;
  }

  /**
   * The measured error of {@code method}'s result, {@link QuantNoise#UNKNOWN} if it was not
   * measured.
   */
  public QuantNoise error(String method) {
    return errors.getOrDefault(method, QuantNoise.UNKNOWN);
  }

  /** The per-channel results, present when the tensor was calibrated per channel. */
  public Optional<ChannelCalibration> channels() {
    return Optional.ofNullable(channels);
  }

  /**
   * The per-channel results of {@code method}, present when the tensor was calibrated per channel
   * and the method runs per channel.
   */
  public Optional<ChannelResult> channelResult(String method) {
    return channels == null ? Optional.empty() : channels.result(method);
  }

  private static Set<TensorFlag> flagsOf(RangeStats stats) {
    Set<TensorFlag> f = TensorFlag.of(stats);
    return f.isEmpty() ? EnumSet.noneOf(TensorFlag.class) : f;
  }

  /** The tensor name, exactly as in the dump. */
  public String name() {
    return name;
  }

  /** Range statistics of pass 1. */
  public RangeStats stats() {
    return stats;
  }

  /** Flags derived from the statistics. */
  public Set<TensorFlag> flags() {
    return flags;
  }

  /** Results by method key, in the requested order. */
  public Map<String, CalibrationResult> results() {
    return results;
  }

  /**
   * The result of {@code method}.
   *
   * @throws IllegalArgumentException naming the tensor and method if there is none
   */
  public CalibrationResult result(String method) {
    CalibrationResult r = results.get(method);
    if (r == null) {
      throw new IllegalArgumentException(
          String.format(
              "Tensor '%s' has no result for method %s (has %s)", name, method, results.keySet()));
    }
    return r;
  }
}
