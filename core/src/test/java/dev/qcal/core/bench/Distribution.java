package dev.qcal.core.bench;

import java.util.SplittableRandom;

/** Seeded float32 activation-like distributions the benchmarks fill histograms with. */
public enum Distribution {
  /** Standard normal. */
  GAUSSIAN {
    @Override
    float sample(SplittableRandom random) {
      return (float) gaussian(random);
    }
  },
  /** ReLU of a standard normal: half the values are exactly 0, so half land in one bin. */
  RELU {
    @Override
    float sample(SplittableRandom random) {
      return (float) Math.max(0.0, gaussian(random));
    }
  },
  /** Laplace with unit scale (weights, TVM's KL vector). */
  LAPLACE {
    @Override
    float sample(SplittableRandom random) {
      double u = random.nextDouble() - 0.5;
      return (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
    }
  },
  /**
   * Student-t with 2 degrees of freedom: heavy tails, so with a layout fixed on the first chunk
   * (NVIDIA's first-batch range) later chunks put values above the range.
   */
  HEAVY {
    @Override
    float sample(SplittableRandom random) {
      double z = gaussian(random);
      double chi2 = -2 * Math.log(1 - random.nextDouble()); // chi-square with 2 dof
      return (float) (z / Math.sqrt(chi2 / 2));
    }
  },
  /**
   * The benchmark dump's heavy-tailed tensor ({@code SizedDump}): student-t with 3 degrees of
   * freedom and 1e-4 outliers ×20–100, so the range is set by a few outliers and most bins of a
   * histogram over it are empty.
   */
  OUTLIERS {
    @Override
    float sample(SplittableRandom random) {
      double g1 = gaussian(random);
      double g2 = gaussian(random);
      double g3 = gaussian(random);
      double v = gaussian(random) / Math.sqrt((g1 * g1 + g2 * g2 + g3 * g3) / 3 + 1e-12);
      if (random.nextDouble() < 1e-4) {
        v *= 20 + 80 * random.nextDouble();
      }
      return (float) v;
    }
  };

  abstract float sample(SplittableRandom random);

  /** {@code count} values drawn with {@code seed}. */
  public float[] values(long seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = sample(random);
    }
    return v;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
