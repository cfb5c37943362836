/**
 * JMH benchmarks of core's hot loops, run with {@code bin/jmh} (never by {@code mvn verify}):
 * {@link dev.qcal.core.bench.HistogramFillBenchmark} (pass 2, values/µs per domain and
 * distribution; {@code -p loop=accumulator,reference} measures the plain one-value-at-a-time loops
 * in the same run), {@link dev.qcal.core.bench.RangeStatsBenchmark} (pass 1) and {@link
 * dev.qcal.core.bench.CalibratorBenchmark} (one {@code calibrate} per calibrator class named in its
 * {@code calibrator} parameter).
 *
 * <p>The machine is shared: compare A and B in alternating runs of the same command, and read the
 * best iterations as well as the means.
 */
package dev.qcal.core.bench;
