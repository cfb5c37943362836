package dev.qcal.jobs.output;

import dev.qcal.jobs.JobException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * {@code OUTPUT/_LATEST}: the run id of the last accepted run, one line, under a root of run
 * directories {@code OUTPUT/run_id=ID/}. A file rather than a symbolic link, since S3 and most
 * object stores have none; its name starts with {@code _} so Spark and Hadoop readers of {@code
 * OUTPUT} (a Hive-style partitioned layout) skip it. It is written to a hidden temporary file and
 * renamed over the old one only after the run's {@code _SUCCESS} exists, so a reader sees the old
 * id or the new one, never a partial file (on HDFS and local disks; on object stores the rename is
 * a copy, still of a complete file).
 */
public final class LatestRun {
  /** The pointer's file name. */
  public static final String FILE = "_LATEST";

  private static final String PENDING = "." + FILE + ".qcal-pending-";

  private LatestRun() {}

  /** The directory of run {@code runId} under {@code root}. */
  public static Path runDirectory(Path root, String runId) {
    return new Path(root, "run_id=" + runId);
  }

  /**
   * The run id {@code root/_LATEST} holds, or empty if there is none yet.
   *
   * @throws JobException (input) if the file holds something other than a run id
   */
  public static Optional<String> read(FileSystem fs, Path root) throws IOException {
    Path file = new Path(root, FILE);
    if (!fs.exists(file)) {
      return Optional.empty();
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (FSDataInputStream in = fs.open(file)) {
      copy(in, buf, 1024);
    }
    String id = buf.toString(StandardCharsets.UTF_8).trim();
    if (!Schedule.RUN_ID.matcher(id).matches()) {
      throw JobException.input(
          "Cannot read "
              + file
              + ": it holds '"
              + (id.length() > 40 ? id.substring(0, 37) + "..." : id)
              + "', not a run id; write the id of an accepted run into it (echo 2026-11-22 > "
              + FILE
              + ")");
    }
    return Optional.of(id);
  }

  /**
   * Points {@code root/_LATEST} at {@code runId}, whose directory must hold {@code _SUCCESS}, and
   * deletes the temporary files of earlier runs killed while moving it (made before {@code
   * sinceMillis}).
   */
  public static void publish(FileSystem fs, Path root, String runId, long sinceMillis)
      throws IOException {
    Path success = new Path(runDirectory(root, runId), OutputDirectory.SUCCESS);
    if (!fs.exists(success)) {
      throw new IOException(
          "Cannot move " + FILE + " to run " + runId + ": " + success + " does not exist");
    }
    Path temp = new Path(root, PENDING + UUID.randomUUID());
    Path latest = new Path(root, FILE);
    try (OutputStream out = fs.create(temp, false)) {
      out.write((runId + "\n").getBytes(StandardCharsets.UTF_8));
    }
    // Hadoop's FileSystem.rename replaces an existing file only on some file systems (local: yes,
    // POSIX rename; HDFS: no, it returns false). FileContext's OVERWRITE is the atomic replace of
    // HDFS; elsewhere (object stores) it deletes then renames.
    if (!fs.rename(temp, latest)) {
      FileContext.getFileContext(fs.getUri(), fs.getConf())
          .rename(temp, latest, Options.Rename.OVERWRITE);
    }
    deleteStale(fs, root, sinceMillis);
  }

  private static void deleteStale(FileSystem fs, Path root, long sinceMillis) {
    try {
      for (FileStatus s : fs.listStatus(root)) {
        if (s.getPath().getName().startsWith(PENDING) && s.getModificationTime() < sinceMillis) {
          fs.delete(s.getPath(), false);
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // Best effort: the pointer itself is in place.
    }
  }

  private static void copy(InputStream in, OutputStream out, int limit) throws IOException {
    byte[] b = new byte[limit];
    int n;
    int total = 0;
    while (total < limit && (n = in.read(b, 0, limit - total)) > 0) {
      out.write(b, 0, n);
      total += n;
    }
  }
}
