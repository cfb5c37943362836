package dev.qcal.core.io;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Runtime's {@code calibration.json}: the {@code TensorsData} of {@code
 * write_calibration_table} as {@code json.dumps} prints it (docs/design/formats.md §3.1,
 * formats.json {@code onnxruntime_calibration_json_minmax_example}), byte for byte for the same
 * ranges:
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
 * <p>ONNX Runtime reads it back with {@code load_tensors_data} ({@code TensorsData.from_dict}, PR
 * #28221), and {@code quantize_static(model, out, calibration_data_reader=None,
 * calibration_cache_path=...)} quantizes from it without calibrating. As ONNX Runtime 1.30.0 ran on
 * qcal's files (vectors/ort_calibration_cache_load.json): {@code data} and {@code
 * calibration_method} are required; a {@code numpy.array} needs its {@code CLS}, {@code data} and a
 * float32 (or float16) {@code dtype}; a field other than {@code avg}, {@code std}, {@code lowest},
 * {@code highest}, {@code hist}, {@code hist_edges}, {@code bins} is refused; the top-level {@code
 * CLS} and a {@code smooth_quant} flag are optional (absent reads as false, which is what a run
 * without SmoothQuant needs).
 *
 * <p>The method is always {@code CalibrationMethod.MinMax}. ONNX Runtime compares it with {@code
 * quantize_static}'s {@code calibrate_method} and refuses the cache on a mismatch; it has no other
 * effect on the cache path, because the quantizer takes every integer scale from {@code
 * lowest}/{@code highest} alone. qcal's ranges are final, whichever qcal method chose them, so the
 * label names the layout, not a search ORT would redo; MinMax is also {@code quantize_static}'s
 * default, so the user passes nothing. ORT derives the scale itself with its own symmetric flag:
 * {@code extra_options={"ActivationSymmetric": True}} gives qcal's symmetric int8 scale exactly,
 * {@code activation_type=QuantType.QUInt8} qcal's affine one (its width is a float32 subtraction: 1
 * ulp off for some ranges). A degenerate range is written as it is (an all-zero tensor as [0, 0],
 * which ORT turns into scale 1, zero point 0): ORT refuses to quantize a tensor the file lacks.
 * Named {@code ort_calibration.json} so it does not collide with qcal's {@code calibration.json}.
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
    b.append(
        "}, \"calibration_method\": {\"CLS\": \"CalibrationMethod\", \"value\":"
            + " \"CalibrationMethod.MinMax\"}}");
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
        out.add(
            new TensorIssue(
                t.name(), "range [" + r.min() + ", " + r.max() + "] is beyond float32"));
      }
    }
    return out;
  }
}
