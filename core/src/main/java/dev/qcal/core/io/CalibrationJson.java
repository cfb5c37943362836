package dev.qcal.core.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.table.TensorFlag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical {@code calibration.json}: writer and reader of schema version 1, sharing their
 * field names (as Iceberg's {@code FileMetadataParser} does), so the two cannot drift apart.
 *
 * <h2>Schema (version 1)</h2>
 *
 * <pre>{@code
 * {
 *   "format": "qcal.calibration",
 *   "version": 1,
 *   "quant": {"scheme": "symmetric", "bits": 8, "scale_rounding": "exact"},
 *   "methods": ["entropy", "max"],                  // requested order; the first is primary
 *   "tensors": [                                    // sorted by name (String.compareTo)
 *     {
 *       "name": "conv1",                            // verbatim (JSON string escaping only)
 *       "stats": {"count": 1000, "nan": 0, "pos_inf": 0, "neg_inf": 0, "min": -1.5, "max": 2.5},
 *                                                   // + "null", "null_rows" when not 0 (has_null)
 *       "flags": ["has_nan"],                       // TensorFlag keys, declaration order
 *       "methods": {
 *         "entropy": {
 *           "amax": 2.25,                           // symmetric schemes (symmetric, unsigned, fp8_*)
 *           // or "min": -1.0, "max": 2.0            // affine schemes
 *           "scale": 0.017716536,                   // float32, printed as its double
 *           "zero_point": 0,
 *           "bits": 8,
 *           "objective": 0.0123,                    // null when none or not finite
 *           "notes": ["..."],
 *           "details": {"levels": [...]}            // method-specific, sorted by name
 *         }
 *       },
 *       "channels": {...}                           // per-channel tensors only (ChannelJson)
 *     }
 *   ]
 * }
 * }</pre>
 *
 * <h2>Determinism</h2>
 *
 * No timestamps or host names, so two runs over the same dump give the same bytes. Layout:
 * two-space indentation, one array element per line, LF, UTF-8, a final newline. Numbers: integers
 * as integers; doubles as the shortest decimal that reads back as the same double ({@link
 * Decimals}); float32 values (scale, stats min/max) as the double they widen to, so casting the
 * parsed double to float recovers the exact float32 (the sign of a zero is not kept: −0.0 is
 * written 0.0). Stats {@code min}/{@code max} are {@code null} when the tensor has no finite value.
 *
 * <h2>Non-finite values</h2>
 *
 * JSON has no NaN or Infinity, and writing them as strings would break strict readers. A non-finite
 * objective (NaN: the method has none; +Infinity: e.g. a KL divergence with an empty quantized bin)
 * and non-finite numbers in {@code details} are written as {@code null}; the distinction between
 * NaN and ±Infinity is lost (the report, which has the curves, keeps it).
 *
 * <h2>Per-channel tensors</h2>
 *
 * A tensor calibrated per channel also has a {@code channels} object after {@code methods}: the
 * axis, the channel count, per-channel statistics and flags, and per method that runs per channel
 * the arrays of amax (or min and max), scale and zero point, with each note and its channels
 * (layout in {@code ChannelJson}). Its per-tensor fields are those of any tensor. The reader
 * ignores {@code channels}.
 *
 * <h2>Not written</h2>
 *
 * Search curves (they can hold thousands of points per tensor and method; the HTML report uses
 * them). For symmetric schemes only {@code amax} is written: the range is (−amax, amax).
 */
public final class CalibrationJson {
  /** The value of {@link #FORMAT}. */
  public static final String FORMAT_NAME = "qcal.calibration";

  /** The schema version this class writes and reads. */
  public static final int CURRENT_VERSION = 1;

  static final String FORMAT = "format";
  static final String VERSION = "version";
  static final String QUANT = "quant";
  static final String SCHEME = "scheme";
  static final String BITS = "bits";
  static final String SCALE_ROUNDING = "scale_rounding";
  static final String METHODS = "methods";
  static final String TENSORS = "tensors";
  static final String NAME = "name";
  static final String STATS = "stats";
  static final String COUNT = "count";
  static final String NAN = "nan";
  static final String POS_INF = "pos_inf";
  static final String NEG_INF = "neg_inf";
  static final String NULL = "null";
  static final String NULL_ROWS = "null_rows";
  static final String MIN = "min";
  static final String MAX = "max";
  static final String FLAGS = "flags";
  static final String AMAX = "amax";
  static final String SCALE = "scale";
  static final String ZERO_POINT = "zero_point";
  static final String OBJECTIVE = "objective";
  static final String NOTES = "notes";
  static final String DETAILS = "details";

  private static final String DEFAULT_SOURCE = "calibration.json";
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  // The per-tensor and per-result field names, quoted and encoded once: a name given as a String is
  // escaped character by character at each of the ~40 fields a tensor has.
  private static final SerializedString S_NAME = new SerializedString(NAME);
  private static final SerializedString S_STATS = new SerializedString(STATS);
  private static final SerializedString S_COUNT = new SerializedString(COUNT);
  private static final SerializedString S_NAN = new SerializedString(NAN);
  private static final SerializedString S_POS_INF = new SerializedString(POS_INF);
  private static final SerializedString S_NEG_INF = new SerializedString(NEG_INF);
  private static final SerializedString S_NULL = new SerializedString(NULL);
  private static final SerializedString S_NULL_ROWS = new SerializedString(NULL_ROWS);
  private static final SerializedString S_MIN = new SerializedString(MIN);
  private static final SerializedString S_MAX = new SerializedString(MAX);
  private static final SerializedString S_FLAGS = new SerializedString(FLAGS);
  private static final SerializedString S_METHODS = new SerializedString(METHODS);
  private static final SerializedString S_AMAX = new SerializedString(AMAX);
  private static final SerializedString S_SCALE = new SerializedString(SCALE);
  private static final SerializedString S_ZERO_POINT = new SerializedString(ZERO_POINT);
  private static final SerializedString S_BITS = new SerializedString(BITS);
  private static final SerializedString S_OBJECTIVE = new SerializedString(OBJECTIVE);
  private static final SerializedString S_NOTES = new SerializedString(NOTES);
  private static final SerializedString S_DETAILS = new SerializedString(DETAILS);

  private CalibrationJson() {}

  /**
   * Writes {@code table} to {@code out} (UTF-8; the stream is flushed, not closed).
   *
   * @throws IllegalArgumentException naming the tensor, method and detail if a detail value has a
   *     type JSON cannot carry (a calibrator bug)
   * @throws UncheckedIOException if the stream fails
   */
  public static void write(CalibrationTable table, OutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(new CanonicalPrettyPrinter());
      writeTable(table, g);
      g.writeRaw('\n');
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the calibration JSON", e);
    }
  }

  /** The JSON text {@link #write} writes. */
  public static String toJson(CalibrationTable table) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    write(table, buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static void writeTable(CalibrationTable table, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField(FORMAT, FORMAT_NAME);
    g.writeNumberField(VERSION, CURRENT_VERSION);
    QuantSpec quant = table.quant();
    g.writeObjectFieldStart(QUANT);
    g.writeStringField(SCHEME, quant.scheme().key());
    g.writeNumberField(BITS, quant.bits());
    g.writeStringField(SCALE_ROUNDING, quant.powerOfTwo().name().toLowerCase(Locale.ROOT));
    g.writeEndObject();
    g.writeArrayFieldStart(METHODS);
    for (String m : table.methods()) {
      g.writeString(m);
    }
    g.writeEndArray();
    g.writeArrayFieldStart(TENSORS);
    for (TensorCalibration t : table.tensors()) {
      writeTensor(t, g);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeTensor(TensorCalibration t, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeFieldName(S_NAME);
    g.writeString(t.name());
    RangeStats s = t.stats();
    g.writeFieldName(S_STATS);
    g.writeStartObject();
    g.writeFieldName(S_COUNT);
    g.writeNumber(s.count());
    g.writeFieldName(S_NAN);
    g.writeNumber(s.nanCount());
    g.writeFieldName(S_POS_INF);
    g.writeNumber(s.posInfCount());
    g.writeFieldName(S_NEG_INF);
    g.writeNumber(s.negInfCount());
    if (s.hasNulls()) { // only then: a dump without nulls keeps its bytes
      g.writeFieldName(S_NULL);
      g.writeNumber(s.nullCount());
      g.writeFieldName(S_NULL_ROWS);
      g.writeNumber(s.nullRows());
    }
    g.writeFieldName(S_MIN);
    writeNumberOrNull(s.hasNoFiniteValue() ? Double.NaN : s.min(), g);
    g.writeFieldName(S_MAX);
    writeNumberOrNull(s.hasNoFiniteValue() ? Double.NaN : s.max(), g);
    g.writeEndObject();
    g.writeFieldName(S_FLAGS);
    g.writeStartArray();
    for (TensorFlag f : t.flags()) {
      g.writeString(f.key());
    }
    g.writeEndArray();
    g.writeFieldName(S_METHODS);
    g.writeStartObject();
    for (Map.Entry<String, CalibrationResult> e : t.results().entrySet()) {
      g.writeFieldName(e.getKey());
      writeResult(t.name(), e.getValue(), g);
    }
    g.writeEndObject();
    if (t.channels().isPresent()) {
      g.writeFieldName(ChannelJson.CHANNELS);
      ChannelJson.write(t.channels().get(), g);
    }
    g.writeEndObject();
  }

  private static void writeResult(String tensor, CalibrationResult r, JsonGenerator g)
      throws IOException {
    g.writeStartObject();
    if (r.quant().scheme().isSymmetric()) {
      g.writeFieldName(S_AMAX);
      writeNumberOrNull(r.amax(), g);
    } else {
      g.writeFieldName(S_MIN);
      writeNumberOrNull(r.range().min(), g);
      g.writeFieldName(S_MAX);
      writeNumberOrNull(r.range().max(), g);
    }
    QuantParams p = r.params();
    g.writeFieldName(S_SCALE);
    writeNumberOrNull(p.scale(), g);
    g.writeFieldName(S_ZERO_POINT);
    g.writeNumber(p.zeroPoint());
    g.writeFieldName(S_BITS);
    g.writeNumber(r.quant().bits());
    g.writeFieldName(S_OBJECTIVE);
    writeNumberOrNull(r.objective(), g);
    g.writeFieldName(S_NOTES);
    g.writeStartArray();
    for (String n : r.notes()) {
      g.writeString(n);
    }
    g.writeEndArray();
    g.writeFieldName(S_DETAILS);
    g.writeStartObject();
    for (Map.Entry<String, Object> d : r.details().entrySet()) {
      g.writeFieldName(d.getKey());
      writeDetail(d.getValue(), g, tensor, r.method(), d.getKey());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeNumberOrNull(double v, JsonGenerator g) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumber(Decimals.of(v));
    } else {
      g.writeNull();
    }
  }

  private static void writeDetail(
      Object v, JsonGenerator g, String tensor, String method, String key) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String) {
      g.writeString((String) v);
    } else if (v instanceof Boolean) {
      g.writeBoolean((Boolean) v);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof BigInteger) {
      g.writeNumber((BigInteger) v);
    } else if (v instanceof BigDecimal) {
      g.writeNumber(Decimals.of(((BigDecimal) v).doubleValue()));
    } else if (v instanceof Number) {
      // Float widens exactly to double, so a float32 detail reads back exactly by casting.
      writeNumberOrNull(((Number) v).doubleValue(), g);
    } else if (v.getClass().isArray() && v.getClass().getComponentType().isPrimitive()) {
      g.writeStartArray();
      int n = Array.getLength(v);
      for (int i = 0; i < n; i++) {
        writeDetail(Array.get(v, i), g, tensor, method, key);
      }
      g.writeEndArray();
    } else if (v instanceof Iterable) {
      g.writeStartArray();
      for (Object o : (Iterable<?>) v) {
        writeDetail(o, g, tensor, method, key);
      }
      g.writeEndArray();
    } else if (v instanceof Map) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : sortedByKey((Map<?, ?>) v).entrySet()) {
        g.writeFieldName(e.getKey());
        writeDetail(e.getValue(), g, tensor, method, key);
      }
      g.writeEndObject();
    } else {
      // Object.toString of an arbitrary class may hold a hash code, which would break determinism.
      throw new IllegalArgumentException(
          String.format(
              "Cannot write detail '%s' of method %s for tensor %s: %s is not a number, string,"
                  + " boolean, primitive array, list or map",
              key, method, JsonInput.quote(tensor), v.getClass().getName()));
    }
  }

  private static Map<String, Object> sortedByKey(Map<?, ?> m) {
    Map<String, Object> sorted = new TreeMap<>();
    m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
    return sorted;
  }

  /** Reads a {@code calibration.json}; messages name it {@code calibration.json}. */
  public static CalibrationTableDocument read(InputStream in) {
    return read(in, DEFAULT_SOURCE);
  }

  /**
   * Reads a {@code calibration.json} of version 1; {@code source} names it in messages.
   *
   * @throws InputFormatException naming the source, tensor, method and field if the document is not
   *     valid JSON, not a qcal calibration table, of another version, or misses a field
   */
  public static CalibrationTableDocument read(InputStream in, String source) {
    return CalibrationJsonReader.read(in, source);
  }
}
