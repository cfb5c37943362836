package dev.qcal.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a job runs and how it is configured, shared by {@code calibrate} and {@code recompute} (a
 * picocli mixin): the Spark master, single settings, and a properties file of them.
 */
final class SparkOptions {
  @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark or spark.qcal.* setting.")
  List<String> conf = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE",
      description = "A properties file of spark.qcal.* and spark.* keys (e.g. conf/qcal.properties).")
  Path config;

  /** The settings of this run: {@code --config}'s file, then {@code --conf} over it. */
  Settings settings() {
    return new Settings(config, conf);
  }
}
