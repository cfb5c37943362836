package dev.qcal.jobs.read;

import dev.qcal.jobs.JobException;
import java.io.FileNotFoundException;

/**
 * Recognises, in a failed Spark job, the failures caused by the input (a corrupt file, a file whose
 * column types differ from the first file's, a file deleted during the run), so they exit with 3
 * and Spark's message, which names the file, rather than as an unexpected failure.
 */
public final class InputErrors {
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
              + " reader cannot decode: rewrite the dump with plain or dictionary encoding (pyarrow:"
              + " pq.write_table(..., use_byte_stream_split=False)), or run with --conf"
              + " spark.sql.parquet.enableVectorizedReader=false (slower)",
          e);
    }
    if (match != null) {
      return JobException.input(
          "Cannot read the input: "
              + firstLine(match.getMessage())
              + " (check that every file under the input has the first file's columns and types)",
          e);
    }
    return e;
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
