package dev.qcal.jobs.dump;

import dev.qcal.jobs.JobException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The data files of a dump, listed on the driver through the Hadoop FileSystem API (so any {@code
 * file:}, {@code hdfs:}, {@code s3a:} ... path, directory or glob works). Like Spark, it skips
 * names starting with {@code _} or {@code .} (markers, checksums, metadata). Each file's length and
 * modification time are recorded as listed ({@link InputFile}): {@link #checkUnchanged}, after the
 * scan, fails a run that read a file still being written or replaced.
 */
public final class DumpFiles {
  private final List<String> inputs;
  private final List<Path> files;
  private final List<InputFile> identities;
  private final long bytes;

  private DumpFiles(List<String> inputs, List<Path> files, List<InputFile> identities, long bytes) {
    this.inputs = inputs;
    this.files = files;
    this.identities = identities;
    this.bytes = bytes;
  }

  /**
   * Lists the files under {@code inputs}.
   *
   * @throws JobException (input) naming the path if one does not exist or holds no data file;
   *     (usage) if two inputs list the same file, which would be read twice
   */
  public static DumpFiles list(List<String> inputs, Configuration conf) {
    if (inputs.isEmpty()) {
      throw JobException.usage("No input given: pass --input PATH[,PATH...] (or spark.qcal.input)");
    }
    Map<Path, FileStatus> byPath = listing(inputs, conf);
    List<Path> files = new ArrayList<>();
    List<InputFile> identities = new ArrayList<>();
    long bytes = 0;
    for (FileStatus f : byPath.values()) {
      files.add(f.getPath());
      identities.add(identity(f));
      bytes += f.getLen();
    }
    return new DumpFiles(List.copyOf(inputs), List.copyOf(files), List.copyOf(identities), bytes);
  }

  /** Every data file under {@code inputs} by qualified path, sorted. */
  private static Map<Path, FileStatus> listing(List<String> inputs, Configuration conf) {
    Map<Path, FileStatus> byPath = new TreeMap<>();
    Map<Path, String> inputOf = new LinkedHashMap<>();
    for (String input : inputs) {
      List<FileStatus> found = new ArrayList<>();
      try {
        Path path = new Path(input);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw JobException.input(
              "Input path '"
                  + input
                  + "' does not exist: check the path (a file, directory or glob)");
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
        Path path = f.getPath();
        String earlier = inputOf.putIfAbsent(path, input);
        if (earlier != null) {
          throw JobException.usage(
              "The inputs '"
                  + earlier
                  + "' and '"
                  + input
                  + "' both hold "
                  + path
                  + ", which would be read twice:"
                  + " give each file once");
        }
        byPath.put(path, f);
      }
    }
    return byPath;
  }

  private static InputFile identity(FileStatus f) {
    return new InputFile(f.getPath().toString(), f.getLen(), f.getModificationTime());
  }

  /**
   * Lists the inputs again and fails if a file changed since {@link #list}: another length or
   * modification time (still being written, or replaced), deleted, or a new file under an input.
   * Called once the scan has read every file, so what was read is what was listed.
   *
   * @throws JobException (input) naming the file and what changed
   */
  public void checkUnchanged(Configuration conf) {
    Map<Path, FileStatus> now;
    try {
      now = listing(inputs, conf);
    } catch (JobException e) {
      throw JobException.input("An input changed while this run read it: " + e.getMessage(), e);
    }
    for (int i = 0; i < files.size(); i++) {
      InputFile was = identities.get(i);
      FileStatus is = now.remove(files.get(i));
      if (is == null) {
        throw changed(was.path() + " was deleted while this run read it");
      }
      if (is.getLen() != was.length() || is.getModificationTime() != was.modified()) {
        throw changed(
            was.path()
                + " changed while this run read it ("
                + was.length()
                + " -> "
                + is.getLen()
                + " bytes, modified "
                + Instant.ofEpochMilli(was.modified())
                + " -> "
                + Instant.ofEpochMilli(is.getModificationTime())
                + "): it was still being written, or was replaced");
      }
    }
    if (!now.isEmpty()) {
      throw changed(
          now.keySet().iterator().next() + " appeared under the input while this run read it");
    }
  }

  private static JobException changed(String what) {
    return JobException.input(
        "Input file "
            + what
            + "; the tables would not match any complete dump, so nothing was written. Rerun once"
            + " the dump is complete (writers that write to a temporary name and rename it when"
            + " done never show a partial file)");
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

  /** Every data file as listed (path, length, modification time), sorted by path. */
  public List<InputFile> identities() {
    return identities;
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
