package dev.qcal.core.io;

import static dev.qcal.core.io.CalibrationJson.AMAX;
import static dev.qcal.core.io.CalibrationJson.BITS;
import static dev.qcal.core.io.CalibrationJson.COUNT;
import static dev.qcal.core.io.CalibrationJson.CURRENT_VERSION;
import static dev.qcal.core.io.CalibrationJson.DETAILS;
import static dev.qcal.core.io.CalibrationJson.FLAGS;
import static dev.qcal.core.io.CalibrationJson.FORMAT;
import static dev.qcal.core.io.CalibrationJson.FORMAT_NAME;
import static dev.qcal.core.io.CalibrationJson.MAX;
import static dev.qcal.core.io.CalibrationJson.METHODS;
import static dev.qcal.core.io.CalibrationJson.MIN;
import static dev.qcal.core.io.CalibrationJson.NAME;
import static dev.qcal.core.io.CalibrationJson.NAN;
import static dev.qcal.core.io.CalibrationJson.NEG_INF;
import static dev.qcal.core.io.CalibrationJson.NOTES;
import static dev.qcal.core.io.CalibrationJson.NULL;
import static dev.qcal.core.io.CalibrationJson.NULL_ROWS;
import static dev.qcal.core.io.CalibrationJson.OBJECTIVE;
import static dev.qcal.core.io.CalibrationJson.POS_INF;
import static dev.qcal.core.io.CalibrationJson.QUANT;
import static dev.qcal.core.io.CalibrationJson.SCALE;
import static dev.qcal.core.io.CalibrationJson.SCALE_ROUNDING;
import static dev.qcal.core.io.CalibrationJson.SCHEME;
import static dev.qcal.core.io.CalibrationJson.STATS;
import static dev.qcal.core.io.CalibrationJson.TENSORS;
import static dev.qcal.core.io.CalibrationJson.VERSION;
import static dev.qcal.core.io.CalibrationJson.ZERO_POINT;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.io.CalibrationTableDocument.MethodEntry;
import dev.qcal.core.io.CalibrationTableDocument.TensorEntry;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorFlag;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The reading half of {@link CalibrationJson}: a {@code calibration.json} of version 1 back into a
 * {@link CalibrationTableDocument}, every missing or mistyped field reported with the source,
 * tensor, method and field it belongs to.
 */
final class CalibrationJsonReader {
  private CalibrationJsonReader() {}

  /**
   * Reads a {@code calibration.json} of version 1; {@code source} names it in messages.
   *
   * @throws InputFormatException naming the source, tensor, method and field if the document is not
   *     valid JSON, not a qcal calibration table, of another version, or misses a field
   */
  static CalibrationTableDocument read(InputStream in, String source) {
    JsonNode root = JsonInput.parse(in, source);
    if (!root.isObject()) {
      throw new InputFormatException(
          source + ": expected a JSON object, not " + JsonInput.describe(root));
    }
    String format = JsonInput.text(root, FORMAT, source);
    if (!FORMAT_NAME.equals(format)) {
      throw new InputFormatException(
          String.format("%s: '%s' is '%s', expected '%s'", source, FORMAT, format, FORMAT_NAME));
    }
    long version = JsonInput.integer(root, VERSION, source);
    if (version != CURRENT_VERSION) {
      throw new InputFormatException(
          String.format(
              "%s: schema version %d is not supported (this qcal reads version %d)",
              source, version, CURRENT_VERSION));
    }
    QuantSpec quant = readQuant(JsonInput.object(root, QUANT, source), source + ": 'quant'");
    List<String> methods = new ArrayList<>();
    for (JsonNode m : JsonInput.array(root, METHODS, source)) {
      if (!m.isTextual()) {
        throw new InputFormatException(
            source + ": 'methods' must hold strings, not " + JsonInput.describe(m));
      }
      methods.add(m.textValue());
    }
    List<TensorEntry> tensors = new ArrayList<>();
    for (JsonNode t : JsonInput.array(root, TENSORS, source)) {
      tensors.add(readTensor(t, source, methods));
    }
    return new CalibrationTableDocument((int) version, quant, methods, tensors);
  }

