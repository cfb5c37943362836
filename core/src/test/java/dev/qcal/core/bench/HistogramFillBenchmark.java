package dev.qcal.core.bench;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.histogram.ReferenceFill;
import dev.qcal.core.stats.RangeStats;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pass-2 throughput: values binned per second by {@link HistogramAccumulator#add}, one float[]
 * chunk of {@value #CHUNK} values per call (about a Parquet page of activations).
 *
 * <p>Scores are in values/µs (×10⁶ = values/s). The layout is fixed from the first chunk, as the
 * job fixes it from pass 1, so the HEAVY chunks that follow put some values above the range.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HistogramFillBenchmark {
  /** Values per {@code add} call. */
  public static final int CHUNK = 16384;

  /** Distinct chunks cycled through, so branch predictors cannot learn one chunk (512 KiB). */
  private static final int CHUNKS = 8;

  @Param({"ABSOLUTE", "SIGNED", "LOG2"})
  public Domain domain;

  @Param({"GAUSSIAN", "RELU", "LAPLACE", "HEAVY"})
  public Distribution distribution;

  @Param({"2048"})
  public int bins;

  /** The grid layout (power-of-two widths, the job's default) or NVIDIA's range layout. */
  @Param({"GRID", "RANGE"})
  public HistogramLayout layout;

  /**
   * {@code accumulator}: {@link HistogramAccumulator#add}; {@code reference}: the plain
   * one-value-at-a-time loops of {@code ReferenceFill}, as a baseline measured in the same run.
   */
  @Param({"accumulator"})
  public String loop;

  private float[][] chunks;
  private HistogramSpec spec;
  private HistogramAccumulator accumulator;
  private long[] referenceCounts;
  private final long[] referenceOutside = new long[3];
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    chunks = new float[CHUNKS][];
    for (int k = 0; k < CHUNKS; k++) {
      chunks[k] = distribution.values(42 + k, CHUNK);
    }
    spec = HistogramSpec.forStats(domain, RangeStats.of(chunks[0]), bins, layout);
    accumulator = new HistogramAccumulator(spec);
    referenceCounts = new long[spec.binCount()];
  }

  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public Object fill() {
    float[] chunk = chunks[next];
    next = (next + 1) & (CHUNKS - 1);
    if (loop.equals("reference")) {
      ReferenceFill.accumulate(spec, referenceCounts, referenceOutside, chunk, 0, chunk.length);
      return referenceCounts;
    }
    return accumulator.add(spec, chunk, 0, chunk.length);
  }
}
