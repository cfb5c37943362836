package dev.qcal.core.io;

import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * TensorRT's per-tensor dynamic-range text, as read by the {@code sampleINT8API} sample ({@code
 * --ranges=<file>}, e.g. {@code resnet50_per_tensor_dynamic_range.txt}; docs/design/formats.md
 * §2.5): one line {@code <name>:<amax>} per tensor, no header, LF. The sample splits each line at
 * the first {@code ':'}, parses the rest with {@code std::stof} and calls {@code
 * ITensor::setDynamicRange(-amax, amax)}; the same file serves any program that sets dynamic ranges
 * through the TensorRT API, which is the route left for explicit ranges once the calibration cache
 * is gone (TensorRT 10.1 deprecates it).
 *
 * <p>amax is {@code max(|min|, |max|)} of the result in float32, printed as Python prints a float
 * ({@link PythonFloat}; reads back exactly with {@code stof}). Names are verbatim, so a name with a
 * line break or a {@code ':'} cannot be written ({@link #check}: the first-colon split would cut
 * it). Tensors with amax 0 are left out ({@link #omitted}), as in the TensorRT cache.
 */
public final class TensorRtDynamicRange {
  /** qcal's name for the file. */
  public static final String FILE_NAME = "dynamic_range.txt";

  private static final String WHAT = "TensorRT dynamic-range text";

  private TensorRtDynamicRange() {}

  /** Writes the primary method's ranges; flushed, not closed. */
  public static void write(CalibrationTable table, OutputStream out) {
    write(table, table.primaryMethod(), out);
  }

  /**
   * Writes {@code method}'s ranges; flushed, not closed.
   *
   * @throws IllegalArgumentException if the table has no such method or a name is empty, holds a
   *     line break or a colon (nothing is written then)
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
      float amax = FormatSupport.amax(t, method);
      if (FormatSupport.writable(amax)) {
        text.append(t.name()).append(':').append(PythonFloat.repr(amax)).append('\n');
      }
    }
    return text.toString();
  }

  /** The tensors that cannot be written: empty names, names with a line break or a colon. */
  public static List<TensorIssue> check(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, WHAT);
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      java.util.Optional<String> lineIssue = FormatSupport.lineNameIssue(t.name());
      if (lineIssue.isPresent()) {
        out.add(new TensorIssue(t.name(), lineIssue.get()));
      } else if (t.name().indexOf(':') >= 0) {
        out.add(
            new TensorIssue(
                t.name(),
                "a ':' in the name, and sampleINT8API splits each line at the first ':'"));
      }
    }
    return out;
  }

  /** The tensors left out (amax 0 or not a finite float32). */
  public static List<TensorIssue> omitted(CalibrationTable table, String method) {
    return FormatSupport.zeroRanges(table, method);
  }
}
