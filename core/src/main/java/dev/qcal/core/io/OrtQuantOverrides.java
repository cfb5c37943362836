package dev.qcal.core.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.quant.QuantParams;
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
 * ONNX Runtime {@code quantize_static} overrides: a JSON object that mirrors {@code
 * extra_options["TensorQuantOverrides"]} one to one (ORT ≥ 1.17, {@code tensor_quant_overrides.py};
 * docs/design/formats.md §4.1), {@code {<tensor>: [<override>, …]}} with one override per tensor,
 * or, for a tensor with per-channel results of the method (a weight: ORT accepts per-channel
 * overrides for initializers only), one per channel with {@code "axis"} in the first. ORT has no
 * loader for a file, so a few lines of Python turn the JSON into the typed values ORT requires
 * ({@code QuantType} members, 0-d numpy arrays; see docs/onnx-models.md).
 *
 * <p>ORT rejects {@code scale}/{@code zero_point} combined with {@code symmetric}/{@code
 * rmin}/{@code rmax}, so there are two {@link Mode}s:
 *
 * <ul>
 *   <li>{@link Mode#SCALE_ZERO_POINT}: {@code {"quant_type": "QUInt8", "scale":
 *       0.01568627543747425, "zero_point": 96}}: qcal's own scale (float32) and zero point, which
 *       ORT uses as they are. These are the values of {@link QuantSpec#params}, which agree with
 *       ORT's {@code compute_scale_zp} on every shared grid (formats.json {@code
 *       onnxruntime_compute_scale_zp}).
 *   <li>{@link Mode#RANGE}: {@code {"quant_type": "QUInt8", "symmetric": false, "rmin": -1.5,
 *       "rmax": 2.5}}: the clip range (float32), from which ORT computes the parameters itself
 *       (widening to contain 0, and [−amax, amax] when symmetric).
 * </ul>
 *
 * <p>Types by the table's quantizer: {@code symmetric} → {@code QInt4}/{@code QInt8}/{@code QInt16}
 * with zero point 0 (ORT's symmetric grid is the same narrow [−(2^(B−1)−1), 2^(B−1)−1]); {@code
 * affine} → {@code QUInt*}; {@code affine_signed} → {@code QInt*}; {@code unsigned} → {@code
 * QUInt*} with zero point 0 (in range mode: [0, amax], not symmetric, which ORT maps to the same
 * scale). Other bit widths and the FP8 schemes have no override qcal can write, and every tensor is
 * reported by {@link #check}. Names are JSON strings, verbatim; ORT rejects names that are not in
 * the model, so the table must come from the model being quantized.
 */
public final class OrtQuantOverrides {
  /** qcal's name for the file in {@link Mode#SCALE_ZERO_POINT}. */
  public static final String FILE_NAME = "ort_quant_overrides.json";

  /** qcal's name for the file in {@link Mode#RANGE}. */
  public static final String RANGE_FILE_NAME = "ort_quant_overrides_range.json";

  static final String QUANT_TYPE = "quant_type";
  static final String SCALE = "scale";
  static final String ZERO_POINT = "zero_point";
  static final String SYMMETRIC = "symmetric";
  static final String RMIN = "rmin";
  static final String RMAX = "rmax";
  static final String AXIS = "axis";

  private static final String WHAT = "ONNX Runtime quantization overrides";
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  /** Which override keys are written. */
  public enum Mode {
    /**
     * {@code quant_type}, {@code scale}, {@code zero_point}: qcal's parameters, used as they are.
     */
    SCALE_ZERO_POINT,
    /**
     * {@code quant_type}, {@code symmetric}, {@code rmin}, {@code rmax}: ORT computes the
     * parameters.
     */
    RANGE
  }

  private OrtQuantOverrides() {}

  /** Writes the primary method's overrides with scale and zero point; flushed, not closed. */
  public static void write(CalibrationTable table, OutputStream out) {
    write(table, table.primaryMethod(), Mode.SCALE_ZERO_POINT, out);
  }

  /**
   * Writes {@code method}'s overrides in {@code mode}; flushed, not closed.
   *
   * @throws IllegalArgumentException if the table has no such method, or its quantizer has no ORT
   *     type (nothing is written then)
   */
  public static void write(CalibrationTable table, String method, Mode mode, OutputStream out) {
    FormatSupport.requireMethod(table, method, WHAT);
    FormatSupport.refuseIfAny(check(table, method), WHAT);
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(new CanonicalPrettyPrinter());
      g.writeStartObject();
      for (TensorCalibration t : table.tensors()) {
        g.writeArrayFieldStart(t.name());
        Optional<ChannelResult> perChannel = t.channelResult(method);
        if (perChannel.isPresent()) {
          writeChannels(perChannel.get(), t.channels().get().axis(), mode, g);
        } else {
          writeOverride(t.result(method), mode, g);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeRaw('\n');
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the " + WHAT, e);
    }
  }

  /** The text {@link #write} writes. */
  public static String toJson(CalibrationTable table, String method, Mode mode) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    write(table, method, mode, buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static void writeOverride(CalibrationResult r, Mode mode, JsonGenerator g)
      throws IOException {
    QuantSpec quant = r.quant();
    g.writeStartObject();
    g.writeStringField(QUANT_TYPE, quantType(quant));
    if (mode == Mode.SCALE_ZERO_POINT) {
      QuantParams p = r.params();
      g.writeFieldName(SCALE);
      g.writeNumber(Decimals.of(p.scale()));
      g.writeNumberField(ZERO_POINT, p.zeroPoint());
    } else {
      boolean symmetric = quant.scheme() == Scheme.SYMMETRIC;
      double lo = quant.scheme() == Scheme.UNSIGNED ? 0.0 : r.range().min();
      double hi = quant.scheme() == Scheme.UNSIGNED ? r.amax() : r.range().max();
      g.writeBooleanField(SYMMETRIC, symmetric);
      g.writeFieldName(RMIN);
      g.writeNumber(Decimals.of((float) lo));
      g.writeFieldName(RMAX);
      g.writeNumber(Decimals.of((float) hi));
    }
    g.writeEndObject();
  }

  /**
   * One override per channel, {@code axis} in the first only (ORT reads the axis from the first
   * dict and requires the same quant type and symmetry on every channel).
   */
  private static void writeChannels(ChannelResult r, int axis, Mode mode, JsonGenerator g)
      throws IOException {
    QuantSpec quant = r.quant();
    String type = quantType(quant);
    for (int c = 0; c < r.count(); c++) {
      g.writeStartObject();
      g.writeStringField(QUANT_TYPE, type);
      if (mode == Mode.SCALE_ZERO_POINT) {
        g.writeFieldName(SCALE);
        g.writeNumber(Decimals.of(r.scale(c)));
        g.writeNumberField(ZERO_POINT, r.zeroPoint(c));
      } else {
        boolean unsigned = quant.scheme() == Scheme.UNSIGNED;
        g.writeBooleanField(SYMMETRIC, quant.scheme() == Scheme.SYMMETRIC);
        g.writeFieldName(RMIN);
        g.writeNumber(Decimals.of((float) (unsigned ? 0.0 : r.range(c).min())));
        g.writeFieldName(RMAX);
        g.writeNumber(Decimals.of((float) (unsigned ? r.amax(c) : r.range(c).max())));
      }
      if (c == 0) {
        g.writeNumberField(AXIS, axis);
      }
      g.writeEndObject();
    }
  }

  /**
   * ORT's {@code QuantType} member for a quantizer, e.g. {@code QUInt8}.
   *
   * @throws IllegalArgumentException if ORT has none (see {@link #check})
   */
  static String quantType(QuantSpec quant) {
    String problem = problem(quant);
    if (problem != null) {
      throw new IllegalArgumentException("Cannot name an ONNX Runtime quant type: " + problem);
    }
    boolean signed = quant.scheme() == Scheme.SYMMETRIC || quant.scheme() == Scheme.AFFINE_SIGNED;
    return (signed ? "QInt" : "QUInt") + quant.bits();
  }

  private static String problem(QuantSpec quant) {
    if (quant.scheme() == Scheme.FP8_E4M3 || quant.scheme() == Scheme.FP8_E5M2) {
      return "qcal writes no overrides for "
          + quant.scheme().key()
          + " (ORT's float8 zero point has no JSON form)";
    }
    int b = quant.bits();
    if (b != 4 && b != 8 && b != 16) {
      return "ORT has no " + b + "-bit quant type (QInt4/8/16, QUInt4/8/16)";
    }
    return null;
  }

  /** The tensors whose quantizer has no ORT quant type (every tensor of such a table). */
  public static List<TensorIssue> check(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      String problem = problem(t.result(method).quant());
      if (problem != null) {
        out.add(new TensorIssue(t.name(), problem));
      }
    }
    return out;
  }
}