  private static QuantSpec readQuant(JsonNode q, String context) {
    String scheme = JsonInput.text(q, SCHEME, context);
    String rounding = JsonInput.text(q, SCALE_ROUNDING, context);
    try {
      return new QuantSpec(
          (int) JsonInput.integer(q, BITS, context),
          Scheme.valueOf(scheme.toUpperCase(Locale.ROOT)),
          ScaleRounding.valueOf(rounding.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(context + ": " + e.getMessage(), e);
    }
  }

  private static TensorEntry readTensor(JsonNode t, String source, List<String> methods) {
    if (!t.isObject()) {
      throw new InputFormatException(
          source + ": a tensor entry must be an object, not " + JsonInput.describe(t));
    }
    String name = JsonInput.text(t, NAME, source + ": a tensor entry");
    String context = source + ": tensor " + JsonInput.quote(name);
    RangeStats stats = readStats(JsonInput.object(t, STATS, context), context + ": 'stats'");
    Set<TensorFlag> flags = EnumSet.noneOf(TensorFlag.class);
    for (JsonNode f : JsonInput.array(t, FLAGS, context)) {
      flags.add(readFlag(f, context));
    }
    JsonNode ms = JsonInput.object(t, METHODS, context);
    Map<String, MethodEntry> results = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = ms.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String mContext = context + ": method " + e.getKey();
      if (!e.getValue().isObject()) {
        throw new InputFormatException(
            mContext + ": must be an object, not " + JsonInput.describe(e.getValue()));
      }
      results.put(e.getKey(), readMethod(e.getValue(), mContext));
    }
    if (!results.keySet().equals(new java.util.LinkedHashSet<>(methods))) {
      throw new InputFormatException(
          String.format("%s: has results for %s, expected %s", context, results.keySet(), methods));
    }
    return new TensorEntry(name, stats, flags, results);
  }

  private static TensorFlag readFlag(JsonNode f, String context) {
    for (TensorFlag flag : TensorFlag.values()) {
      if (f.isTextual() && flag.key().equals(f.textValue())) {
        return flag;
      }
    }
    throw new InputFormatException(context + ": unknown flag " + JsonInput.describe(f));
  }

  private static RangeStats readStats(JsonNode s, String context) {
    long count = JsonInput.integer(s, COUNT, context);
    long nan = JsonInput.integer(s, NAN, context);
    long posInf = JsonInput.integer(s, POS_INF, context);
    long negInf = JsonInput.integer(s, NEG_INF, context);
    long nulls = s.has(NULL) ? JsonInput.integer(s, NULL, context) : 0;
    long nullRows = s.has(NULL_ROWS) ? JsonInput.integer(s, NULL_ROWS, context) : 0;
    JsonNode min = JsonInput.required(s, MIN, context);
    JsonNode max = JsonInput.required(s, MAX, context);
    try {
      if (min.isNull() && max.isNull()) {
        // No finite value: RangeStats ignores min/max then; any other count mix is rejected below.
        return RangeStats.of(count, nan, posInf, negInf, Float.NaN, Float.NaN)
            .withNulls(nulls, nullRows);
      }
      return RangeStats.of(
              count,
              nan,
              posInf,
              negInf,
              (float) JsonInput.numberValue(min, "'min'", context),
              (float) JsonInput.numberValue(max, "'max'", context))
          .withNulls(nulls, nullRows);
    } catch (InputFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(context + ": " + e.getMessage(), e);
    }
  }

  private static MethodEntry readMethod(JsonNode m, String context) {
    ClipRange range;
    try {
      range =
          m.has(AMAX)
              ? ClipRange.symmetric(JsonInput.number(m, AMAX, context))
              : new ClipRange(JsonInput.number(m, MIN, context), JsonInput.number(m, MAX, context));
    } catch (InputFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(context + ": " + e.getMessage(), e);
    }
    float scale = (float) JsonInput.number(m, SCALE, context);
    long zp = JsonInput.integer(m, ZERO_POINT, context);
    long bits = JsonInput.integer(m, BITS, context);
    JsonNode obj = JsonInput.required(m, OBJECTIVE, context);
    double objective =
        obj.isNull() ? Double.NaN : JsonInput.numberValue(obj, "'" + OBJECTIVE + "'", context);
    List<String> notes = new ArrayList<>();
    for (JsonNode n : JsonInput.array(m, NOTES, context)) {
      if (!n.isTextual()) {
        throw new InputFormatException(
            context + ": 'notes' must hold strings, not " + JsonInput.describe(n));
      }
      notes.add(n.textValue());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    JsonInput.object(m, DETAILS, context)
        .fields()
        .forEachRemaining(e -> details.put(e.getKey(), plain(e.getValue())));
    return new MethodEntry(range, scale, (int) zp, (int) bits, objective, notes, details);
  }

  /** A JSON value as plain immutable Java: Long, Double, String, Boolean, null, List, Map. */
  private static Object plain(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.longValue() : (Object) v.doubleValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isArray()) {
      List<Object> out = new ArrayList<>(v.size());
      v.forEach(e -> out.add(plain(e)));
      return Collections.unmodifiableList(out);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> out.put(e.getKey(), plain(e.getValue())));
    return Collections.unmodifiableMap(out);
  }
}
