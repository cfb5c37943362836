package dev.qcal.core.table;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One method's per-channel results for one tensor, as arrays indexed by channel: the clip range,
 * float32 scale and zero point of every channel, and each distinct note (a degenerate channel's
 * fallback) with the channels it applies to. Immutable; the arrays returned are copies.
 */
public final class ChannelResult implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final String method;
  private final QuantSpec quant;
  private final double[] min;
  private final double[] max;
  private final float[] scale;
  private final int[] zeroPoint;
  private final Map<String, int[]> notes;

  /** A result of these arrays, held as they are (not copied). */
  ChannelResult(
      String method,
      QuantSpec quant,
      double[] min,
      double[] max,
      float[] scale,
      int[] zeroPoint,
      Map<String, int[]> notes) {
    this.method = method;
    this.quant = quant;
    this.min = min;
    this.max = max;
    this.scale = scale;
    this.zeroPoint = zeroPoint;
    this.notes = notes;
  }

  /**
   * The arrays of {@code perChannel}, one result per channel in channel order, all of method {@code
   * method}.
   *
   * @throws IllegalArgumentException if a result is of another method or quantizer, or there is
   *     none
   */
  public static ChannelResult of(String method, List<CalibrationResult> perChannel) {
    if (perChannel.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot build per-channel results of " + method + ": no channel");
    }
    int n = perChannel.size();
    QuantSpec quant = perChannel.get(0).quant();
    double[] min = new double[n];
    double[] max = new double[n];
    float[] scale = new float[n];
    int[] zeroPoint = new int[n];
    Map<String, List<Integer>> notes = new LinkedHashMap<>();
    for (int c = 0; c < n; c++) {
      CalibrationResult r = perChannel.get(c);
      if (!method.equals(r.method()) || !quant.equals(r.quant())) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot build per-channel results of %s: channel %d holds a result of %s under %s",
                method, c, r.method(), r.quant()));
      }
      min[c] = r.range().min();
      max[c] = r.range().max();
      scale[c] = r.params().scale();
      zeroPoint[c] = r.params().zeroPoint();
      for (String note : r.notes()) {
        notes.computeIfAbsent(note, k -> new ArrayList<>()).add(c);
      }
    }
    Map<String, int[]> noteChannels = new LinkedHashMap<>();
    notes.forEach(
        (note, cs) -> noteChannels.put(note, cs.stream().mapToInt(Integer::intValue).toArray()));
    return new ChannelResult(
        method, quant, min, max, scale, zeroPoint, Collections.unmodifiableMap(noteChannels));
  }

  /** The method key. */
  public String method() {
    return method;
  }

  /** The quantizer the scales are for. */
  public QuantSpec quant() {
    return quant;
  }

  /** The channel count. */
  public int count() {
    return scale.length;
  }

  /** The clip range of channel {@code c}. */
  public ClipRange range(int c) {
    return new ClipRange(min[c], max[c]);
  }

  /** max(|min|, |max|) of channel {@code c}. */
  public double amax(int c) {
    return Math.max(Math.abs(min[c]), Math.abs(max[c]));
  }

  /** The float32 scale of channel {@code c}. */
  public float scale(int c) {
    return scale[c];
  }

  /** The zero point of channel {@code c}. */
  public int zeroPoint(int c) {
    return zeroPoint[c];
  }

  /** Every channel's scale (a copy). */
  public float[] scales() {
    return scale.clone();
  }

  /** The smallest scale of any channel. */
  public float minScale() {
    float m = Float.POSITIVE_INFINITY;
    for (float s : scale) {
      m = Math.min(m, s);
    }
    return m;
  }

  /** The largest scale of any channel. */
  public float maxScale() {
    float m = 0;
    for (float s : scale) {
      m = Math.max(m, s);
    }
    return m;
  }

  /**
   * Each distinct note, in order of the first channel it applies to, with its channels (ascending).
   */
  public Map<String, int[]> notes() {
    Map<String, int[]> out = new LinkedHashMap<>();
    notes.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }
}
