package dev.qcal.core.io;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Runtime's {@code calibration.json}: the {@code TensorsData} of {@code
 * write_calibration_table} as {@code json.dumps} prints it (design/formats.md §3.1, formats.json
 * {@code onnxruntime_calibration_json_minmax_example}), byte for byte for the same ranges:
 *
 * <pre>{@code
 * {"CLS": "TensorsData", "data": {"X": {"lowest": {"data": [-1.5], "dtype": "float32", "CLS": "numpy.array"},
 *  "highest": {"data": [2.5], "dtype": "float32", "CLS": "numpy.array"}, "CLS": "TensorData"}},
 *  "calibration_method": {"CLS": "CalibrationMethod", "value": "CalibrationMethod.MinMax"}}
 * }</pre>
 *
 * (one line, no final newline, as ORT writes it). {@code lowest}/{@code highest} are the result's
 * clip range in float32 (a symmetric method's range is (−amax, amax)), printed as Python prints a
 * float ({@link PythonFloat}; the sign of a zero is dropped as in every qcal output); names are
 * JSON strings with Python's ASCII escaping, so they read back verbatim. Tensors in code point
 * order.
 *
 * <p>The method is always {@code CalibrationMethod.MinMax}: the file carries only {@code
 * lowest}/{@code highest}, which is the MinMax layout (histogram methods add {@code hist} and
 * {@code bins}, which qcal's ranges do not come with), and {@code TensorsData} accepts plain
 * (lowest, highest) pairs only for MinMax. Readers: {@code quantize_static(...,
 * calibration_cache_path=...)} in the newest ORT (PR #28221; the accepted shapes are unverified,
 * formats.md §3.1), or {@code TensorsData} built from it by hand (§4.2). Named {@code
 * ort_calibration.json} so it does not collide with qcal's {@code calibration.json}.
 *
 * <p>A tensor whose range does not fit float32 is left out ({@link #omitted}): JSON has no
 * infinity.
 */
public final class OrtCalibrationJson {
  /** qcal's name for the file (ORT calls it {@code calibration.json}). */
  public static final String FILE_NAME = "ort_calibration.json";

  private static final String WHAT = "ONNX Runtime calibration.json";

  private OrtCalibrationJson() {}

  /** Writes the primary method's ranges; flushed, not closed. */
  public static void write(CalibrationTable table, OutputStream out) {
    write(table, table.primaryMethod(), out);
  }

  /**
   * Writes {@code method}'s ranges; flushed, not closed.
   *
   * @throws IllegalArgumentException if the table has no such method
   */
  public static void write(CalibrationTable table, String method, OutputStream out) {
    FormatSupport.writeText(toJson(table, method), out, WHAT);
  }

  /** The text {@link #write} writes. */
  public static String toJson(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    StringBuilder b = new StringBuilder("{\"CLS\": \"TensorsData\", \"data\": {");
    boolean first = true;
    for (TensorCalibration t : FormatSupport.byCodePoint(table)) {
      ClipRange r = t.result(method).range();
      float lowest = (float) r.min();
      float highest = (float) r.max();
      if (!Float.isFinite(lowest) || !Float.isFinite(highest)) {
        continue;
      }
      b.append(first ? "" : ", ").append(PythonFloat.jsonString(t.name())).append(": {");
      array(b, "lowest", lowest).append(", ");
      array(b, "highest", highest).append(", \"CLS\": \"TensorData\"}");
      first = false;
    }
    b.append("}, \"calibration_method\": {\"CLS\": \"CalibrationMethod\", \"value\": \"CalibrationMethod.MinMax\"}}");
    return b.toString();
  }

  private static StringBuilder array(StringBuilder b, String field, float value) {
    return b.append('"')
        .append(field)
        .append("\": {\"data\": [")
        .append(PythonFloat.repr(value == 0 ? 0f : value))
        .append("], \"dtype\": \"float32\", \"CLS\": \"numpy.array\"}");
  }

  /** The tensors left out: a range end beyond float32. */
  public static List<TensorIssue> omitted(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      ClipRange r = t.result(method).range();
      if (!Float.isFinite((float) r.min()) || !Float.isFinite((float) r.max())) {
        out.add(new TensorIssue(t.name(), "range [" + r.min() + ", " + r.max() + "] is beyond float32"));
      }
    }
    return out;
  }
}
