package dev.qcal.jobs.read;

import dev.qcal.jobs.JobException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The data files of a dump, listed on the driver through the Hadoop FileSystem API (so any
 * {@code file:}, {@code hdfs:}, {@code s3a:} ... path, directory or glob works). Like Spark, it
 * skips names starting with {@code _} or {@code .} (markers, checksums, metadata).
 */
public final class DumpFiles {
  private final List<String> inputs;
  private final List<Path> files;
  private final long bytes;

  private DumpFiles(List<String> inputs, List<Path> files, long bytes) {
    this.inputs = inputs;
    this.files = files;
    this.bytes = bytes;
  }

  /**
   * Lists the files under {@code inputs}.
   *
   * @throws JobException (input) naming the path if one does not exist or holds no data file
   */
  public static DumpFiles list(List<String> inputs, Configuration conf) {
    if (inputs.isEmpty()) {
      throw JobException.usage("No input given: pass --input PATH[,PATH...] (or spark.qcal.input)");
    }
    List<Path> files = new ArrayList<>();
    long bytes = 0;
    for (String input : inputs) {
      List<FileStatus> found = new ArrayList<>();
      try {
        Path path = new Path(input);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw JobException.input(
              "Input path '" + input + "' does not exist: check the path (a file, directory or glob)");
        }
        for (FileStatus m : matches) {
          collect(fs, m, found);
        }
      } catch (FileNotFoundException e) {
        throw JobException.input("Input path '" + input + "' does not exist: " + e.getMessage(), e);
      } catch (IOException e) {
        throw JobException.input("Cannot list input path '" + input + "': " + e.getMessage(), e);
      }
      if (found.isEmpty()) {
        throw JobException.input(
            "Input path '"
                + input
                + "' holds no data file (names starting with _ or . are skipped): point --input at"
                + " Parquet files or directories of them");
      }
      for (FileStatus f : found) {
        files.add(f.getPath());
        bytes += f.getLen();
      }
    }
    Collections.sort(files);
    return new DumpFiles(List.copyOf(inputs), List.copyOf(files), bytes);
  }

  private static void collect(FileSystem fs, FileStatus status, List<FileStatus> out)
      throws IOException {
    String name = status.getPath().getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      return;
    }
    if (status.isFile()) {
      out.add(status);
      return;
    }
    try {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        collect(fs, child, out);
      }
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The paths as given. */
  public List<String> inputs() {
    return inputs;
  }

  /** Every data file, sorted. */
  public List<Path> files() {
    return files;
  }

  /** The first data file in sorted order: the one whose footer gives the schema. */
  public Path first() {
    return files.get(0);
  }

  /** Total size of the data files in bytes. */
  public long bytes() {
    return bytes;
  }
}
