package dev.qcal.jobs.generate;

import dev.qcal.jobs.JobException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A seeded long-layout benchmark dump shaped like a forward-hook dump of a transformer: {@code
 * tensors} tensors whose sizes vary 32× (log-uniform), {@code valuesPerRow} values per row (the
 * last row of a tensor holds the rest), rows of all tensors interleaved through the files as
 * batches would write them. Distributions cycle through gaussian, laplace, ReLU'd gaussian (half
 * exact zeros) and heavy-tailed (student-t(3)-like, with 1e-4 outliers ×20–100), each with a random
 * scale and location. Every value is finite.
 *
 * <p>Unlike {@link Synthetic} (one value at a time, {@link StrictMath}, for exact reference tests),
 * values come one row at a time from a {@link SplittableRandom} seeded by (seed, tensor, row): fast
 * enough to write 10⁹ values, and the same for any partitioning on one JVM version.
 *
 * @param tensors number of tensors
 * @param values total values over all tensors
 * @param seed the seed
 * @param valuesPerRow values per row
 * @param files number of Parquet files (Spark tasks)
 */
public record SizedDump(int tensors, long values, long seed, int valuesPerRow, int files) {
  /** Largest over smallest tensor size. */
  public static final double SIZE_SPREAD = 32.0;

  private static final String[] ROLES = {
    "attn.q_proj.in", "mlp.up_proj.out", "mlp.act.out", "attn.o_proj.in"
  };

  /** Validates the parameters (usage errors, exit 2). */
  public SizedDump {
    if (tensors < 1 || valuesPerRow < 1 || files < 1 || values < tensors) {
      throw JobException.usage(
          String.format(
              Locale.ROOT,
              "Cannot generate %d values over %d tensors, %d per row, in %d files: every count must"
                  + " be positive and there must be at least one value per tensor",
              values,
              tensors,
              valuesPerRow,
              files));
    }
  }

  /** The name of tensor {@code t}: four roles per layer. */
  public static String name(int t) {
    return String.format(
        Locale.ROOT, "model.layers.%d.%s", t / ROLES.length, ROLES[t % ROLES.length]);
  }

  /** Values of each tensor: log-uniform over a 32× spread, summing to {@link #values()} exactly. */
  public long[] sizes() {
    double[] weight = new double[tensors];
    double sum = 0;
    for (int t = 0; t < tensors; t++) {
      double u = (mix(mix(seed ^ 0x5EEDL) ^ t) >>> 11) / (double) (1L << 53);
      weight[t] = Math.pow(SIZE_SPREAD, u);
      sum += weight[t];
    }
    long[] sizes = new long[tensors];
    long assigned = 0;
    int largest = 0;
    for (int t = 0; t < tensors; t++) {
      sizes[t] = Math.max(1, (long) Math.floor(values * weight[t] / sum));
      assigned += sizes[t];
      if (sizes[t] > sizes[largest]) {
        largest = t;
      }
    }
    sizes[largest] += values - assigned; // rounding remainder: a few values at most per tensor
    return sizes;
  }

  /**
   * The dump's rows in file order, as {tensor, row-in-tensor} pairs: every tensor's rows spread
   * evenly through the dump (sorted by (row + 0.5) / rows of the tensor), as successive batches
   * write every tensor once each.
   */
  int[][] rowOrder(long[] sizes) {
    int total = 0;
    int[] rows = new int[tensors];
    for (int t = 0; t < tensors; t++) {
      rows[t] = (int) ((sizes[t] + valuesPerRow - 1) / valuesPerRow);
      total += rows[t];
    }
    long[] keys = new long[total];
    int k = 0;
    for (int t = 0; t < tensors; t++) {
      for (int r = 0; r < rows[t]; r++) {
        // position in [0, 2^40), then the tensor in the low 20 bits (ties broken by tensor)
        long position = (long) (((r + 0.5) / rows[t]) * (1L << 40));
        keys[k++] = (position << 20) | t;
      }
    }
    Arrays.sort(keys);
    int[] tensorOf = new int[total];
    int[] rowOf = new int[total];
    int[] next = new int[tensors];
    for (int i = 0; i < total; i++) {
      int t = (int) (keys[i] & ((1 << 20) - 1));
      tensorOf[i] = t;
      rowOf[i] = next[t]++;
    }
    return new int[][] {tensorOf, rowOf};
  }

  /** Writes the dump to {@code output} with Spark (Parquet, Spark's default Snappy codec). */
  public void write(SparkSession spark, String output, SaveMode mode) {
    write(spark, output, mode, Map.of());
  }

  /** Writes the dump with writer {@code options} (e.g. {@code parquet.block.size}). */
  public void write(SparkSession spark, String output, SaveMode mode, Map<String, String> options) {
    if (tensors >= (1 << 20)) {
      throw JobException.usage("Cannot generate more than 2^20 tensors (" + tensors + ")");
    }
    long[] sizes = sizes();
    int[][] order = rowOrder(sizes);
    int[] tensorOf = order[0];
    int[] rowOf = order[1];
    long seed = this.seed;
    int perRow = valuesPerRow;
    spark.sparkContext().setJobDescription("qcal: generate a benchmark dump");
    spark
        .range(0, tensorOf.length, 1, files)
        .map(
            (MapFunction<Long, LongRow>)
                i -> {
                  int t = tensorOf[(int) (long) i];
                  int r = rowOf[(int) (long) i];
                  int n = (int) Math.min(perRow, sizes[t] - (long) r * perRow);
                  return new LongRow(name(t), row(seed, t, r, n));
                },
            Encoders.bean(LongRow.class))
        .select("tensor", "values")
        .write()
        .options(options)
        .mode(mode)
        .parquet(output);
  }

  /** Row {@code r} of tensor {@code t}: {@code n} values. */
  public static float[] row(long seed, int t, int r, int n) {
    SplittableRandom tensorRandom = new SplittableRandom(mix(mix(seed) ^ t));
    double sigma = 0.05 * Math.pow(400, tensorRandom.nextDouble()); // 0.05 .. 20
    double location = (tensorRandom.nextDouble() - 0.5) * sigma;
    SplittableRandom rnd = new SplittableRandom(mix(mix(mix(seed) ^ t) ^ r));
    float[] out = new float[n];
    switch (t % 4) {
      case 0: // gaussian
        for (int i = 0; i < n; i++) {
          out[i] = (float) (location + sigma * rnd.nextGaussian());
        }
        break;
      case 1: // laplace
        for (int i = 0; i < n; i++) {
          double u = rnd.nextDouble() - 0.5;
          out[i] = (float) (location - sigma * Math.signum(u) * Math.log1p(-2 * Math.abs(u)));
        }
        break;
      case 2: // ReLU'd gaussian: about half exact zeros
        for (int i = 0; i < n; i++) {
          out[i] = (float) Math.max(0.0, sigma * rnd.nextGaussian());
        }
        break;
      default: // heavy-tailed: gaussian / sqrt(chi2(3)/3), plus rare outliers
        for (int i = 0; i < n; i++) {
          double g1 = rnd.nextGaussian();
          double g2 = rnd.nextGaussian();
          double g3 = rnd.nextGaussian();
          double v =
              sigma * rnd.nextGaussian() / Math.sqrt((g1 * g1 + g2 * g2 + g3 * g3) / 3 + 1e-12);
          if (rnd.nextDouble() < 1e-4) {
            v *= 20 + 80 * rnd.nextDouble();
          }
          out[i] = (float) (location + v);
        }
        break;
    }
    return out;
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
