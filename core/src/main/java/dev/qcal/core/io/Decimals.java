package dev.qcal.core.io;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * The one number format of every qcal output: the shortest decimal that reads back as the same
 * double (Steele–White / Schubfach, Giulietti 2020), in Java's {@code Double.toString} syntax
 * ({@code 0.019685039296746254}, {@code 1.0E-5}, {@code 100.0}).
 *
 * <p>Why not {@code Double.toString} itself: before JDK 19 it sometimes prints more digits than
 * needed (JDK-4511638), so the same table would print differently on a JDK 17 driver and a JDK 21
 * one. Jackson's fast writer is the same algorithm as JDK 19+'s {@code Double.toString}, on every
 * JDK. A float32 value (a scale, a statistic's min/max) is printed as the double it widens to, so a
 * reader recovers the exact float by casting the parsed double to float.
 *
 * <p>The sign of zero is dropped ({@code -0.0} is written {@code 0.0}): the symmetric range of an
 * all-zero tensor is (−0.0, 0.0), and a "-0.0" in a table only puzzles its reader; no quantity qcal
 * writes depends on the sign of a zero.
 */
final class Decimals {
  private Decimals() {}

  /** The shortest round-trip decimal of a finite double. */
  static String of(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Cannot format a non-finite number: " + value);
    }
    return NumberOutput.toString(value == 0 ? 0.0 : value, true);
  }

  /**
   * {@link #of of(−x)} from {@code of(x)} of a positive {@code x}: the shortest decimal does not
   * depend on the sign, which is written first ({@code DecimalsTest} checks it on random doubles).
   */
  static String negative(String positive) {
    return "-" + positive;
  }
}
