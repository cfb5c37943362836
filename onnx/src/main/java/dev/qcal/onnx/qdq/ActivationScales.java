package dev.qcal.onnx.qdq;

import dev.qcal.core.io.CalibrationTableDocument;
import dev.qcal.core.io.CalibrationTableDocument.MethodEntry;
import dev.qcal.core.io.CalibrationTableDocument.TensorEntry;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.core.table.TensorFlag;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The activation scales one method of a {@code calibration.json} gives, by ONNX tensor name, for
 * one Q/DQ scheme; and the tensors it flags as degenerate, which stay in float.
 *
 * <p>Degenerate here means a tensor whose table range does not come from a spread of values: no
 * value or no finite one, all zeros, a single value or a constant ({@code empty}, {@code
 * no_finite_values}, {@code all_zero}, {@code single_value}, {@code constant}). The table gives
 * them documented fallback scales (1 for an empty range, |c|/127 for a constant) that say nothing
 * about the values the model will see, so quantizing with them would clip or zero real inputs. NaN
 * or infinities among finite values ({@code has_nan}, {@code has_inf}) are not degenerate: the
 * range is that of the finite values.
 */
public final class ActivationScales implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The flags whose tensors stay in float. */
  public static final Set<TensorFlag> DEGENERATE =
      Collections.unmodifiableSet(
          EnumSet.of(
              TensorFlag.EMPTY,
              TensorFlag.NO_FINITE_VALUES,
              TensorFlag.ALL_ZERO,
              TensorFlag.SINGLE_VALUE,
              TensorFlag.CONSTANT));

  /**
   * One tensor's quantization parameters.
   *
   * @param scale the scale, finite and positive (float32, as the table wrote it)
   * @param zeroPoint the zero point on the scheme's grid (0 but for {@code affine})
   */
  public record TensorScale(float scale, int zeroPoint) implements Serializable {}

  private final QdqScheme scheme;
  private final String method;
  private final Map<String, TensorScale> scales;
  private final Map<String, String> degenerate;

  private ActivationScales(
      QdqScheme scheme,
      String method,
      Map<String, TensorScale> scales,
      Map<String, String> degenerate) {
    this.scheme = scheme;
    this.method = method;
    this.scales = scales;
    this.degenerate = degenerate;
  }

  /**
   * The scales of {@code method} (the table's primary method when null) for {@code scheme}.
   *
   * @param source the table's path, named in errors
   * @throws QdqUsageException when the table was calibrated with another scheme or bit width than
   *     {@code scheme} needs, or has no result for {@code method} (the message lists its methods)
   * @throws InputFormatException naming the tensor when an affine zero point is off the UINT8 grid
   */
  public static ActivationScales from(
      CalibrationTableDocument table, String method, QdqScheme scheme, String source) {
    if (table.quant().scheme() != scheme.tableScheme() || table.quant().bits() != QdqScheme.BITS) {
      throw new QdqUsageException(
          String.format(
              "%s was calibrated with --scheme %s --bits %d; Q/DQ scheme %s needs a table of"
                  + " --scheme %s --bits %d (calibrate again with those, or pick the --scheme the"
                  + " table was made for)",
              source,
              table.quant().scheme().key(),
              table.quant().bits(),
              scheme.key(),
              scheme.tableScheme().key(),
              QdqScheme.BITS));
    }
    if (table.methods().isEmpty()) {
      throw new InputFormatException(source + ": the table holds no method");
    }
    String chosen = method == null ? table.methods().get(0) : method;
    if (!table.methods().contains(chosen)) {
      throw new QdqUsageException(
          source
              + " has no method '"
              + chosen
              + "'; its methods are "
              + String.join(", ", table.methods())
              + " (the first is the primary, the default)");
    }
    Map<String, TensorScale> scales = new LinkedHashMap<>();
    Map<String, String> degenerate = new LinkedHashMap<>();
    for (TensorEntry t : table.tensors()) {
      MethodEntry m = t.method(chosen);
      Set<TensorFlag> flags = EnumSet.noneOf(TensorFlag.class);
      flags.addAll(t.flags());
      flags.retainAll(DEGENERATE);
      if (!flags.isEmpty()) {
        degenerate.put(
            t.name(), flags.stream().map(TensorFlag::key).collect(Collectors.joining(", ")));
      } else if (!(m.scale() > 0) || !Float.isFinite(m.scale())) {
        degenerate.put(t.name(), "scale " + m.scale());
      } else {
        scales.put(t.name(), new TensorScale(m.scale(), zeroPoint(m, scheme, source, t.name())));
      }
    }
    return new ActivationScales(
        scheme,
        chosen,
        Collections.unmodifiableMap(scales),
        Collections.unmodifiableMap(degenerate));
  }

  private static int zeroPoint(MethodEntry m, QdqScheme scheme, String source, String tensor) {
    if (scheme != QdqScheme.AFFINE) {
      // Symmetric and FP8 tables always write 0; the Q/DQ nodes get 0 whatever a hand edit says.
      return 0;
    }
    if (m.zeroPoint() < 0 || m.zeroPoint() > 255) {
      throw new InputFormatException(
          source
              + ": tensor '"
              + tensor
              + "': zero point "
              + m.zeroPoint()
              + " is off the UINT8 grid [0, 255]");
    }
    return m.zeroPoint();
  }

  /** The Q/DQ scheme the scales are for. */
  public QdqScheme scheme() {
    return scheme;
  }

  /** The method the scales come from. */
  public String method() {
    return method;
  }

  /**
   * The scale of tensor {@code name}; empty when the table does not hold it or it is degenerate.
   */
  public Optional<TensorScale> scale(String name) {
    return Optional.ofNullable(scales.get(name));
  }

  /** Why tensor {@code name} is degenerate (its flags), empty when it is not. */
  public Optional<String> degenerate(String name) {
    return Optional.ofNullable(degenerate.get(name));
  }
}
