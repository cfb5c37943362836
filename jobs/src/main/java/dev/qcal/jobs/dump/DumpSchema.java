package dev.qcal.jobs.dump;

import dev.qcal.jobs.JobException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark schema of a dump, read from one Parquet footer on the driver.
 *
 * <p>Why not {@code spark.read().parquet(paths).schema()}: Spark infers a Parquet schema with a
 * distributed job ({@code mergeSchemasInParallel}), even for one footer. The job then hands Spark
 * the schema it needs, so no inference job runs. Files whose columns differ from the first file's
 * fail while they are read, with a message naming the file.
 *
 * <p>A column Spark cannot represent (Parquet's FLOAT16 half floats: Spark has no half type) does
 * not fail the whole schema: it appears as {@code binary} with the reason under {@link #UNREADABLE}
 * in its metadata, so {@link DumpLayout} can name the column, say why and how to convert the dump
 * if the column is one it must read. A column compressed with a codec qcal cannot decompress
 * (BROTLI, LZO) carries it under {@link #CODEC}, so {@link DumpLayout} refuses it if it is read,
 * before Spark starts.
 */
public final class DumpSchema {
  /** Metadata key of a column Spark cannot read: why, for the error message. */
  public static final String UNREADABLE = "qcal.unreadable";

  /** Metadata key of a column compressed with a codec qcal cannot decompress: the codec. */
  static final String CODEC = "qcal.codec";

  private DumpSchema() {}

  /**
   * The Spark schema of {@code file}.
   *
   * @throws JobException (input) naming the file if it is not a readable Parquet file
   */
  public static StructType read(Path file, Configuration conf) {
    MessageType parquet;
    Map<String, CompressionCodecName> codecs;
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      parquet = reader.getFooter().getFileMetaData().getSchema();
      codecs = PageCodecs.unreadable(reader.getFooter());
    } catch (IOException | RuntimeException e) {
      throw JobException.input(
          String.format(
              "Cannot read '%s' as Parquet (%s): the input must be Parquet files or directories of"
                  + " them",
              file, e.getMessage()),
          e);
    }
    ParquetToSparkSchemaConverter converter = new ParquetToSparkSchemaConverter(SQLConf.get());
    List<StructField> fields = new ArrayList<>();
    for (Type field : parquet.getFields()) {
      try {
        for (StructField f :
            converter.convert(new MessageType(parquet.getName(), field)).fields()) {
          CompressionCodecName codec = codecs.get(f.name());
          fields.add(codec == null ? f : withCodec(f, codec));
        }
      } catch (
          Exception e) { // Spark's AnalysisException (PARQUET_TYPE_ILLEGAL), checked in Java's eyes
        String reason =
            hasFloat16(field)
                ? "float16 (Parquet FLOAT16 logical type), which Spark cannot read"
                : "a Parquet type Spark cannot read (" + firstLine(e.getMessage()) + ")";
        fields.add(
            new StructField(
                field.getName(),
                DataTypes.BinaryType,
                true,
                new MetadataBuilder().putString(UNREADABLE, reason).build()));
      }
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  private static StructField withCodec(StructField f, CompressionCodecName codec) {
    return new StructField(
        f.name(),
        f.dataType(),
        f.nullable(),
        new MetadataBuilder().withMetadata(f.metadata()).putString(CODEC, codec.name()).build());
  }

  private static boolean hasFloat16(Type type) {
    if (type.isPrimitive()) {
      return type.getLogicalTypeAnnotation()
          instanceof LogicalTypeAnnotation.Float16LogicalTypeAnnotation;
    }
    for (Type child : ((GroupType) type).getFields()) {
      if (hasFloat16(child)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
