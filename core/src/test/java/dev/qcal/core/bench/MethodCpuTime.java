package dev.qcal.core.bench;

import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Thread CPU time of each method on one tensor per {@link Distribution} (1M values each; ABSOLUTE
 * and SIGNED histograms of {@code bins} bins and the LOG2 histogram): per method and distribution
 * the median of {@code RUNS} runs after the warm-ups (and the best in brackets), the sum over the
 * methods, and the time of one {@link TensorCalibrator#calibrate} call with every method (issue 2:
 * "running all methods for one tensor"; it shares work between methods that search the same
 * histogram the same way). CPU time, unlike JMH's wall time, stays readable on a machine shared
 * with other work:
 *
 * <pre>
 * bin/jmh -l >/dev/null   # builds the test classes and core/target/jmh.classpath
 * java -cp "core/target/test-classes:core/target/classes:$(cat core/target/jmh.classpath)" \
 *     dev.qcal.core.bench.MethodCpuTime 2048 [method,method...]
 * </pre>
 */
public final class MethodCpuTime {
  private static final int WARMUPS = 30;
  private static final int RUNS = 15;

  private MethodCpuTime() {}

  /** {@code args}: bin count, then optionally a comma-separated list of method keys. */
  public static void main(String[] args) {
    int bins = args.length > 0 ? Integer.parseInt(args[0]) : HistogramSpec.DEFAULT_BINS;
    List<String> methods = args.length > 1 ? List.of(args[1].split(",")) : Calibrators.names();
    Distribution[] dists = Distribution.values();
    TensorStatistics[] tensors = new TensorStatistics[dists.length];
    for (int t = 0; t < dists.length; t++) {
      tensors[t] = tensor(dists[t], bins);
    }
    QuantSpec quant = QuantSpec.symmetric(QuantSpec.DEFAULT_BITS);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    // Warm every method on every tensor first, so that no method is measured on code the JIT
    // compiled for another tensor's branches only (the first tensor's numbers were inflated).
    TensorCalibrator all = new TensorCalibrator(methods, quant);
    for (int round = 0; round < WARMUPS; round++) {
      for (TensorStatistics stats : tensors) {
        all.calibrate("t", stats);
      }
    }

    StringBuilder header =
        new StringBuilder(String.format(Locale.ROOT, "%-22s", "ms: median (best)"));
    for (Distribution d : dists) {
      header.append(String.format(Locale.ROOT, " %17s", d.name().toLowerCase(Locale.ROOT)));
    }
    System.out.println(header);
    double[] medianSum = new double[dists.length];
    double[] bestSum = new double[dists.length];
    for (String method : methods) {
      Calibrator c = Calibrators.create(method);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", method));
      for (int t = 0; t < dists.length; t++) {
        TensorStatistics stats = tensors[t];
        double[] ms = time(cpu, () -> c.calibrate(stats, quant));
        medianSum[t] += ms[0];
        bestSum[t] += ms[1];
        line.append(String.format(Locale.ROOT, " %8.3f (%6.3f)", ms[0], ms[1]));
      }
      System.out.println(line);
    }
    System.out.println(row("sum of the methods", medianSum, bestSum));

    double[] median = new double[dists.length];
    double[] best = new double[dists.length];
    for (int t = 0; t < dists.length; t++) {
      TensorStatistics stats = tensors[t];
      double[] ms = time(cpu, () -> all.calibrate("t", stats));
      median[t] = ms[0];
      best[t] = ms[1];
    }
    System.out.println(row("one TensorCalibrator", median, best));
    System.out.printf(
        Locale.ROOT,
        "one TensorCalibrator call, median over the tensors: %.3f ms (of their medians)%n",
        medianOf(median.clone()));
  }

  private static String row(String name, double[] median, double[] best) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", name));
    for (int t = 0; t < median.length; t++) {
      line.append(String.format(Locale.ROOT, " %8.3f (%6.3f)", median[t], best[t]));
    }
    return line.toString();
  }

  /** The median and best thread CPU time of {@code RUNS} runs after {@code WARMUPS}, in ms. */
  private static double[] time(ThreadMXBean cpu, Runnable run) {
    for (int i = 0; i < WARMUPS; i++) {
      run.run();
    }
    double[] ms = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = cpu.getCurrentThreadCpuTime();
      run.run();
      ms[i] = (cpu.getCurrentThreadCpuTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {medianOf(ms), ms[0]};
  }

  private static double medianOf(double[] v) {
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  /** A tensor of 1M values of {@code d}: its range and its histograms of every domain. */
  static TensorStatistics tensor(Distribution d, int bins) {
    float[] values = d.values(7, 1_000_000);
    RangeStats range = RangeStats.of(values);
    Histogram[] histograms = new Histogram[Domain.values().length];
    for (Domain domain : Domain.values()) {
      HistogramSpec spec = HistogramSpec.forStats(domain, range, bins);
      histograms[domain.ordinal()] = new HistogramAccumulator(spec).add(values).snapshot();
    }
    return TensorStatistics.of(range, histograms);
  }
}
