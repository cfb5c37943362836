package dev.qcal.core.io;

import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ncnn's int8 calibration table ({@code Tencent/ncnn}, {@code tools/quantize/ncnn2table.cpp} writes
 * it, {@code ncnn2int8} reads it; docs/design/formats.md §7.1): one line per activation, {@code
 * <name> <multiplier> \n}, where the multiplier is ncnn's scale {@code 127/amax} (the reciprocal of
 * an ONNX scale) computed in float32 and printed with C's {@code %f} (six decimals, from the exact
 * binary value, half to even on exact ties as glibc does), followed by a space. amax 2.5 → {@code
 * conv1 50.799999 }.
 *
 * <p>ncnn keys activation lines by the name of the consuming Convolution, ConvolutionDepthWise or
 * InnerProduct layer, not by the blob name; qcal writes the table's tensor names, so the dump must
 * use the ncnn layer names. Weight lines ({@code <layer>_param_0} with one multiplier per output
 * channel) come with per-channel ranges. The reader splits on white space and reads the key with
 * {@code %255s}, and routes keys containing {@code _param_} to the weight table, so names with
 * white space, longer than 255 bytes, empty, or containing {@code _param_} cannot be written
 * ({@link #check}). Tensors with amax 0 are left out ({@link #omitted}).
 */
public final class NcnnTable {
  /** qcal's name for the file. */
  public static final String FILE_NAME = "ncnn.table";

  private static final String WHAT = "ncnn table";
  private static final int MAX_KEY_BYTES = 255;

  private NcnnTable() {}

  /** Writes the primary method's activation scales; flushed, not closed. */
  public static void write(CalibrationTable table, OutputStream out) {
    write(table, table.primaryMethod(), out);
  }

  /**
   * Writes {@code method}'s activation scales; flushed, not closed.
   *
   * @throws IllegalArgumentException if the table has no such method or a name cannot be a key
   *     (nothing is written then)
   */
  public static void write(CalibrationTable table, String method, OutputStream out) {
    FormatSupport.writeText(toText(table, method), out, WHAT);
  }

  /** The text {@link #write} writes. */
  public static String toText(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    FormatSupport.refuseIfAny(check(table, method), WHAT);
    StringBuilder text = new StringBuilder();
    for (TensorCalibration t : table.tensors()) {
      float multiplier = multiplier(FormatSupport.amax(t, method));
      if (multiplier > 0 && Float.isFinite(multiplier)) {
        text.append(t.name()).append(' ').append(printfF(multiplier)).append(" \n");
      }
    }
    return text.toString();
  }

  /** ncnn's scale of an amax: {@code 127 / amax} in float32 (ncnn2table's {@code float}). */
  static float multiplier(float amax) {
    return 127f / amax;
  }

  /** C's {@code printf("%f", (double) v)}: six decimals of the exact value, ties to even. */
  static String printfF(double v) {
    return new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
  }

  /**
   * The tensors that cannot be keys: white space, empty, over 255 UTF-8 bytes, or {@code _param_}.
   */
  public static List<TensorIssue> check(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      String reason = problem(t.name());
      if (reason != null) {
        out.add(new TensorIssue(t.name(), reason));
      }
    }
    return out;
  }

  private static String problem(String name) {
    if (name.isEmpty()) {
      return "an empty name, and ncnn2int8 reads a key as a non-empty word";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      // C isspace: space, \t, \n, \v, \f, \r; scanf's %s stops at any of them.
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        return "white space in the name, and ncnn2int8 splits each line at white space";
      }
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return "a name longer than 255 bytes, and ncnn2int8 reads keys with %255s";
    }
    if (name.contains("_param_")) {
      return "'_param_' in the name, and ncnn2int8 takes such keys for weight scales";
    }
    return null;
  }

  /** The tensors left out (amax 0, or a multiplier that is not a finite float32). */
  public static List<TensorIssue> omitted(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      float amax = FormatSupport.amax(t, method);
      float m = multiplier(amax);
      if (!(m > 0 && Float.isFinite(m))) {
        out.add(
            new TensorIssue(
                t.name(),
                "amax " + t.result(method).amax() + " gives no finite multiplier 127/amax"));
      }
    }
    return out;
  }
}
