package dev.qcal.core.io;

import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Runtime's plain-text {@code calibration.cache} (docs/design/formats.md §3.3): one line
 * {@code <name> <value>} per tensor, names in code point order (Python {@code sorted}), the value
 * the Python {@code repr} of the float32 dynamic range {@code max(|min|, |max|)} ({@code 2.5},
 * {@code 9.999999747378752e-06}), LF after every line. The same entries as {@link
 * OrtCalibrationFlatBuffers}; ORT writes this file for people, and its TensorRT EP does not read
 * it. Named {@code ort_calibration.cache} by qcal so it does not collide with the TensorRT cache.
 *
 * <p>The value is ORT ≤ 1.16's (and TensorRT's) amax, not ORT ≥ 1.20's {@code max(min, max)}
 * (formats.json {@code onnxruntime_calibration_cache_text}, {@code
 * line_old_ort_and_trt_semantics}). Names are written verbatim: an empty name or a line break
 * cannot be written ({@link #check}); a space is written, and a reader that splits at the first
 * space misreads the name ({@link #warnings}; split at the last space instead). Zero ranges are
 * left out ({@link #omitted}), as in the flatbuffers table.
 */
public final class OrtCalibrationCache {
  /** qcal's name for the file (ORT calls it {@code calibration.cache}). */
  public static final String FILE_NAME = "ort_calibration.cache";

  private static final String WHAT = "ONNX Runtime calibration.cache";

  private OrtCalibrationCache() {}

  /** Writes the primary method's table; flushed, not closed. */
  public static void write(CalibrationTable table, OutputStream out) {
    write(table, table.primaryMethod(), out);
  }

  /**
   * Writes {@code method}'s table; flushed, not closed.
   *
   * @throws IllegalArgumentException if the table has no such method or a name is empty or holds a
   *     line break (nothing is written then)
   */
  public static void write(CalibrationTable table, String method, OutputStream out) {
    FormatSupport.writeText(toText(table, method), out, WHAT);
  }

  /** The text {@link #write} writes. */
  public static String toText(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    FormatSupport.refuseIfAny(check(table, method), WHAT);
    StringBuilder text = new StringBuilder();
    for (TensorCalibration t : FormatSupport.byCodePoint(table)) {
      float amax = FormatSupport.amax(t, method);
      if (FormatSupport.writable(amax)) {
        text.append(t.name()).append(' ').append(PythonFloat.repr(amax)).append('\n');
      }
    }
    return text.toString();
  }

  /** The tensors that cannot be written: empty names and names with a line break. */
  public static List<TensorIssue> check(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    return FormatSupport.lineNames(table);
  }

  /** Names with a space: written, but misread by a reader that splits at the first space. */
  public static List<TensorIssue> warnings(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      if (t.name().indexOf(' ') >= 0) {
        out.add(
            new TensorIssue(
                t.name(),
                "a space in the name: written as is; a reader that splits each line at the first"
                    + " space misreads it"));
      }
    }
    return out;
  }

  /** The tensors left out (amax 0 or not a finite float32). */
  public static List<TensorIssue> omitted(CalibrationTable table, String method) {
    return FormatSupport.zeroRanges(table, method);
  }
}
