package dev.qcal.core.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Number formats of the report, independent of locale and JDK: values rounded half-even to a fixed
 * number of significant digits from their exact binary value ({@link BigDecimal}), NaN as "—", ±Inf
 * as "∞"/"−∞".
 */
final class ReportNumbers {
  /** Shown for a value that does not exist (NaN). */
  static final String NONE = "\u2014";

  private ReportNumbers() {}

  /** {@code x} to 4 significant digits. */
  static String num(double x) {
    return num(x, 4);
  }

  /**
   * {@code x} to {@code digits} significant digits, trailing zeros dropped: plain between 1e-4 and
   * 1e6 ({@code 0.01235}, {@code 12350}), otherwise {@code 1.235e-7}.
   */
  static String num(double x, int digits) {
    if (Double.isNaN(x)) {
      return NONE;
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "\u221e" : "\u2212\u221e";
    }
    if (x == 0) {
      return "0";
    }
    BigDecimal d =
        new BigDecimal(x)
            .round(new MathContext(digits, RoundingMode.HALF_EVEN))
            .stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    if (exponent >= -4 && exponent < 6) {
      return d.toPlainString();
    }
    BigDecimal mantissa = d.movePointLeft(exponent);
    return mantissa.toPlainString() + "e" + exponent;
  }

  /** A fraction as a percentage to 3 significant digits ({@code 0.0123%}); exact 0 as "0%". */
  static String percent(double fraction) {
    return Double.isNaN(fraction) ? NONE : num(fraction * 100, 3) + "%";
  }

  /** Decibels to one decimal ({@code 41.9}), or "∞"/"—". */
  static String db(double x) {
    if (!Double.isFinite(x)) {
      return num(x);
    }
    return new BigDecimal(x).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** A count with comma grouping ({@code 1,234,567}). */
  static String count(long n) {
    String digits = Long.toString(Math.abs(n));
    StringBuilder out = new StringBuilder(digits.length() + digits.length() / 3 + 1);
    if (n < 0) {
      out.append('-');
    }
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (digits.length() - i) % 3 == 0) {
        out.append(',');
      }
      out.append(digits.charAt(i));
    }
    return out.toString();
  }

  /** A duration in seconds to the millisecond ({@code 12.345 s}). */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).toPlainString() + " s";
  }

  /**
   * A sort key for the page's script: {@code x} to 6 significant digits (enough to order what the
   * page shows, ties keep the name order), {@code Infinity}/{@code -Infinity}, or "" for NaN
   * (sorted last). {@code parseFloat} reads every form.
   */
  static String key(double x) {
    if (Double.isNaN(x)) {
      return "";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    return num(x, 6);
  }

  /** An SVG coordinate to one decimal, without a trailing ".0". */
  static void coord(StringBuilder out, double x) {
    long tenths = (long) Math.rint(x * 10);
    if (tenths < 0) {
      out.append('-');
      tenths = -tenths;
    }
    out.append(tenths / 10);
    if (tenths % 10 != 0) {
      out.append('.').append(tenths % 10);
    }
  }
}
