package dev.qcal.jobs.read;

import dev.qcal.jobs.JobException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark schema of a dump, read from one Parquet footer on the driver.
 *
 * <p>Why not {@code spark.read().parquet(paths).schema()}: Spark infers a Parquet schema with a
 * distributed job ({@code mergeSchemasInParallel}), even for one footer. The job then hands Spark
 * the schema it needs, so no inference job runs. Files whose columns differ from the first file's
 * fail while they are read, with a message naming the file.
 */
public final class DumpSchema {
  private DumpSchema() {}

  /**
   * The Spark schema of {@code file}.
   *
   * @throws JobException (input) naming the file if it is not a readable Parquet file
   */
  public static StructType read(Path file, Configuration conf) {
    MessageType parquet;
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      parquet = reader.getFooter().getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      throw JobException.input(
          String.format(
              "Cannot read '%s' as Parquet (%s): the input must be Parquet files or directories of"
                  + " them",
              file, e.getMessage()),
          e);
    }
    return new ParquetToSparkSchemaConverter(SQLConf.get()).convert(parquet);
  }
}
