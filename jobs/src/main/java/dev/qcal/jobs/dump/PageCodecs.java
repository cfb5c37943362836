package dev.qcal.jobs.dump;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * The Parquet compression codecs this JVM can decompress, and what to tell the user about one it
 * cannot. parquet-java finds a codec by Hadoop class name; Spark ships those of UNCOMPRESSED,
 * SNAPPY, GZIP, LZ4 (Hadoop framing), ZSTD and LZ4_RAW, not BROTLI's or LZO's (whose libraries are
 * native code outside Spark). A codec counts as readable when its class loads, so a cluster that
 * adds one reads it.
 */
public final class PageCodecs {
  private PageCodecs() {}

  /** Whether pages compressed with {@code codec} can be decompressed here. */
  public static boolean readable(CompressionCodecName codec) {
    String className = codec.getHadoopCompressionCodecClassName();
    if (className == null) {
      return true;
    }
    try {
      Class.forName(className, false, PageCodecs.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The codecs that can be decompressed here, in parquet-java's order. */
  public static List<String> readable() {
    List<String> out = new ArrayList<>();
    for (CompressionCodecName c : CompressionCodecName.values()) {
      if (readable(c)) {
        out.add(c.name());
      }
    }
    return out;
  }

  /** The codec whose Hadoop class is {@code className}, or null. */
  static CompressionCodecName ofClass(String className) {
    for (CompressionCodecName c : CompressionCodecName.values()) {
      if (className.equals(c.getHadoopCompressionCodecClassName())) {
        return c;
      }
    }
    return null;
  }

  /** The top-level columns of a file's footer compressed with a codec that cannot be read here. */
  static Map<String, CompressionCodecName> unreadable(ParquetMetadata footer) {
    Map<String, CompressionCodecName> out = new HashMap<>();
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        if (!readable(chunk.getCodec())) {
          out.putIfAbsent(chunk.getPath().toArray()[0], chunk.getCodec());
        }
      }
    }
    return out;
  }

  /** The message for pages of {@code codec}, after {@code where} (which names the file). */
  static String unreadable(String where, CompressionCodecName codec) {
    return where
        + " is compressed with "
        + codec.name()
        + ", which qcal cannot decompress (Spark ships no codec for it). qcal reads "
        + String.join(", ", readable())
        + ": rewrite the dump with one of them (pyarrow: pq.write_table(..., compression='zstd');"
        + " DuckDB: COPY ... (FORMAT parquet, COMPRESSION zstd); Spark:"
        + " spark.sql.parquet.compression.codec=zstd)";
  }
}
