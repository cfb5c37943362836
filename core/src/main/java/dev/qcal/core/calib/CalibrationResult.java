package dev.qcal.core.calib;

import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a calibrator chose for one tensor: the clip range, its scale and zero point, the objective
 * at the choice, the search curves (candidate → objective, for the report), method-specific details
 * (e.g. non-uniform levels) and notes (e.g. "constant tensor: fell back to max"). Immutable.
 */
// Serializable because the Spark job computes rows on the executors and collects them.
public final class CalibrationResult implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final String method;
  private final ClipRange range;
  private final QuantSpec quant;
  private final QuantParams params;
  private final double objective;
  private final Map<String, List<SearchPoint>> curves;
  private final Map<String, Object> details;
  private final List<String> notes;

  private CalibrationResult(CalibrationResult other, String method) {
    this(other, method, other.curves);
  }

  private CalibrationResult(
      CalibrationResult other, String method, Map<String, List<SearchPoint>> curves) {
    this.method = method;
    this.range = other.range;
    this.quant = other.quant;
    this.params = other.params;
    this.objective = other.objective;
    this.curves = curves;
    this.details = other.details;
    this.notes = other.notes;
  }

  private CalibrationResult(Builder b) {
    this.method = b.method;
    this.range = b.range;
    this.quant = b.quant;
    this.params = b.params != null ? b.params : b.quant.params(b.range);
    this.objective = b.objective;
    this.curves = Collections.unmodifiableMap(new TreeMap<>(b.curves));
    this.details = Collections.unmodifiableMap(new TreeMap<>(b.details));
    this.notes = List.copyOf(b.notes);
  }

  /** Starts a result of {@code method} for {@code range} under {@code quant}. */
  public static Builder builder(String method, ClipRange range, QuantSpec quant) {
    return new Builder(method, range, quant);
  }

  /** The same result filed under another method key (e.g. {@code percentile@99.9}). */
  public CalibrationResult withMethod(String key) {
    return new CalibrationResult(this, key);
  }

  /**
   * This result without its search curves (thousands of points per tensor and method): what a run
   * that writes no report ships to the driver. Every other field is kept.
   */
  public CalibrationResult withoutCurves() {
    return curves.isEmpty() ? this : new CalibrationResult(this, method, Map.of());
  }

  /**
   * This result with another range and its scale and zero point, and a note saying why; the
   * objective, curves and details are kept.
   */
  public CalibrationResult withRange(ClipRange newRange, QuantParams newParams, String note) {
    List<String> more = new ArrayList<>(notes);
    more.add(note);
    return new CalibrationResult(this, newRange, newParams, List.copyOf(more));
  }

  private CalibrationResult(
      CalibrationResult other, ClipRange range, QuantParams params, List<String> notes) {
    this.method = other.method;
    this.range = range;
    this.quant = other.quant;
    this.params = params;
    this.objective = other.objective;
    this.curves = other.curves;
    this.details = other.details;
    this.notes = notes;
  }

  /** The method key, e.g. {@code entropy} or {@code entropy:ort}. */
  public String method() {
    return method;
  }

  /** The chosen clip range. */
  public ClipRange range() {
    return range;
  }

  /** max(|min|, |max|) of the range. */
  public double amax() {
    return range.amax();
  }

  /** The quantizer the scale was computed for. */
  public QuantSpec quant() {
    return quant;
  }

  /** Scale and zero point. */
  public QuantParams params() {
    return params;
  }

  /** The objective at the chosen range (KL, MSE, ...), NaN when the method has none. */
  public double objective() {
    return objective;
  }

  /** Search curves by name (e.g. {@code kl}, {@code mse}), sorted by name. */
  public Map<String, List<SearchPoint>> curves() {
    return curves;
  }

  /**
   * Method-specific outputs by name, sorted (values are {@link Number}, {@link String}, {@code
   * double[]} or {@code long[]}; arrays are shared, do not modify them).
   */
  public Map<String, Object> details() {
    return details;
  }

  /** Notes on fallbacks and quirks, in the order they arose. */
  public List<String> notes() {
    return notes;
  }

  /**
   * Equal when every field is: method, range, quantizer, scale and zero point, objective (NaN equal
   * to NaN, -0.0 not equal to 0.0, as in records), curves, details (arrays by content) and notes.
   * Determinism checks compare whole results with it.
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CalibrationResult r)) {
      return false;
    }
    return method.equals(r.method)
        && range.equals(r.range)
        && quant.equals(r.quant)
        && params.equals(r.params)
        && Double.compare(objective, r.objective) == 0
        && curves.equals(r.curves)
        && sameDetails(r.details)
        && notes.equals(r.notes);
  }

  private boolean sameDetails(Map<String, Object> other) {
    if (!details.keySet().equals(other.keySet())) {
      return false;
    }
    for (Map.Entry<String, Object> e : details.entrySet()) {
      if (!Objects.deepEquals(e.getValue(), other.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    // Details by name only: their array values hash by identity.
    return Objects.hash(method, range, quant, params, objective, curves, details.keySet(), notes);
  }

  @Override
  public String toString() {
    return String.format(
        "%s[%s, %s] scale=%s zp=%d objective=%s notes=%s",
        method, range.min(), range.max(), params.scale(), params.zeroPoint(), objective, notes);
  }

  /** Builds a {@link CalibrationResult}. */
  public static final class Builder {
    private final String method;
    private final ClipRange range;
    private final QuantSpec quant;
    private QuantParams params;
    private double objective = Double.NaN;
    private final Map<String, List<SearchPoint>> curves = new TreeMap<>();
    private final Map<String, Object> details = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();

    private Builder(String method, ClipRange range, QuantSpec quant) {
      if (method == null || range == null || quant == null) {
        throw new IllegalArgumentException(
            "Cannot build a result: method, range and quant are required");
      }
      this.method = method;
      this.range = range;
      this.quant = quant;
    }

    /** Overrides the scale and zero point (for tools whose scale convention differs, e.g. PPQ). */
    public Builder params(QuantParams value) {
      this.params = value;
      return this;
    }

    /** The objective at the chosen range. */
    public Builder objective(double value) {
      this.objective = value;
      return this;
    }

    /** Adds a search curve (copied). */
    public Builder curve(String name, List<SearchPoint> points) {
      curves.put(name, List.copyOf(points));
      return this;
    }

    /** Adds a method-specific output. */
    public Builder detail(String name, Object value) {
      details.put(name, value);
      return this;
    }

    /** Adds a note. */
    public Builder note(String note) {
      notes.add(note);
      return this;
    }

    /** The result. */
    public CalibrationResult build() {
      return new CalibrationResult(this);
    }
  }
}
