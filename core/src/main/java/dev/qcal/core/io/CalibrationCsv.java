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

  /** Characters of rows gathered before they are encoded and written. */
  private static final int BUFFER = 1 << 16;

  /**
   * Writes {@code table} to {@code out} (UTF-8; flushed, not closed), a tensor's rows at a time
   * through one buffer of text, encoded when it fills: no text of the whole table, no objects per
   * field, and no lock per field (a {@code BufferedWriter} takes one at every append, some 1.2
   * million at 20 000 tensors).
   */
  public static void write(CalibrationTable table, OutputStream out) {
    try {
      StringBuilder text = new StringBuilder(BUFFER + 4096);
      text.append(String.join(",", COLUMNS)).append('\n');
      for (TensorCalibration t : table.tensors()) {
        String name = field(t.name());
        String flags = flags(t);
        for (Map.Entry<String, CalibrationResult> e : t.results().entrySet()) {
          row(text, name, flags, t.stats(), e.getValue());
        }
        // Whole rows only: a surrogate pair is never split between two encodings. A new buffer,
        // not a cleared one: a name beyond Latin-1 turns a builder to UTF-16 for good, and every
        // later buffer would be stored, and encoded, two bytes a character.
        if (text.length() >= BUFFER) {
          out.write(text.toString().getBytes(StandardCharsets.UTF_8));
          text = new StringBuilder(BUFFER + 4096);
        }
      }
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

  /** The flags field: the keys joined with spaces (never needs quoting). */
  private static String flags(TensorCalibration t) {
    StringBuilder flags = new StringBuilder();
    for (TensorFlag f : t.flags()) {
      if (flags.length() > 0) {
        flags.append(' ');
      }
      flags.append(f.key());
    }
    return field(flags.toString());
  }

  private static void row(
      StringBuilder text, String name, String flags, RangeStats s, CalibrationResult r) {
    text.append(name).append(',');
    text.append(field(r.method())).append(',');
    // A symmetric range is (−amax, amax): its ends are the amax's text and that text negated
    // (Decimals.negative), formatted once instead of three times.
    double amax = r.amax();
    String amaxText = Double.isFinite(amax) ? Decimals.of(amax) : null;
    end(text, r.range().min(), amax, amaxText);
    end(text, r.range().max(), amax, amaxText);
    if (amaxText != null) {
      text.append(amaxText);
    }
    text.append(',');
    number(text, r.params().scale());
    text.append(r.params().zeroPoint()).append(',');
    text.append(r.quant().bits()).append(',');
    number(text, r.objective());
    text.append(s.count()).append(',');
    text.append(s.nanCount()).append(',');
    text.append(s.posInfCount()).append(',');
    text.append(s.negInfCount()).append(',');
    text.append(flags).append(',');
    text.append(field(String.join("; ", r.notes()))).append('\n');
  }

  /** A range end as {@link #number} writes it, from the amax's text when it is ±amax. */
  private static void end(StringBuilder text, double v, double amax, String amaxText) {
    if (amaxText != null && v == amax) {
      text.append(amaxText).append(',');
    } else if (amaxText != null && amax > 0 && v == -amax) {
      text.append(Decimals.negative(amaxText)).append(',');
    } else {
      number(text, v);
    }
  }

  /** A number and the comma after it; nothing before the comma where the JSON has null. */
  private static void number(StringBuilder text, double v) {
    if (Double.isFinite(v)) {
      text.append(Decimals.of(v));
    }
    text.append(',');
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
