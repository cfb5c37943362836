package dev.qcal.core.bench;

import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * Thread CPU time of each method on one tensor (1M gaussian values; ABSOLUTE and SIGNED histograms
 * of {@code bins} bins and the LOG2 histogram), best of 15 runs after 100 warm-ups, and the total.
 * CPU time, unlike JMH's wall time, stays readable on a machine shared with other work:
 *
 * <pre>
 * bin/jmh -l >/dev/null   # builds the test classes and core/target/jmh.classpath
 * java -cp "core/target/test-classes:core/target/classes:$(cat core/target/jmh.classpath)" \
 *     dev.qcal.core.bench.MethodCpuTime 2048 [method,method...]
 * </pre>
 */
public final class MethodCpuTime {
  private MethodCpuTime() {}

  /** {@code args}: bin count, then optionally a comma-separated list of method keys. */
  public static void main(String[] args) {
    int bins = args.length > 0 ? Integer.parseInt(args[0]) : HistogramSpec.DEFAULT_BINS;
    List<String> methods = args.length > 1 ? List.of(args[1].split(",")) : Calibrators.names();
    float[] values = Distribution.GAUSSIAN.values(7, 1_000_000);
    RangeStats range = RangeStats.of(values);
    Histogram[] histograms = new Histogram[Domain.values().length];
    for (Domain d : Domain.values()) {
      HistogramSpec spec = HistogramSpec.forStats(d, range, bins);
      histograms[d.ordinal()] = new HistogramAccumulator(spec).add(values).snapshot();
    }
    TensorStatistics stats = TensorStatistics.of(range, histograms);
    QuantSpec quant = QuantSpec.symmetric(QuantSpec.DEFAULT_BITS);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double total = 0;
    for (String method : methods) {
      Calibrator c = Calibrators.create(method);
      for (int i = 0; i < 100; i++) {
        c.calibrate(stats, quant);
      }
      long best = Long.MAX_VALUE;
      for (int i = 0; i < 15; i++) {
        long start = cpu.getCurrentThreadCpuTime();
        c.calibrate(stats, quant);
        best = Math.min(best, cpu.getCurrentThreadCpuTime() - start);
      }
      total += best / 1e6;
      System.out.printf(Locale.ROOT, "%-22s %8.3f ms%n", method, best / 1e6);
    }
    System.out.printf(Locale.ROOT, "%-22s %8.3f ms%n", "total", total);
  }
}
