package dev.qcal.core.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.qcal.core.io.AimetEncoding.Channel;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.ChannelResult;
import dev.qcal.core.table.TensorCalibration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Qualcomm AIMET / QNN (QAIRT) encodings JSON, for {@code qnn-onnx-converter
 * --quantization_overrides <file>} (and the SNPE converters) or AIMET's {@code load_encodings}
 * (docs/design/formats.md §5; schema: AIMET {@code Docs/techniques/encoding_spec.rst}). A tensor
 * with per-channel results of the method is a parameter (a weight): it goes to {@code
 * param_encodings} with one grid per channel ({@code PER_CHANNEL} in 1.0.0; arrays and {@code axis}
 * in 2.0.0, as a signed {@code int<B>} when symmetric), and {@code per_channel_quantization} is
 * then true; every other tensor is an activation with one grid. The grids are {@link
 * AimetEncoding}'s (AIMET's Python arithmetic); fields are mutually consistent: {@code min =
 * offset·scale}, {@code max = min + (2^B − 1)·scale}.
 *
 * <ul>
 *   <li>{@link Version#V0_6_1}: {@code activation_encodings} maps each name to a list of one dict
 *       per channel, {@code {bitwidth, dtype: "int", is_symmetric: "True"|"False", max, min,
 *       offset, scale}} (a string for the flag, as AIMET writes it). The most widely accepted input
 *       of the QNN and SNPE converters.
 *   <li>{@link Version#V1_0_0}: lists of {@code {name, dtype: "INT", enc_type: "PER_TENSOR"|
 *       "PER_CHANNEL", bw, is_sym, scale: [...], offset: [...]}}.
 *   <li>{@link Version#V2_0_0}: {@code {version, producer, encodings: [{name, output_dtype,
 *       y_scale, y_zero_point?, axis?}]}}, aligned with ONNX {@code QuantizeLinear}: activations
 *       are written unsigned as the aimet-onnx exporter does by default, {@code output_dtype}
 *       {@code uint<B>} and {@code y_zero_point = −offset} (128 for a symmetric 8-bit grid),
 *       omitted when 0. Only 2, 4, 8 and 16 bits have a dtype.
 * </ul>
 *
 * <p>0.6.1 and 1.0.0 also carry {@code excluded_layers: []} and {@code quantizer_args} (bit widths,
 * symmetry, {@code per_channel_quantization} false, and {@code quant_scheme} {@code
 * post_training_tf}: AIMET's name for using given min/max ranges as they are). Scales, mins and
 * maxes are doubles as AIMET computes them; offsets are integers. Names are JSON strings, verbatim.
 * FP8 tables have no encoding here ({@link #check}).
 */
public final class AimetEncodings {
  static final String VERSION = "version";
  static final String ACTIVATION_ENCODINGS = "activation_encodings";
  static final String PARAM_ENCODINGS = "param_encodings";
  static final String EXCLUDED_LAYERS = "excluded_layers";
  static final String QUANTIZER_ARGS = "quantizer_args";
  static final String BITWIDTH = "bitwidth";
  static final String DTYPE = "dtype";
  static final String IS_SYMMETRIC = "is_symmetric";
  static final String MIN = "min";
  static final String MAX = "max";
  static final String OFFSET = "offset";
  static final String SCALE = "scale";
  static final String NAME = "name";
  static final String ENC_TYPE = "enc_type";
  static final String BW = "bw";
  static final String IS_SYM = "is_sym";
  static final String PRODUCER = "producer";
  static final String PACKAGE = "package";
  static final String ENCODINGS = "encodings";
  static final String OUTPUT_DTYPE = "output_dtype";
  static final String Y_SCALE = "y_scale";
  static final String Y_ZERO_POINT = "y_zero_point";
  static final String AXIS = "axis";
  static final String ACTIVATION_BITWIDTH = "activation_bitwidth";
  static final String PARAM_BITWIDTH = "param_bitwidth";
  static final String PER_CHANNEL_QUANTIZATION = "per_channel_quantization";
  static final String QUANT_SCHEME = "quant_scheme";

  /** The producer package named in 2.0.0 files. */
  public static final String PRODUCER_PACKAGE = "qcal";

  private static final String WHAT = "AIMET encodings";
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  /** The schema version written. */
  public enum Version {
    /** 0.6.1: name → list of dicts (legacy; the widest-accepted QNN/SNPE input). */
    V0_6_1("0.6.1", "aimet_encodings_0.6.1.json"),
    /** 1.0.0: lists of dicts with {@code name} inside, scale/offset arrays. */
    V1_0_0("1.0.0", "aimet_encodings_1.0.0.json"),
    /** 2.0.0: ONNX QuantizeLinear-aligned {@code encodings} list. */
    V2_0_0("2.0.0", "aimet_encodings_2.0.0.json");

    private final String text;
    private final String fileName;

    Version(String text, String fileName) {
      this.text = text;
      this.fileName = fileName;
    }

    /** The {@code version} field, e.g. {@code 1.0.0}. */
    public String text() {
      return text;
    }

    /** qcal's file name for this version. */
    public String fileName() {
      return fileName;
    }
  }

  private AimetEncodings() {}

  /** Writes the primary method's encodings in {@code version}; flushed, not closed. */
  public static void write(CalibrationTable table, Version version, OutputStream out) {
    write(table, table.primaryMethod(), version, FormatOptions.defaults().producerVersion(), out);
  }

  /**
   * Writes {@code method}'s encodings in {@code version}; {@code producerVersion} is qcal's version
   * (2.0.0 only). Flushed, not closed.
   *
   * @throws IllegalArgumentException if the table has no such method or a tensor cannot be encoded
   *     (nothing is written then)
   */
  public static void write(
      CalibrationTable table,
      String method,
      Version version,
      String producerVersion,
      OutputStream out) {
    FormatSupport.requireMethod(table, method, WHAT);
    FormatSupport.refuseIfAny(check(table, method, version), WHAT + " " + version.text());
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(new CanonicalPrettyPrinter());
      g.writeStartObject();
      g.writeStringField(VERSION, version.text());
      switch (version) {
        case V0_6_1:
          writeV0(table, method, g);
          break;
        case V1_0_0:
          writeV1(table, method, g);
          break;
        default:
          writeV2(table, method, producerVersion, g);
      }
      g.writeEndObject();
      g.writeRaw('\n');
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the " + WHAT, e);
    }
  }

  /** The text {@link #write} writes. */
  public static String toJson(
      CalibrationTable table, String method, Version version, String producerVersion) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    write(table, method, version, producerVersion, buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static void writeV0(CalibrationTable table, String method, JsonGenerator g)
      throws IOException {
    g.writeObjectFieldStart(ACTIVATION_ENCODINGS);
    for (TensorCalibration t : table.tensors()) {
      if (t.channelResult(method).isEmpty()) {
        writeV0Entry(t.name(), AimetEncoding.of(t.result(method)), g);
      }
    }
    g.writeEndObject();
    g.writeObjectFieldStart(PARAM_ENCODINGS);
    for (TensorCalibration t : table.tensors()) {
      if (t.channelResult(method).isPresent()) {
        writeV0Entry(t.name(), AimetEncoding.of(t.channelResult(method).get()), g);
      }
    }
    g.writeEndObject();
    g.writeArrayFieldStart(EXCLUDED_LAYERS);
    g.writeEndArray();
    QuantSpec quant = table.quant();
    g.writeObjectFieldStart(QUANTIZER_ARGS);
    g.writeNumberField(ACTIVATION_BITWIDTH, quant.bits());
    g.writeStringField(DTYPE, "int");
    g.writeStringField(IS_SYMMETRIC, pythonBool(quant.scheme() == Scheme.SYMMETRIC));
    g.writeNumberField(PARAM_BITWIDTH, quant.bits());
    g.writeStringField(PER_CHANNEL_QUANTIZATION, pythonBool(anyPerChannel(table, method)));
    g.writeStringField(QUANT_SCHEME, "post_training_tf");
    g.writeEndObject();
  }

  private static void writeV0Entry(String name, AimetEncoding e, JsonGenerator g)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (Channel c : e.channels()) {
      g.writeStartObject();
      g.writeNumberField(BITWIDTH, e.bitwidth());
      g.writeStringField(DTYPE, "int");
      g.writeStringField(IS_SYMMETRIC, pythonBool(e.isSymmetric()));
      number(g, MAX, c.max());
      number(g, MIN, c.min());
      g.writeNumberField(OFFSET, c.offset());
      number(g, SCALE, c.scale());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** True when some tensor has per-channel results of {@code method} (written as a parameter). */
  private static boolean anyPerChannel(CalibrationTable table, String method) {
    for (TensorCalibration t : table.tensors()) {
      if (t.channelResult(method).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static void writeV1(CalibrationTable table, String method, JsonGenerator g)
      throws IOException {
    g.writeArrayFieldStart(ACTIVATION_ENCODINGS);
    for (TensorCalibration t : table.tensors()) {
      if (t.channelResult(method).isEmpty()) {
        writeV1Entry(t.name(), AimetEncoding.of(t.result(method)), g);
      }
    }
    g.writeEndArray();
    g.writeArrayFieldStart(PARAM_ENCODINGS);
    for (TensorCalibration t : table.tensors()) {
      if (t.channelResult(method).isPresent()) {
        writeV1Entry(t.name(), AimetEncoding.of(t.channelResult(method).get()), g);
      }
    }
    g.writeEndArray();
    g.writeArrayFieldStart(EXCLUDED_LAYERS);
    g.writeEndArray();
    QuantSpec quant = table.quant();
    g.writeObjectFieldStart(QUANTIZER_ARGS);
    g.writeNumberField(ACTIVATION_BITWIDTH, quant.bits());
    g.writeStringField(DTYPE, "int");
    g.writeBooleanField(IS_SYMMETRIC, quant.scheme() == Scheme.SYMMETRIC);
    g.writeNumberField(PARAM_BITWIDTH, quant.bits());
    g.writeBooleanField(PER_CHANNEL_QUANTIZATION, anyPerChannel(table, method));
    g.writeStringField(QUANT_SCHEME, "post_training_tf");
    g.writeEndObject();
  }

  private static void writeV1Entry(String name, AimetEncoding e, JsonGenerator g)
      throws IOException {
    g.writeStartObject();
    g.writeStringField(NAME, name);
    g.writeStringField(DTYPE, "INT");
    g.writeStringField(ENC_TYPE, e.isPerChannel() ? "PER_CHANNEL" : "PER_TENSOR");
    g.writeNumberField(BW, e.bitwidth());
    g.writeBooleanField(IS_SYM, e.isSymmetric());
    g.writeArrayFieldStart(SCALE);
    for (Channel c : e.channels()) {
      g.writeNumber(Decimals.of(c.scale()));
    }
    g.writeEndArray();
    g.writeArrayFieldStart(OFFSET);
    for (Channel c : e.channels()) {
      g.writeNumber(c.offset());
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeV2(
      CalibrationTable table, String method, String producerVersion, JsonGenerator g)
      throws IOException {
    g.writeObjectFieldStart(PRODUCER);
    g.writeStringField(PACKAGE, PRODUCER_PACKAGE);
    g.writeStringField(VERSION, producerVersion);
    g.writeEndObject();
    g.writeArrayFieldStart(ENCODINGS);
    for (TensorCalibration t : table.tensors()) {
      Optional<ChannelResult> perChannel = t.channelResult(method);
      if (perChannel.isPresent()) {
        writeV2Param(t.name(), AimetEncoding.of(perChannel.get()), t.channels().get().axis(), g);
        continue;
      }
      AimetEncoding e = AimetEncoding.of(t.result(method));
      List<Channel> channels = e.channels();
      g.writeStartObject();
      g.writeStringField(NAME, t.name());
      // Activations as unsigned (the aimet-onnx exporter's default): zero point = −offset.
      g.writeStringField(OUTPUT_DTYPE, "uint" + e.bitwidth());
      g.writeFieldName(Y_SCALE);
      g.writeNumber(Decimals.of(channels.get(0).scale()));
      if (channels.get(0).offset() != 0) {
        g.writeNumberField(Y_ZERO_POINT, -channels.get(0).offset());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /**
   * A per-channel (weight) entry: symmetric grids as signed {@code int<B>} with zero point 0 (so no
   * {@code y_zero_point}), as the aimet-onnx exporter writes parameters (formats.json {@code
   * v2_0_0_param_entry}); asymmetric ones as {@code uint<B>} with {@code y_zero_point = −offset}
   * per channel (omitted when every one is 0); then the channel {@code axis}.
   */
  private static void writeV2Param(String name, AimetEncoding e, int axis, JsonGenerator g)
      throws IOException {
    List<Channel> channels = e.channels();
    g.writeStartObject();
    g.writeStringField(NAME, name);
    g.writeStringField(OUTPUT_DTYPE, (e.isSymmetric() ? "int" : "uint") + e.bitwidth());
    g.writeArrayFieldStart(Y_SCALE);
    for (Channel c : channels) {
      g.writeNumber(Decimals.of(c.scale()));
    }
    g.writeEndArray();
    if (!e.isSymmetric() && channels.stream().anyMatch(c -> c.offset() != 0)) {
      g.writeArrayFieldStart(Y_ZERO_POINT);
      for (Channel c : channels) {
        g.writeNumber(-c.offset());
      }
      g.writeEndArray();
    }
    g.writeNumberField(AXIS, axis);
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String field, double v) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(Decimals.of(v));
  }

  private static String pythonBool(boolean b) {
    return b ? "True" : "False";
  }

  /**
   * The tensors that cannot be encoded in {@code version}: FP8 results (no integer grid), and for
   * 2.0.0 bit widths without an ONNX dtype (only 2, 4, 8 and 16).
   */
  public static List<TensorIssue> check(CalibrationTable table, String method, Version version) {
    FormatSupport.requireMethod(table, method, WHAT);
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      QuantSpec q = t.result(method).quant();
      int b = q.bits();
      if (q.scheme() == Scheme.FP8_E4M3 || q.scheme() == Scheme.FP8_E5M2) {
        out.add(
            new TensorIssue(
                t.name(),
                "a " + q.scheme().key() + " result, and AIMET encodings here are integer grids"));
      } else if (version == Version.V2_0_0 && b != 2 && b != 4 && b != 8 && b != 16) {
        out.add(
            new TensorIssue(
                t.name(), "encodings 2.0.0 have no " + b + "-bit dtype (2, 4, 8 or 16 bits)"));
      }
    }
    return out;
  }
}
