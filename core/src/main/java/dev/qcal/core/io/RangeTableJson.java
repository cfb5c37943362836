package dev.qcal.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qcal.core.drift.MethodRange;
import dev.qcal.core.drift.RangeTable;
import dev.qcal.core.drift.TensorRanges;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.TensorFlag;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the ranges of a {@code calibration.json} (any schema version of {@link CalibrationJson})
 * for the drift gate: the quantizer, the methods, and per tensor its flags and each method's range
 * and scale. Unlike {@link CalibrationJson#read} it is tolerant of what it does not need, so a
 * baseline written by a newer qcal still works: unknown fields and unknown flags are ignored, and a
 * method whose range is not per tensor (arrays: per-channel ranges) is kept as not compared. It is
 * strict on what it needs: the {@code format}, {@code quant.scheme}, {@code quant.bits}, and per
 * tensor its {@code name}, {@code flags} and per method {@code scale} with {@code amax} (symmetric
 * schemes) or {@code min} and {@code max} (affine), each named in the message when missing.
 */
public final class RangeTableJson {
  private RangeTableJson() {}

  /**
   * Reads {@code in}; {@code source} (a path) names it in messages.
   *
   * @throws InputFormatException naming the source (and tensor, method and field) if it is not
   *     JSON, not a qcal calibration table, or lacks a field the comparison needs
   */
  public static RangeTable read(InputStream in, String source) {
    JsonNode root = JsonInput.parse(in, source);
    if (!root.isObject() || !root.has(CalibrationJson.FORMAT)) {
      throw new InputFormatException(
          source
              + ": not a qcal calibration table (no 'format' field; expected a calibration.json"
              + " written by qcal)");
    }
    JsonNode format = root.get(CalibrationJson.FORMAT);
    if (!format.isTextual() || !CalibrationJson.FORMAT_NAME.equals(format.textValue())) {
      throw new InputFormatException(
          String.format(
              "%s: not a qcal calibration table ('format' is %s, expected \"%s\")",
              source, JsonInput.describe(format), CalibrationJson.FORMAT_NAME));
    }
    long version = JsonInput.integer(root, CalibrationJson.VERSION, source);
    if (version < 1) {
      throw new InputFormatException(source + ": 'version' must be 1 or more (" + version + ")");
    }
    String quantContext = source + ": 'quant'";
    JsonNode quant = JsonInput.object(root, CalibrationJson.QUANT, source);
    Scheme scheme =
        scheme(JsonInput.text(quant, CalibrationJson.SCHEME, quantContext), quantContext);
    long bits = JsonInput.integer(quant, CalibrationJson.BITS, quantContext);
    List<String> methods = new ArrayList<>();
    for (JsonNode m : JsonInput.array(root, CalibrationJson.METHODS, source)) {
      if (!m.isTextual()) {
        throw new InputFormatException(
            source + ": 'methods' must hold strings, not " + JsonInput.describe(m));
      }
      methods.add(m.textValue());
    }
    List<TensorRanges> tensors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode t : JsonInput.array(root, CalibrationJson.TENSORS, source)) {
      TensorRanges tensor = tensor(t, source, scheme);
      if (!names.add(tensor.name())) {
        throw new InputFormatException(
            source + ": tensor " + JsonInput.quote(tensor.name()) + " appears twice");
      }
      tensors.add(tensor);
    }
    return new RangeTable(scheme, (int) bits, methods, tensors);
  }

  private static Scheme scheme(String key, String context) {
    for (Scheme s : Scheme.values()) {
      if (s.key().equals(key.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new InputFormatException(context + ": unknown scheme '" + key + "'");
  }

  private static TensorRanges tensor(JsonNode t, String source, Scheme scheme) {
    if (!t.isObject()) {
      throw new InputFormatException(
          source + ": a tensor entry must be an object, not " + JsonInput.describe(t));
    }
    String name = JsonInput.text(t, CalibrationJson.NAME, source + ": a tensor entry");
    String context = source + ": tensor " + JsonInput.quote(name);
    Set<TensorFlag> flags = EnumSet.noneOf(TensorFlag.class);
    for (JsonNode f : JsonInput.array(t, CalibrationJson.FLAGS, context)) {
      for (TensorFlag flag : TensorFlag.values()) {
        if (f.isTextual() && flag.key().equals(f.textValue())) {
          flags.add(flag);
        }
      }
    }
    Map<String, MethodRange> ranges = new LinkedHashMap<>();
    Map<String, String> uncompared = new LinkedHashMap<>();
    JsonNode ms = JsonInput.object(t, CalibrationJson.METHODS, context);
    for (Iterator<Map.Entry<String, JsonNode>> it = ms.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String mContext = context + ": method " + e.getKey();
      JsonNode m = e.getValue();
      if (!m.isObject()) {
        throw new InputFormatException(
            mContext + ": must be an object, not " + JsonInput.describe(m));
      }
      JsonNode scale = JsonInput.required(m, CalibrationJson.SCALE, mContext);
      if (scale.isArray()) {
        // A per-channel result (one scale per channel): not a per-tensor range to compare.
        uncompared.put(e.getKey(), "per-channel ranges are not compared");
        continue;
      }
      ranges.put(e.getKey(), range(m, scheme, mContext));
    }
    return new TensorRanges(name, flags, ranges, uncompared);
  }

  private static MethodRange range(JsonNode m, Scheme scheme, String context) {
    double scale = JsonInput.number(m, CalibrationJson.SCALE, context);
    try {
      if (scheme.isSymmetric()) {
        double amax = JsonInput.number(m, CalibrationJson.AMAX, context);
        return new MethodRange(0.0 - Math.abs(amax), Math.abs(amax), scale);
      }
      return new MethodRange(
          JsonInput.number(m, CalibrationJson.MIN, context),
          JsonInput.number(m, CalibrationJson.MAX, context),
          scale);
    } catch (InputFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(context + ": " + e.getMessage(), e);
    }
  }
}
