package dev.qcal.jobs.output;

import dev.qcal.jobs.JobException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory written all at once: files go to a hidden temporary directory beside the
 * target (same file system, so the final step is a rename), {@code _SUCCESS} is written last, and
 * only then is the directory moved into place. A failed run leaves no half-written table, only
 * nothing (the temporary directory is deleted). Any Hadoop file system path works; on object
 * stores without atomic rename the move is a copy, but {@code _SUCCESS} still marks completion.
 */
public final class OutputDirectory {
  /** The marker written last. */
  public static final String SUCCESS = "_SUCCESS";

  private final Path target;
  private final FileSystem fs;
  private final boolean overwrite;
  private final long openedMillis = System.currentTimeMillis();

  private OutputDirectory(Path target, FileSystem fs, boolean overwrite) {
    this.target = target;
    this.fs = fs;
    this.overwrite = overwrite;
  }

  /**
   * The output directory {@code path}, checked now so a run does not compute a table it cannot
   * write.
   *
   * @throws JobException (usage) if it exists and {@code overwrite} is not set
   */
  public static OutputDirectory open(String path, OutputMode mode, Configuration conf) {
    if (path == null || path.isBlank()) {
      throw JobException.usage("No output given: pass --output DIR (or spark.qcal.output)");
    }
    try {
      Path target = new Path(path);
      FileSystem fs = target.getFileSystem(conf);
      // No .crc side files on the local file system: the outputs are read by other tools.
      fs.setWriteChecksum(false);
      OutputDirectory dir = new OutputDirectory(fs.makeQualified(target), fs, mode == OutputMode.OVERWRITE);
      dir.checkTarget();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the output directory " + path, e);
    }
  }

  private void checkTarget() throws IOException {
    if (fs.exists(target) && !overwrite) {
      throw JobException.usage(
          "Output directory " + target + " already exists: give --overwrite to replace it, or another --output");
    }
  }

  /** The qualified target path. */
  public Path path() {
    return target;
  }

  /** Writes one file of the output. */
  @FunctionalInterface
  public interface FileWriter {
    /** Writes the file's bytes to {@code out} (not closed by the writer). */
    void write(OutputStream out) throws IOException;
  }

  /** The files of one commit, in write order. */
  public final class Commit {
    private final Path temp;
    private final List<String> written = new ArrayList<>();

    private Commit(Path temp) {
      this.temp = temp;
    }

    /** Writes file {@code name} into the pending directory. */
    public void write(String name, FileWriter writer) throws IOException {
      try (OutputStream out = fs.create(new Path(temp, name), false)) {
        writer.write(out);
      }
      written.add(name);
    }

    /**
     * Writes directory {@code name} into the pending directory through {@code writer}, which is
     * given its path (not yet existing), e.g. for Spark to write Parquet files into.
     */
    public void writeDirectory(String name, DirectoryWriter writer) throws IOException {
      writer.write(new Path(temp, name));
      written.add(name + "/");
    }

    /** The names written so far. */
    public List<String> written() {
      return List.copyOf(written);
    }
  }

  /** Writes one directory of the output. */
  @FunctionalInterface
  public interface DirectoryWriter {
    /** Writes the directory {@code dir} (which does not exist yet). */
    void write(Path dir) throws IOException;
  }

  /** What a commit writes. */
  @FunctionalInterface
  public interface Contents {
    /** Writes every file through {@code commit}. */
    void writeTo(Commit commit) throws IOException;
  }

  /**
   * Writes {@code contents} and {@link #SUCCESS} into a temporary directory and moves it to the
   * target, replacing an existing one when overwriting. Returns the names written.
   */
  public List<String> commit(Contents contents) {
    Path parent = target.getParent();
    String id = UUID.randomUUID().toString();
    Path temp = new Path(parent, "." + target.getName() + ".qcal-pending-" + id);
    boolean moved = false;
    try {
      checkTarget();
      fs.mkdirs(temp);
      Commit commit = new Commit(temp);
      contents.writeTo(commit);
      commit.write(SUCCESS, out -> {});
      Path old = null;
      if (fs.exists(target)) {
        old = new Path(parent, "." + target.getName() + ".qcal-replaced-" + id);
        rename(target, old);
      }
      rename(temp, target);
      moved = true;
      if (old != null) {
        fs.delete(old, true);
      }
      deleteStale();
      return commit.written();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the output directory " + target + ": " + e.getMessage(), e);
    } finally {
      if (!moved) {
        deleteQuietly(temp);
      }
    }
  }

  /**
   * Deletes what killed earlier runs of this output left beside it: their hidden pending (and, if
   * killed between the two renames, replaced) directories, created before this run opened the
   * output. A run killed mid-pass leaves none (nothing is written before the commit); one killed
   * during the commit leaves one, which is hidden from Spark and Hadoop readers meanwhile.
   */
  private void deleteStale() {
    String prefix = "." + target.getName() + ".qcal-";
    try {
      for (FileStatus s : fs.listStatus(target.getParent())) {
        String name = s.getPath().getName();
        if (s.isDirectory()
            && (name.startsWith(prefix + "pending-") || name.startsWith(prefix + "replaced-"))
            && s.getModificationTime() < openedMillis) {
          deleteQuietly(s.getPath());
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // Best effort: the output itself is complete and in place.
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename of " + from + " to " + to + " failed");
    }
  }

  private void deleteQuietly(Path p) {
    try {
      fs.delete(p, true);
    } catch (IOException | RuntimeException ignored) {
      // The run already failed; its own error is the one to report.
    }
  }
}
