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
