package dev.qcal.core.bench;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
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

/**
 * Time of one {@link Calibrator#calibrate} on a gaussian tensor with 2048-bin ABSOLUTE and SIGNED
 * histograms and the LOG2 histogram (1024 bins), int8.
 *
 * <p>To add a calibrator, add its class name to the {@code calibrator} list (a simple name is
 * looked up in {@code dev.qcal.core.calib}; it needs a public no-argument constructor, which
 * gives its defaults), or pass {@code -p calibrator=a.b.SomeCalibrator} to {@code bin/jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CalibratorBenchmark {
  private static final String CALIB_PACKAGE = "dev.qcal.core.calib.";

  @Param({"MaxCalibrator"})
  public String calibrator;

  @Param({"GAUSSIAN"})
  public Distribution distribution;

  @Param({"2048"})
  public int bins;

  /** Values in the synthetic tensor. */
  @Param({"1000000"})
  public int values;

  private Calibrator method;
  private TensorStatistics stats;
  private QuantSpec quant;

  @Setup(Level.Trial)
  public void setUp() throws ReflectiveOperationException {
    String name = calibrator.indexOf('.') < 0 ? CALIB_PACKAGE + calibrator : calibrator;
    method = (Calibrator) Class.forName(name).getConstructor().newInstance();
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
  public CalibrationResult calibrate() {
    return method.calibrate(stats, quant);
  }
}
