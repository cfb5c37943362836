package dev.qcal.jobs.cli;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;

/**
 * Starts (or joins) the Spark session of a command. The master is never hardcoded: it is {@code
 * --master}, else whatever spark-submit or the configuration set, else {@code local[*]} (the
 * embedded mode of {@code bin/qcal}), where the UI is off to save start-up time.
 */
final class Sessions {
  /** Defaults applied when not configured: docs/design/performance-notes.md §1. */
  private static final Map<String, String> DEFAULTS =
      Map.of(
          // 256-row batches: Spark's 4096 rows of long arrays make ~160 MB column vectors, 2x
          // slower.
          "spark.sql.parquet.columnarReaderBatchSize", "256",
          "spark.sql.parquet.mergeSchema", "false");

  /** How deep Spark looks for a fatal error in a failed task before it kills the executor. */
  private static final String KILL_ON_FATAL_ERROR = "spark.executor.killOnFatalError.depth";

  /** The largest task result an executor hands the driver directly, not through its blocks. */
  private static final String MAX_DIRECT_RESULT = "spark.task.maxDirectResultSize";

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

  /**
   * The Hadoop configuration the session will have ({@code spark.hadoop.*} keys, cloud credentials
   * from the environment, as Spark builds it), or the running session's: for the checks of inputs
   * and outputs that run before Spark starts.
   */
  static Configuration hadoopConfiguration(Settings settings) {
    SparkWarmUp.awaitHadoop();
    if (SparkSession.getDefaultSession().isDefined()) {
      return SparkSession.getDefaultSession().get().sparkContext().hadoopConfiguration();
    }
    SparkConf conf = new SparkConf(); // with spark.* system properties, as spark-submit passes them
    settings.sparkOptions().forEach(conf::set);
    return SparkHadoopUtil.get().newConfiguration(conf);
  }

  static Handle start(String appName, String master, Settings settings) {
    SparkWarmUp.awaitSql();
    boolean existing = SparkSession.getDefaultSession().isDefined();
    // The classic (in-JVM) builder, named: SparkSession.builder() first looks for an
    // implementation (classic or Spark Connect) through Scala's runtime reflection, whose universe
    // nothing else here needs and which took 110 of the main thread's 764 JFR samples of a 1e8
    // calibrate (1 149 scala.reflect classes loaded; 32 without it).
    org.apache.spark.sql.classic.SparkSession.Builder b =
        org.apache.spark.sql.classic.SparkSession.builder().appName(appName);
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
    String effectiveMaster =
        master != null
            ? master
            : configuredMaster != null ? configuredMaster : existing ? null : "local";
    if (effectiveMaster != null
        && effectiveMaster.startsWith("local")
        && !options.containsKey(KILL_ON_FATAL_ERROR)) {
      // In local mode the executor is the driver's JVM: a task's OutOfMemoryError would make Spark
      // System.exit(52) under the running command, which could then not say what happened. Depth 0
      // fails the task (and the job) instead, and the command reports it (Failures, exit 52).
      b.config(KILL_ON_FATAL_ERROR, "0");
    }
    if (effectiveMaster != null
        && effectiveMaster.startsWith("local")
        && !options.containsKey(MAX_DIRECT_RESULT)) {
      // In local mode a direct result is handed over in memory; one over the default 1 MB (a search
      // task's rows with their report plots: 2.7 MB at 500 tensors) goes to the block manager, and
      // the driver fetches it from itself over a network connection it opens for that. Up to
      // Spark's RPC message limit, which caps this anyway.
      b.config(MAX_DIRECT_RESULT, "128m");
    }
    return new Handle(b.getOrCreate(), !existing);
  }
}
