package dev.qcal.core.io;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorFlag;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code calibration.json} as read back by {@link CalibrationJson#read}: the quantizer, the
 * methods in requested order and one entry per tensor, sorted by name. Immutable.
 *
 * @param version the schema version (1)
 * @param quant the quantizer the scales are for
 * @param methods the method keys, primary first
 * @param tensors one entry per tensor, in file order (sorted by name)
 */
public record CalibrationTableDocument(
    int version, QuantSpec quant, List<String> methods, List<TensorEntry> tensors) {

  /** Copies the lists. */
  public CalibrationTableDocument {
    methods = List.copyOf(methods);
    tensors = List.copyOf(tensors);
  }

  /**
   * The entry of tensor {@code name}.
   *
   * @throws IllegalArgumentException naming the tensor if there is none
   */
  public TensorEntry tensor(String name) {
    for (TensorEntry t : tensors) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("The calibration table has no tensor '" + name + "'");
  }

  /**
   * One tensor: its name (verbatim), range statistics, flags and one result per method.
   *
   * @param name the tensor name, exactly as in the dump
   * @param stats the range statistics (min/max are the exact float32 values)
   * @param flags the flags, in declaration order
   * @param methods results by method key, in the document's order
   */
  public record TensorEntry(
      String name, RangeStats stats, Set<TensorFlag> flags, Map<String, MethodEntry> methods) {

    /** Copies the collections. */
    public TensorEntry {
      EnumSet<TensorFlag> f = EnumSet.noneOf(TensorFlag.class);
      f.addAll(flags);
      flags = Collections.unmodifiableSet(f);
      methods = Collections.unmodifiableMap(new LinkedHashMap<>(methods));
    }

    /**
     * The result of {@code method}.
     *
     * @throws IllegalArgumentException naming the tensor and the method if there is none
     */
    public MethodEntry method(String method) {
      MethodEntry m = methods.get(method);
      if (m == null) {
        throw new IllegalArgumentException(
            String.format(
                "Tensor '%s' has no result for method %s (has %s)",
                name, method, methods.keySet()));
      }
      return m;
    }
  }

  /**
   * One method's result for one tensor.
   *
   * @param range the clip range: (−amax, amax) when the file gives {@code amax} (symmetric
   *     schemes), else [min, max]
   * @param scale the scale, exactly the float32 that was written
   * @param zeroPoint the zero point
   * @param bits the bit width
   * @param objective the objective at the choice; NaN when the file has {@code null} (no objective,
   *     or a non-finite one: the writer never writes NaN or Infinity)
   * @param notes the notes, in order
   * @param details method-specific outputs by name: {@code Long}, {@code Double}, {@code String},
   *     {@code Boolean}, {@code null}, or (unmodifiable) {@code List}s and {@code Map}s of these
   */
  public record MethodEntry(
      ClipRange range,
      float scale,
      int zeroPoint,
      int bits,
      double objective,
      List<String> notes,
      Map<String, Object> details) {

    /** Copies the collections. */
    public MethodEntry {
      notes = List.copyOf(notes);
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** max(|min|, |max|) of the range. */
    public double amax() {
      return range.amax();
    }
  }
}
