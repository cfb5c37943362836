package dev.qcal.jobs.output;

import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.Interruption;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.OutputFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * An output directory written all at once: files go to a hidden temporary directory beside the
 * target (same file system, so the final step is a rename), {@code _SUCCESS} is written last, and
 * only then is the directory moved into place. A failed run leaves no half-written table, only
 * nothing (the temporary directory is deleted).
 *
 * <p>{@link #open} checks, before any work, that the target can be written and that it does not
 * exist, or, with {@code --overwrite}, that it is a qcal output directory ({@link TargetChecks}): a
 * regular file or a directory of other files is never replaced.
 *
 * <p>The final move never replaces an output that appeared while the run computed (another run's):
 * without {@code --overwrite} it is one atomic create-if-absent step on local file systems ({@code
 * rename(2)}, which fails on a non-empty directory) and on HDFS ({@code rename} with {@code
 * Options.Rename.NONE}, which the NameNode refuses if the target exists); on object stores, whose
 * rename is a copy, it is a check right before the copy, so two runs finishing within that window
 * can still both write (give each run its own output there, or {@code --run-id}).
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
   * @throws JobException (usage) if it exists and {@code overwrite} is not set, if it exists and is
   *     not a qcal output directory, or if it cannot be written (a parent is a file, a read-only or
   *     forbidden directory)
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
      OutputDirectory dir =
          new OutputDirectory(fs.makeQualified(target), fs, mode == OutputMode.OVERWRITE);
      dir.checkTarget();
      TargetChecks.checkWritable(fs, dir.target, "the output directory " + dir.target);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the output directory " + path, e);
    }
  }

  private void checkTarget() throws IOException {
    TargetChecks.checkTarget(fs, target, overwrite);
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
    void writeTo(OutputCommit commit) throws IOException;
  }

  /**
   * Writes {@code contents} and {@link #SUCCESS} into a temporary directory and moves it to the
   * target, replacing an existing one when overwriting (never one that appeared during the run
   * otherwise). Returns the names written.
   *
   * @throws JobException exit 2 if the target appeared meanwhile; exit 1 naming the output and the
   *     file if it could not be written (a full disk: nothing of the run is left); the signal's
   *     code if the process is being stopped ({@link Interruption})
   */
  public List<String> commit(Contents contents) {
    Path parent = target.getParent();
    String id = UUID.randomUUID().toString();
    Path temp = new Path(parent, "." + target.getName() + ".qcal-pending-" + id);
    boolean moved = false;
    OutputCommit commit = new OutputCommit(fs, temp);
    try {
      checkTarget();
      OutputFiles.mkdirs(fs, temp);
      contents.writeTo(commit);
      commit.awaitMeanwhile();
      commit.write(SUCCESS, out -> {});
      commit.done();
      Interruption.check("the commit of " + target);
      Path old = null;
      if (overwrite && fs.exists(target)) {
        old = new Path(parent, "." + target.getName() + ".qcal-replaced-" + id);
        if (!fs.rename(target, old)) {
          old = null; // gone meanwhile (another run replaced it): the move below says so
        }
      }
      moveIntoPlace(temp);
      moved = true;
      if (old != null) {
        fs.delete(old, true);
      }
      deleteStale();
      return commit.written();
    } catch (IOException | FSError e) {
      throw cannotWrite(commit, e);
    } catch (Exception e) { // Spark's checked SparkException too (state/ is written by a Spark job)
      if (!(e instanceof JobException) && ioCause(e) != null) {
        throw cannotWrite(commit, e);
      }
      throw e;
    } finally {
      if (!moved) {
        commit.abandonMeanwhile(); // before the delete, which it would otherwise race
        deleteQuietly(temp);
      }
    }
  }

  /**
   * Moves the complete pending directory to the target only if no target exists (see the class
   * comment for what is atomic where).
   */
  private void moveIntoPlace(Path temp) throws IOException {
    if (OutputFiles.isLocal(fs)) {
      java.nio.file.Path from = localFile(temp);
      java.nio.file.Path to = localFile(target);
      try {
        // rename(2): replaces at most an empty directory, never a written output or a file.
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (IOException e) {
        if (!Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          throw e;
        }
      }
    } else {
      try {
        FileContext.getFileContext(fs.getUri(), fs.getConf())
            .rename(temp, target, Options.Rename.NONE);
        return;
      } catch (FileAlreadyExistsException e) {
        // Another run's output is there: refused below.
      } catch (UnsupportedFileSystemException e) {
        // No FileContext for this scheme: check, then rename (not atomic).
        if (!fs.exists(target)) {
          rename(temp, target);
          return;
        }
      }
    }
    throw JobException.usage(
        "Output directory "
            + target
            + " appeared while this run was computing (another run wrote it): this run"
            + " wrote nothing and left it as it is; give another --output"
            + (overwrite ? "" : ", or --overwrite to replace it"));
  }

  private java.nio.file.Path localFile(Path p) {
    return OutputFiles.local(fs, p);
  }

  private JobException cannotWrite(OutputCommit commit, Throwable e) {
    Throwable cause = ioCause(e);
    return new JobException(
        ExitCode.FAILURE,
        "Cannot write the output directory "
            + target
            + (commit.writing() != null ? " (writing " + commit.writing() + ")" : "")
            + ": "
            + TargetChecks.rootMessage(cause != null ? cause : e)
            + "; nothing of this run was written (the output is as it was): free space or give"
            + " another --output",
        e);
  }

  /**
   * The I/O failure among the causes: Hadoop's {@link FSError} or an {@link IOException}, or, from
   * a Spark job that may bring back only the text, a message naming a full or read-only disk.
   */
  private static Throwable ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof IOException
          || t instanceof FSError
          || m.contains("No space left on device")
          || m.contains("Disk quota exceeded")
          || m.contains("Read-only file system")) {
        return t;
      }
    }
    return null;
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
