package dev.qcal.jobs.generate;

import java.util.Locale;

/**
 * Seeded synthetic activations: value {@code i} of tensor {@code t} is a pure function of (seed, t,
 * i), from a counter-based generator (SplitMix64) and {@link StrictMath}, so a dump is the same for
 * any partitioning, layout or JVM. Test data only: nothing here is calibration arithmetic.
 */
public final class Synthetic {
  /** The shape of a tensor's values. */
  public enum Kind {
    /** N(0, σ). */
    GAUSSIAN,
    /** Laplace(0, σ). */
    LAPLACE,
    /** max(0, N(0, σ)): half the values are exactly 0. */
    RELU,
    /** N(0, σ)/√U (infinite variance) plus a ×100 outlier every 4099 values. */
    HEAVY_TAILED,
    /** Every value 3.25. */
    CONSTANT,
    /** Every value 0. */
    ALL_ZERO,
    /** N(0, σ) with NaN every 1000, +Inf every 1777 and −Inf every 2011 values. */
    NON_FINITE,
    /** U(−σ, σ). */
    UNIFORM;

    String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Names of the first tensors: spaces, colons, slashes and non-ASCII letters, kept verbatim. */
  private static final String[] SHOWCASE_NAMES = {
    "conv1/output",
    "block 1: attention.out",
    "encoder.layer.0:relu",
    "fc heavy tail",
    "bias const",
    "zeros",
    "nan:inf tensor",
    "uniform",
    "Größe/μ-активация",
    "层 9.出力",
    "relu6: head",
    "outliers ünd spaces",
  };

  private Synthetic() {}

  /** The kind of tensor {@code t}. */
  public static Kind kind(int t) {
    return Kind.values()[t % Kind.values().length];
  }

  /** The name of tensor {@code t}. */
  public static String name(int t) {
    return t < SHOWCASE_NAMES.length
        ? SHOWCASE_NAMES[t]
        : String.format(Locale.ROOT, "layer%05d.%s", t, kind(t).key());
  }

  /** Value {@code i} of tensor {@code t}. */
  public static float value(long seed, int t, long i) {
    double sigma = 0.5 + (t % 5) * 0.75;
    switch (kind(t)) {
      case GAUSSIAN:
        return (float) (sigma * gaussian(seed, t, i));
      case LAPLACE:
        {
          double u = uniform(seed, t, i, 0) - 0.5;
          return (float) (-sigma * Math.signum(u) * StrictMath.log(1 - 2 * Math.abs(u)));
        }
      case RELU:
        return (float) Math.max(0.0, sigma * gaussian(seed, t, i));
      case HEAVY_TAILED:
        {
          double v = sigma * gaussian(seed, t, i) / StrictMath.sqrt(uniform(seed, t, i, 2));
          return (float) (i % 4099 == 17 ? 100 * v : v);
        }
      case CONSTANT:
        return 3.25f;
      case ALL_ZERO:
        return 0f;
      case NON_FINITE:
        if (i % 1000 == 7) {
          return Float.NaN;
        }
        if (i % 1777 == 3) {
          return Float.POSITIVE_INFINITY;
        }
        if (i % 2011 == 5) {
          return Float.NEGATIVE_INFINITY;
        }
        return (float) (sigma * gaussian(seed, t, i));
      case UNIFORM:
        return (float) (sigma * (2 * uniform(seed, t, i, 0) - 1));
      default:
        throw new AssertionError(kind(t));
    }
  }

  /** Values {@code [from, to)} of tensor {@code t}. */
  public static float[] values(long seed, int t, long from, long to) {
    float[] out = new float[(int) (to - from)];
    for (int k = 0; k < out.length; k++) {
      out[k] = value(seed, t, from + k);
    }
    return out;
  }

  private static double gaussian(long seed, int t, long i) {
    // Box–Muller with StrictMath, so every JVM gives the same bits.
    double u1 = uniform(seed, t, i, 0);
    double u2 = uniform(seed, t, i, 1);
    return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
  }

  /** A uniform double in (0, 1) from stream {@code k} of counter (seed, t, i). */
  private static double uniform(long seed, int t, long i, int k) {
    long x = mix(mix(mix(seed) ^ t) ^ i) ^ k;
    long bits = mix(x) >>> 11; // 53 bits
    return (bits + 0.5) / (1L << 53);
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
