package dev.qcal.jobs.dump;

import dev.qcal.jobs.JobException;
import java.io.FileNotFoundException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Recognises, in a failed Spark job, the failures caused by the input (a corrupt file, a file whose
 * column types differ from the first file's, a file deleted during the run, pages of a codec qcal
 * cannot decompress), so they exit with 3 and a message naming the file, rather than as an
 * unexpected failure.
 */
public final class InputErrors {
  /** Hadoop's LZ4 buffer: a block larger than it cannot be decompressed by Hadoop's codec. */
  private static final String LZ4_BUFFER = "io.compression.codec.lz4.buffersize";

  /** parquet-java's BadConfigurationException for a codec whose class is not on the class path. */
  private static final Pattern MISSING_CODEC = Pattern.compile("Class (\\S+) was not found");

  /** A file named by the page decoder ('…') or by Spark's FAILED_READ_FILE (reading file …). */
  private static final Pattern FILE =
      Pattern.compile("Cannot read '([^']+)'|reading file (\\S+?)\\.?(\\s|$)");

  private InputErrors() {}

  /**
   * {@code e} as an input error (exit 3) if it was caused by the input, else {@code e} itself
   * (Spark's job failures are checked {@code SparkException}s thrown through Scala).
   */
  public static Exception classify(Exception e) {
    if (e instanceof JobException) {
      return e;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DumpRowException) {
        return JobException.input(t.getMessage(), e);
      }
    }
    // Spark's FAILED_READ_FILE message names the file, the column and both types: prefer the
    // deepest cause carrying it; else the deepest other match.
    Throwable match = null;
    Throwable readFile = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String type = t.getClass().getName();
      String message = String.valueOf(t.getMessage());
      if (t instanceof FileNotFoundException
          || type.endsWith("SchemaColumnConvertNotSupportedException")
          || type.endsWith("ParquetDecodingException")
          || type.endsWith("SparkFileNotFoundException")
          || message.contains("FAILED_READ_FILE")
          || message.contains("is not a Parquet file")) {
        match = t;
        if (message.contains("FAILED_READ_FILE")) {
          readFile = t;
        }
      }
    }
    if (readFile != null) {
      match = readFile;
    }
    if (match != null && mentions(e, "BYTE_STREAM_SPLIT")) {
      // Spark 4.0's vectorized reader has no BYTE_STREAM_SPLIT decoder (SPARK-56894 adds one);
      // parquet-java's row reader has, and pyarrow can write the dump without it.
      return JobException.input(
          "Cannot read the input: "
              + firstLine(match.getMessage())
              + " Its float values are BYTE_STREAM_SPLIT-encoded, which Spark's vectorized Parquet"
              + " reader cannot decode: rewrite the dump with plain or dictionary encoding"
              + " (pyarrow: pq.write_table(..., use_byte_stream_split=False)), or run with --conf"
              + " spark.sql.parquet.enableVectorizedReader=false (slower)",
          e);
    }
    String codec = codecFailure(e);
    if (codec != null) {
      return JobException.input(codec, e);
    }
    if (match != null) {
      // The hint only where a file's columns differ from the first file's: not for a corrupt page.
      String hint =
          columnsDiffer(e)
              ? " (check that every file under the input has the first file's columns and types)"
              : "";
      return JobException.input(
          "Cannot read the input: " + firstLine(match.getMessage()) + hint, e);
    }
    return e;
  }

  /** Whether the failure says a file's columns are not the first file's. */
  private static boolean columnsDiffer(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().endsWith("SchemaColumnConvertNotSupportedException")
          || String.valueOf(t.getMessage()).contains("DATA_TYPE_MISMATCH")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The message for pages qcal cannot decompress, or null: a codec whose class is missing (BROTLI,
   * LZO), or LZ4 blocks larger than Hadoop's LZ4 buffer (Spark's reader; the page decoder reads
   * them).
   */
  private static String codecFailure(Throwable e) {
    String file = file(e);
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      Matcher m = MISSING_CODEC.matcher(message);
      if (m.find()) { // the page decoder's message carries it as text, Spark's as the cause
        CompressionCodecName codec = PageCodecs.ofClass(m.group(1));
        if (codec != null) {
          return PageCodecs.unreadable("Cannot read " + file + ": a page", codec);
        }
      }
      if (t.getClass().getName().equals("net.jpountz.lz4.LZ4Exception")) { // Spark's reader only
        return "Cannot read "
            + file
            + ": an LZ4 page (Hadoop framing) holds a block larger than the LZ4 buffer of Spark's"
            + " Parquet reader ("
            + LZ4_BUFFER
            + ", 256 KB by default; "
            + message
            + "). Read it with"
            + " --reader pages (or without --reader spark), or run with --conf"
            + " spark.hadoop."
            + LZ4_BUFFER
            + "=BYTES (at least the largest page), or rewrite the dump"
            + " with ZSTD, SNAPPY or LZ4_RAW";
      }
    }
    return null;
  }

  /** The file a failure names ('…'), or "the input". */
  private static String file(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher m = FILE.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return "'" + (m.group(1) != null ? m.group(1) : m.group(2)) + "'";
      }
    }
    return "the input";
  }

  private static boolean mentions(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(text)) {
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
