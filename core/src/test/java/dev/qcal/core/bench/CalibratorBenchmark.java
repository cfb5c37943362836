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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Time of one tensor's calibration with one method (a key of {@link Calibrators}) or with {@code
 * all} of them in turn, on a tensor with ABSOLUTE and SIGNED histograms of {@code bins} bins and
 * the LOG2 histogram (1024 bins), int8. Any key works: {@code -p method=percentile@99.9}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CalibratorBenchmark {
  /** Every registered method, one after the other (issue 2: all methods for one tensor). */
  public static final String ALL = "all";

  @Param({"entropy", "percentile", "mse", "max", "octav", "entropy:mxnet", ALL})
  public String method;

  @Param({"GAUSSIAN"})
  public Distribution distribution;

  @Param({"2048"})
  public int bins;

  /** Values in the synthetic tensor. */
  @Param({"1000000"})
  public int values;

  private List<Calibrator> calibrators;
  private TensorStatistics stats;
  private QuantSpec quant;

  @Setup(Level.Trial)
  public void setUp() {
    calibrators = Calibrators.create(ALL.equals(method) ? Calibrators.names() : List.of(method));
    float[] v = distribution.values(7, values);
    RangeStats range = RangeStats.of(v);
    Histogram[] histograms = new Histogram[Domain.values().length];
    for (Domain d : Domain.values()) {
      HistogramSpec spec = HistogramSpec.forStats(d, range, bins);
      histograms[d.ordinal()] = new HistogramAccumulator(spec).add(v).snapshot();
    }
    stats = TensorStatistics.of(range, histograms);
    quant = QuantSpec.symmetric(QuantSpec.DEFAULT_BITS);
  }

  @Benchmark
  public void calibrate(Blackhole sink) {
    for (Calibrator c : calibrators) {
      sink.consume(c.calibrate(stats, quant));
    }
  }
}
