package dev.qcal.jobs.cli;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Starts (or joins) the Spark session of a command. The master is never hardcoded: it is
 * {@code --master}, else whatever spark-submit or the configuration set, else {@code local[*]}
 * (the embedded mode of {@code bin/qcal}), where the UI is off to save start-up time.
 */
final class Sessions {
  /** Defaults applied when not configured: see the README (perf notes). */
  private static final Map<String, String> DEFAULTS =
      Map.of(
          // 256-row batches: Spark's 4096 rows of long arrays make ~160 MB column vectors, 2x slower.
          "spark.sql.parquet.columnarReaderBatchSize", "256",
          "spark.sql.parquet.mergeSchema", "false");

  private Sessions() {}

  /** A running session and whether this command started it (and must stop it). */
  record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }

  static Handle start(String appName, String master, Settings settings) {
    boolean existing = SparkSession.getDefaultSession().isDefined();
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    Map<String, String> options = settings.sparkOptions();
    options.forEach(b::config);
    String configuredMaster = options.get("spark.master");
    if (master != null) {
      b.master(master);
    } else if (configuredMaster == null && !existing) {
      b.master("local[*]");
      if (!options.containsKey("spark.ui.enabled")) {
        b.config("spark.ui.enabled", "false");
      }
    }
    DEFAULTS.forEach(
        (k, v) -> {
          if (!options.containsKey(k)) {
            b.config(k, v);
          }
        });
    return new Handle(b.getOrCreate(), !existing);
  }
}
