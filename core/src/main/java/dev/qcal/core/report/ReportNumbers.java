package dev.qcal.core.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Number formats of the report, independent of locale and JDK: values rounded half-even to a fixed
 * number of significant digits from their exact binary value, NaN as "—", ±Inf as "∞"/"−∞". The
 * rounding is done in double arithmetic where that is provably exact and through {@link BigDecimal}
 * where it is not (near ties, more than 9 digits): a report formats tens of numbers per tensor.
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
    long rounded = roundSignificant(Math.abs(x), digits);
    if (rounded < 0) {
      return exact(x, digits);
    }
    return text(x < 0, rounded >>> EXPONENT_BITS, (int) (rounded & EXPONENT_MASK) - EXPONENT_BIAS);
  }

  /**
   * {@link #roundSignificant}'s answer in one long (no array per number): the digits above {@value
   * #EXPONENT_BITS} bits of the exponent plus {@value #EXPONENT_BIAS}; a double's decimal exponents
   * are −324 to 308.
   */
  private static final int EXPONENT_BITS = 11;

  private static final long EXPONENT_MASK = (1L << EXPONENT_BITS) - 1;
  private static final int EXPONENT_BIAS = 1024;

  private static long rounded(long digits, int exponent) {
    return (digits << EXPONENT_BITS) | (exponent + EXPONENT_BIAS);
  }

  /** Exact powers of ten as doubles (10^22 is the largest one a double holds exactly). */
  private static final double[] POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  /**
   * {@code a} (positive, finite) rounded half-even to {@code digits} significant digits from its
   * exact binary value, as {digits, exponent of the first digit}, computed in double arithmetic; or
   * null when that arithmetic cannot tell the rounding for sure (a tie or near one, or a scale
   * outside the exact powers of ten, more than 9 digits), which {@link #exact} then decides. {@code
   * a · 10^k} with an exact power of ten is one correctly rounded operation, so the scaled value
   * (below 10^9) is within half an ulp (below 1.2e-7) of its exact value: unless its fraction lies
   * within 1e-6 of one half, rounding it gives the digits the exact value rounds to. The pair comes
   * packed ({@link #rounded}), −1 standing for null.
   */
  private static long roundSignificant(double a, int digits) {
    if (digits < 1 || digits > 9) {
      return -1;
    }
    int exponent = (int) Math.floor(Math.log10(a));
    for (int attempt = 0; attempt < 2; attempt++) {
      int k = digits - 1 - exponent;
      if (k > 22 || k < -22) {
        return -1;
      }
      double scaled = k >= 0 ? a * POWERS[k] : a / POWERS[-k];
      double low = POWERS[digits - 1];
      if (scaled < low) {
        exponent--; // log10 rounded up across a power of ten
        continue;
      }
      if (scaled >= low * 10) {
        exponent++;
        continue;
      }
      double floor = Math.floor(scaled);
      double fraction = scaled - floor;
      if (Math.abs(fraction - 0.5) < 1e-6) {
        return -1;
      }
      long m = (long) floor + (fraction > 0.5 ? 1 : 0);
      if (m == (long) (low * 10)) {
        return rounded((long) low, exponent + 1); // 9.9996 to 4 digits: 10.00
      }
      return rounded(m, exponent);
    }
    return -1;
  }

  /**
   * The text of {@code digits · 10^(exponent − its length + 1)}: trailing zeros dropped, plain for
   * exponents from −4 to 5, else a mantissa and {@code e} exponent (as {@link BigDecimal} writes
   * them).
   */
  private static String text(boolean negative, long digits, int exponent) {
    while (digits % 10 == 0) {
      digits /= 10;
    }
    String d = Long.toString(digits);
    int n = d.length();
    StringBuilder out = new StringBuilder(n + 8);
    if (negative) {
      out.append('-');
    }
    if (exponent >= -4 && exponent < 6) {
      if (exponent < 0) {
        out.append("0.");
        for (int i = -1; i > exponent; i--) {
          out.append('0');
        }
        out.append(d);
      } else if (exponent >= n - 1) {
        out.append(d);
        for (int i = n - 1; i < exponent; i++) {
          out.append('0');
        }
      } else {
        out.append(d, 0, exponent + 1).append('.').append(d, exponent + 1, n);
      }
      return out.toString();
    }
    out.append(d.charAt(0));
    if (n > 1) {
      out.append('.').append(d, 1, n);
    }
    return out.append('e').append(exponent).toString();
  }

  /** {@link #num(double, int)} through {@link BigDecimal}: exact, for what the fast path leaves. */
  static String exact(double x, int digits) {
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
    double scaled = x * 10;
    double floor = Math.floor(scaled);
    double fraction = scaled - floor;
    // Below 10^9, x · 10 is within 1.2e-7 of its exact value: only a fraction near one half (or a
    // larger value) needs the exact rounding.
    if (Math.abs(scaled) >= 1e9 || Math.abs(fraction - 0.5) < 1e-6) {
      return new BigDecimal(x).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }
    long tenths = (long) floor + (fraction > 0.5 ? 1 : 0);
    StringBuilder out = new StringBuilder(12);
    if (tenths < 0) {
      out.append('-');
      tenths = -tenths;
    }
    return out.append(tenths / 10).append('.').append(tenths % 10).toString();
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
