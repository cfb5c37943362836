package dev.qcal.jobs.calibrate;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.ChunkScans;
import dev.qcal.jobs.scan.ReadCounters;
import dev.qcal.jobs.scan.Reader;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Every tensor's histograms as a run's one scan builds them, collected on the driver (2048 longs
 * per histogram and domain: for tests that compare histograms, which a run never collects). Drives
 * the package's own stages: the inputs checked by {@link Calibration#check}, the scan opened as a
 * run opens it, and the merged accumulators of {@link OneScan#merged}.
 */
public final class ScannedHistograms {
  private ScannedHistograms() {}

  /**
   * The grid histograms in {@code domains} (2048 bins) of every tensor of {@code input} whose name
   * matches {@code tensors} (null: all), read by {@code reader}.
   */
  public static Map<String, Map<Domain, Histogram>> oneScan(
      SparkSession spark, String input, Reader reader, String tensors, Set<Domain> domains) {
    SparkContext sc = spark.sparkContext();
    CheckedInputs in = Calibration.builder().input(input).build().check(sc.hadoopConfiguration());
    ChunkScan chunks =
        ChunkScans.open(
            spark,
            reader,
            in.files(),
            in.dump(),
            tensors == null ? null : Pattern.compile(tensors),
            Calibration.DEFAULT_CHUNK_VALUES,
            null,
            ReadCounters.register(sc));
    Map<String, Map<Domain, Histogram>> out = new TreeMap<>();
    OneScan.merged(chunks, domains, HistogramSpec.DEFAULT_BINS, null, null, sc.longAccumulator())
        .mapValues(a -> new EnumMap<>(a.tensor().histograms()))
        .collectAsMap()
        .forEach(out::put);
    return out;
  }
}
