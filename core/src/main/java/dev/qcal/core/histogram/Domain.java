package dev.qcal.core.histogram;

/** What a histogram bins: |x|, x, or log2(x) of positive x; see {@code package-info}. */
public enum Domain {
  /** |x| over [0, hi]. */
  ABSOLUTE,
  /** x over [lo, hi]. */
  SIGNED,
  /** log2(x) of positive x over [lo, hi] octaves, 16 bins per octave. */
  LOG2;

  /** The lower-case name used in messages, JSON and configuration. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The name and what is binned, for messages: {@code absolute (|x|)}, {@code signed (x)}, {@code
   * log2}.
   */
  public String description() {
    switch (this) {
      case ABSOLUTE:
        return "absolute (|x|)";
      case SIGNED:
        return "signed (x)";
      default:
        return "log2";
    }
  }
}
