package dev.qcal.core.io;

import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the toolchain writers share: method and name checks, the dynamic range, output. */
final class FormatSupport {
  /**
   * Unicode code point order, which is also the byte order of UTF-8: Python's {@code sorted()} of
   * str keys (ONNX Runtime's writer) and FlatBuffers' key comparison. {@link String#compareTo}
   * (UTF-16 code units, the table's order) differs only for characters beyond U+FFFF against
   * U+E000–U+FFFF.
   */
  static final Comparator<String> CODE_POINT_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  private FormatSupport() {}

  /**
   * @throws IllegalArgumentException naming the format if the table has no such method
   */
  static void requireMethod(CalibrationTable table, String method, String format) {
    if (!table.methods().contains(method)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot write the %s of method %s: the table has %s",
              format, method, table.methods()));
    }
  }

  /** The rows sorted by code point order. */
  static List<TensorCalibration> byCodePoint(CalibrationTable table) {
    List<TensorCalibration> rows = new ArrayList<>(table.tensors());
    rows.sort(Comparator.comparing(TensorCalibration::name, CODE_POINT_ORDER));
    return rows;
  }

  /** True if the name holds LF or CR: it would forge a line in a line-based text format. */
  static boolean hasLineBreak(String name) {
    return name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0;
  }

  /**
   * One issue per name a line-based format (one {@code name<sep>value} line per tensor) cannot
   * carry: an empty name (the line would read {@code : 3e756ad6}, a value keyed by nothing) or one
   * with a line break.
   */
  static List<TensorIssue> lineNames(CalibrationTable table) {
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      lineNameIssue(t.name()).ifPresent(reason -> out.add(new TensorIssue(t.name(), reason)));
    }
    return out;
  }

  /** Why a line-based format cannot carry {@code name}, if it cannot. */
  static java.util.Optional<String> lineNameIssue(String name) {
    if (name.isEmpty()) {
      return java.util.Optional.of(
          "an empty name, and the format keys each line by the name before its separator");
    }
    if (hasLineBreak(name)) {
      return java.util.Optional.of(
          "a line break in the name, and the format is one line per tensor with no escaping");
    }
    return java.util.Optional.empty();
  }

  /**
   * The float32 dynamic range TensorRT-style consumers get: {@code max(|min|, |max|)} of the
   * result's clip range, rounded to float32 (what TensorRT's {@code setDynamicRange} takes).
   */
  static float amax(TensorCalibration t, String method) {
    return (float) t.result(method).amax();
  }

  /**
   * The tensors whose float32 amax is not a finite positive number, which a dynamic-range format
   * leaves out (TensorRT rejects a zero range: "Tensor X is uniformly zero"; see {@link
   * TensorRtCache}).
   */
  static List<TensorIssue> zeroRanges(CalibrationTable table, String method) {
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      float amax = amax(t, method);
      if (!writable(amax)) {
        out.add(
            new TensorIssue(
                t.name(),
                amax == 0
                    ? "amax is 0 (no finite non-zero value), which TensorRT rejects as uniformly"
                        + " zero"
                    : "amax " + t.result(method).amax() + " is not a finite float32"));
      }
    }
    return out;
  }

  /** A float32 amax a dynamic-range format can carry. */
  static boolean writable(float amax) {
    return amax > 0 && Float.isFinite(amax);
  }

  /** Writes UTF-8 text and flushes (never closes) the stream. */
  static void writeText(CharSequence text, OutputStream out, String what) {
    writeBytes(text.toString().getBytes(StandardCharsets.UTF_8), out, what);
  }

  /** Writes bytes and flushes (never closes) the stream. */
  static void writeBytes(byte[] bytes, OutputStream out, String what) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the " + what, e);
    }
  }

  /**
   * @throws IllegalArgumentException with every issue if there is any
   */
  static void refuseIfAny(List<TensorIssue> issues, String format) {
    if (!issues.isEmpty()) {
      StringBuilder b = new StringBuilder("Cannot write the ").append(format).append(": ");
      for (int i = 0; i < issues.size(); i++) {
        b.append(i == 0 ? "" : "; ").append(issues.get(i).message());
      }
      throw new IllegalArgumentException(b.toString());
    }
  }

  /**
   * The per-channel tensors {@code format} writes with their per-tensor result only ({@link
   * TableFormat#perTensorOnly}).
   */
  static List<TensorIssue> perTensorOnly(
      TableFormat format, CalibrationTable table, String method) {
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      if (t.channels().isEmpty() || format == TableFormat.QCAL_JSON) {
        continue; // qcal-json writes every method's per-channel results
      }
      if (!format.carriesChannels()) {
        out.add(
            new TensorIssue(
                t.name(),
                format == TableFormat.CSV
                    ? "CSV rows are per tensor; the per-channel arrays are in calibration.json"
                    : "the format holds one range per tensor, so the per-tensor range is written"));
      } else if (t.channelResult(method).isEmpty()) {
        out.add(
            new TensorIssue(
                t.name(),
                "method "
                    + method
                    + " runs per tensor only (per channel: max, percentile, mse, octav),"
                    + " so its per-tensor result is written"));
      }
    }
    return out;
  }
}
