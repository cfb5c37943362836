package dev.qcal.core.io;

import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.OutputStream;
import java.util.List;

/**
 * PPQ's TensorRT JSON ({@code openppl-public/ppq}, {@code ppq/parser/tensorRT.py}, {@code
 * TensorRTExporter_JSON}; docs/design/formats.md §6): {@code {"act_quant_info": {<name>: <value>}}}
 * as {@code json.dumps(..., indent=4)} prints it, no final newline. PPQ's engine builder reads it
 * and calls {@code setDynamicRange(-value, value)} on each named tensor.
 *
 * <p>What the value is depends on the {@link Convention}. PPQ's exporter writes {@code scale·127}
 * with PPQ's own symmetric scale {@code 2·amax/255} (= amax/127.5), so TensorRT gets a range
 * smaller than the calibrated amax by 127/127.5 (amax 2.5 → {@code 2.4901960784313726},
 * formats.json {@code ppq_tensorrt_json}). qcal's default, {@link Convention#AMAX}, writes the amax
 * itself, so TensorRT's scale is amax/127, the scale qcal's symmetric table holds; {@link
 * Convention#PPQ} reproduces PPQ's exporter for users who want PPQ's numbers. Values are computed
 * in double from the float32 amax and printed as Python prints a float ({@link PythonFloat}); names
 * are JSON strings with Python's ASCII escaping. Tensors with amax 0 are left out ({@link
 * #omitted}).
 */
public final class PpqTensorRtJson {
  /** qcal's name for the file with {@link Convention#AMAX}. */
  public static final String FILE_NAME = "ppq_tensorrt.json";

  /** qcal's name for the file with {@link Convention#PPQ}. */
  public static final String PPQ_FILE_NAME = "ppq_tensorrt_ppq_scale.json";

  private static final String WHAT = "PPQ TensorRT JSON";

  /** Which dynamic range is written. */
  public enum Convention {
    /** The float32 amax: TensorRT's scale becomes amax/127, qcal's symmetric scale. The default. */
    AMAX,
    /** PPQ's exporter: {@code (2·amax/255)·127}, i.e. amax·127/127.5. */
    PPQ
  }

  private PpqTensorRtJson() {}

  /** Writes the primary method's ranges as amax; flushed, not closed. */
  public static void write(CalibrationTable table, OutputStream out) {
    write(table, table.primaryMethod(), Convention.AMAX, out);
  }

  /**
   * Writes {@code method}'s ranges under {@code convention}; flushed, not closed.
   *
   * @throws IllegalArgumentException if the table has no such method
   */
  public static void write(
      CalibrationTable table, String method, Convention convention, OutputStream out) {
    FormatSupport.writeText(toJson(table, method, convention), out, WHAT);
  }

  /** The text {@link #write} writes. */
  public static String toJson(CalibrationTable table, String method, Convention convention) {
    FormatSupport.requireMethod(table, method, WHAT);
    StringBuilder b = new StringBuilder("{\n    \"act_quant_info\": {");
    boolean first = true;
    for (TensorCalibration t : table.tensors()) {
      float amax = FormatSupport.amax(t, method);
      if (!FormatSupport.writable(amax)) {
        continue;
      }
      b.append(first ? "\n" : ",\n")
          .append("        ")
          .append(PythonFloat.jsonString(t.name()))
          .append(": ");
      b.append(PythonFloat.repr(value(amax, convention)));
      first = false;
    }
    b.append(first ? "}\n}" : "\n    }\n}");
    return b.toString();
  }

  /** The value written for a float32 amax. */
  static double value(float amax, Convention convention) {
    if (convention == Convention.AMAX) {
      return amax;
    }
    // PPQ: scale = 2·amax/(qmax − qmin) with [−128, 127] (observer/range.py), exported as
    // scale·127.
    double scale = 2.0 * amax / 255.0;
    return scale * 127;
  }

  /** The tensors left out (amax 0 or not a finite float32). */
  public static List<TensorIssue> omitted(CalibrationTable table, String method) {
    return FormatSupport.zeroRanges(table, method);
  }
}
