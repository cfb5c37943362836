package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReportNumbersTest {
  @Test
  void numbersHaveFourSignificantDigitsHalfEven() {
    assertEquals("0.5", ReportNumbers.num(0.5));
    assertEquals("1234", ReportNumbers.num(1234.5)); // exact tie, 4 is even
    assertEquals("1236", ReportNumbers.num(1235.5)); // exact tie, 5 is odd
    assertEquals("123500", ReportNumbers.num(123456)); // 10^5: still plain
    assertEquals("1.235e6", ReportNumbers.num(1234567)); // 10^6: scientific
    assertEquals("0.0001", ReportNumbers.num(1e-4)); // 10^-4: plain
    assertEquals(
        "1e-7", ReportNumbers.num(1e-7)); // binary 9.99999999999999955e-8 rounds to 1.000e-7
    assertEquals("-2.5e-5", ReportNumbers.num(-2.5e-5));
    assertEquals("0.1", ReportNumbers.num(0.1, 3));
    assertEquals("0", ReportNumbers.num(0.0));
    assertEquals("0", ReportNumbers.num(-0.0));
  }

  /**
   * The double-arithmetic path writes exactly what BigDecimal rounding of the exact binary value
   * writes: random doubles over 40 decades, random floats (the tables' values), decimal ties that
   * are exact in binary, values just beside ties and powers of ten, for every digit count used.
   */
  @Test
  void fastRoundingAgreesWithBigDecimalEverywhere() {
    Random random = new Random(13);
    for (int i = 0; i < 200_000; i++) {
      double x;
      switch (i % 6) {
        case 0 -> x = Math.pow(10, random.nextDouble() * 40 - 20) * (random.nextBoolean() ? 1 : -1);
        case 1 -> x = Float.intBitsToFloat(random.nextInt());
        case 2 -> x = (random.nextInt(2_000_000) + 0.5) / (1 << random.nextInt(12)); // binary ties
        case 3 ->
            x = Math.nextUp((random.nextInt(20_000) + 0.5) * Math.pow(10, random.nextInt(9) - 4));
        case 4 -> x = Math.nextDown(Math.pow(10, random.nextInt(30) - 15));
        default -> x = random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6);
      }
      if (!Double.isFinite(x) || x == 0) {
        continue;
      }
      for (int digits : new int[] {3, 4, 6}) {
        assertEquals(reference(x, digits), ReportNumbers.num(x, digits), x + " to " + digits);
      }
      double db = x % 1e7;
      assertEquals(
          new BigDecimal(db).setScale(1, RoundingMode.HALF_EVEN).toPlainString(),
          ReportNumbers.db(db),
          "dB of " + db);
    }
  }

  /** The formatting before the fast path, kept as the reference. */
  private static String reference(double x, int digits) {
    BigDecimal d =
        new BigDecimal(x)
            .round(new MathContext(digits, RoundingMode.HALF_EVEN))
            .stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    if (exponent >= -4 && exponent < 6) {
      return d.toPlainString();
    }
    return d.movePointLeft(exponent).toPlainString() + "e" + exponent;
  }

  @Test
  void nonFiniteNumbersAreSymbols() {
    assertEquals("\u2014", ReportNumbers.num(Double.NaN));
    assertEquals("\u221e", ReportNumbers.num(Double.POSITIVE_INFINITY));
    assertEquals("\u2212\u221e", ReportNumbers.num(Double.NEGATIVE_INFINITY));
    assertEquals("\u2014", ReportNumbers.percent(Double.NaN));
    assertEquals("\u221e", ReportNumbers.db(Double.POSITIVE_INFINITY));
    assertEquals("\u2014", ReportNumbers.db(Double.NaN));
  }

  @Test
  void percentDecibelsCountsAndSeconds() {
    assertEquals("0.012%", ReportNumbers.percent(0.00012));
    assertEquals("0%", ReportNumbers.percent(0));
    assertEquals("100%", ReportNumbers.percent(1));
    assertEquals("42.0", ReportNumbers.db(41.96));
    assertEquals("-3.0", ReportNumbers.db(-3.04));
    assertEquals("1,234,567", ReportNumbers.count(1_234_567));
    assertEquals("999", ReportNumbers.count(999));
    assertEquals("0", ReportNumbers.count(0));
    assertEquals("-1,000", ReportNumbers.count(-1000));
    assertEquals("1.234 s", ReportNumbers.seconds(Duration.ofMillis(1234)));
    assertEquals("0.005 s", ReportNumbers.seconds(Duration.ofMillis(5)));
  }

  @Test
  void sortKeysParseAsNumbers() {
    assertEquals("", ReportNumbers.key(Double.NaN));
    assertEquals("Infinity", ReportNumbers.key(Double.POSITIVE_INFINITY));
    assertEquals("-Infinity", ReportNumbers.key(Double.NEGATIVE_INFINITY));
    assertEquals(
        "0.04683", ReportNumbers.key((double) 0.04683f)); // a float scale widened to double
    assertEquals("1.23457e-7", ReportNumbers.key(1.234567e-7));
    assertEquals("0", ReportNumbers.key(-0.0));
  }

  @Test
  void coordinatesHaveOneDecimal() {
    StringBuilder out = new StringBuilder();
    for (double x : new double[] {12.34, 12.0, -0.04, -0.06, 3.05, 760}) {
      ReportNumbers.coord(out, x);
      out.append(' ');
    }
    // -0.04 rounds to -0 tenths, written 0; 3.05 is 3.04999... in binary → 30.4999 tenths → 3.
    assertEquals("12.3 12 0 -0.1 3 760 ", out.toString());
  }
}
