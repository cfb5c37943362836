package dev.qcal.core.io;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.table.TensorFlag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A flat CSV of the table for spreadsheets and quick diffs: a header row, then one row per (tensor,
 * method), tensors sorted by name and methods in requested order. Columns: {@code tensor, method,
 * min, max, amax, scale, zero_point, bits, objective, count, nan, pos_inf, neg_inf, flags, notes}.
 *
 * <p>RFC 4180 quoting (a field holding a comma, a double quote, CR or LF is quoted, quotes
 * doubled), so every tensor name survives verbatim; UTF-8; LF line endings (not RFC 4180's CRLF, to
 * match the other outputs; every CSV reader accepts both). Numbers as in {@link CalibrationJson};
 * an empty field where the JSON has {@code null} (objective NaN/±Inf). {@code flags} are the flag
 * keys joined with {@code ' '}; {@code notes} are joined with {@code "; "} (for people: the JSON
 * keeps them as a list). Details and curves are not written.
 */
public final class CalibrationCsv {
  /** The header row's columns. */
  public static final List<String> COLUMNS =
      List.of(
          "tensor",
          "method",
          "min",
          "max",
          "amax",
          "scale",
          "zero_point",
          "bits",
          "objective",
          "count",
          "nan",
          "pos_inf",
          "neg_inf",
          "flags",
          "notes");

  private CalibrationCsv() {}

  /** Writes {@code table} to {@code out} (UTF-8; flushed, not closed). */
  public static void write(CalibrationTable table, OutputStream out) {
    StringBuilder text = new StringBuilder();
    text.append(String.join(",", COLUMNS)).append('\n');
    for (TensorCalibration t : table.tensors()) {
      for (Map.Entry<String, CalibrationResult> e : t.results().entrySet()) {
        row(text, t, e.getValue());
      }
    }
    try {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the calibration CSV", e);
    }
  }

  /** The CSV text {@link #write} writes. */
  public static String toCsv(CalibrationTable table) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    write(table, buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static void row(StringBuilder text, TensorCalibration t, CalibrationResult r) {
    RangeStats s = t.stats();
    StringJoiner flags = new StringJoiner(" ");
    for (TensorFlag f : t.flags()) {
      flags.add(f.key());
    }
    StringJoiner row = new StringJoiner(",");
    row.add(field(t.name()));
    row.add(field(r.method()));
    row.add(number(r.range().min()));
    row.add(number(r.range().max()));
    row.add(number(r.amax()));
    row.add(number(r.params().scale()));
    row.add(Integer.toString(r.params().zeroPoint()));
    row.add(Integer.toString(r.quant().bits()));
    row.add(number(r.objective()));
    row.add(Long.toString(s.count()));
    row.add(Long.toString(s.nanCount()));
    row.add(Long.toString(s.posInfCount()));
    row.add(Long.toString(s.negInfCount()));
    row.add(field(flags.toString()));
    row.add(field(String.join("; ", r.notes())));
    text.append(row).append('\n');
  }

  private static String number(double v) {
    return Double.isFinite(v) ? Decimals.of(v) : "";
  }

  /** An RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF. */
  static String field(String value) {
    if (value.indexOf(',') < 0
        && value.indexOf('"') < 0
        && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
