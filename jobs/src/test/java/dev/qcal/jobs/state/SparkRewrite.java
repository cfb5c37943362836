package dev.qcal.jobs.state;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Test helper: rewrites a state file with Spark, its histogram bytes truncated. */
final class SparkRewrite {
  private SparkRewrite() {}

  static void corruptHistograms(Path file, Path outDir) {
    SparkSession spark = SparkSession.active();
    Dataset<Row> df = spark.read().parquet(file.toString());
    df.withColumn("absolute", functions.substring(functions.col("absolute"), 1, 12))
        .coalesce(1)
        .write()
        .parquet(outDir.toString());
  }
}
