package dev.qcal.core.bench;

import dev.qcal.core.stats.RangeStatsAccumulator;
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
 * Pass-1 throughput: values per µs through {@link RangeStatsAccumulator#add}, one float[] chunk of
 * {@value HistogramFillBenchmark#CHUNK} values per call. {@code nanEvery} > 0 replaces every
 * that-many-th value by NaN (and the one after by +Inf), to price the rare path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RangeStatsBenchmark {
  private static final int CHUNKS = 8;

  @Param({"GAUSSIAN", "RELU"})
  public Distribution distribution;

  @Param({"0", "1000"})
  public int nanEvery;

  private float[][] chunks;
  private RangeStatsAccumulator accumulator;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    chunks = new float[CHUNKS][];
    for (int k = 0; k < CHUNKS; k++) {
      float[] v = distribution.values(42 + k, HistogramFillBenchmark.CHUNK);
      if (nanEvery > 0) {
        for (int i = k; i + 1 < v.length; i += nanEvery) {
          v[i] = Float.NaN;
          v[i + 1] = Float.POSITIVE_INFINITY;
        }
      }
      chunks[k] = v;
    }
    accumulator = new RangeStatsAccumulator();
  }

  @Benchmark
  @OperationsPerInvocation(HistogramFillBenchmark.CHUNK)
  public RangeStatsAccumulator add() {
    float[] chunk = chunks[next];
    next = (next + 1) & (CHUNKS - 1);
    return accumulator.add(chunk, 0, chunk.length);
  }
}
