package dev.qcal.jobs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Creates the files and directories of an output on a Hadoop file system. On the local file system
 * it does what Hadoop's {@code RawLocalFileSystem} does (the file or directory, its missing
 * parents, each with Hadoop's mode: 0666 or 0777 less {@code fs.permissions.umask-mode}) through
 * {@code java.nio}: without Hadoop's native library, which Spark's distribution does not ship,
 * Hadoop sets each mode by starting a {@code chmod} process, a dozen per run, 10-30 ms each on a
 * loaded two-core machine, some of them on the path of the "write outputs" stage.
 */
public final class OutputFiles {
  private static final int BUFFER = 1 << 16;

  private OutputFiles() {}

  /** Whether {@code fs} is the local file system, which this class writes through java.nio. */
  public static boolean isLocal(FileSystem fs) {
    return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
  }

  /**
   * Creates {@code file}, which must not exist, and its missing parent directories; the stream is
   * buffered.
   *
   * @throws FileAlreadyExistsException (or Hadoop's, off the local file system) if it exists
   */
  public static OutputStream create(FileSystem fs, Path file) throws IOException {
    if (!isLocal(fs)) {
      return fs.create(file, false);
    }
    java.nio.file.Path local = local(fs, file);
    if (local.getParent() != null) {
      mkdirs(fs, file.getParent());
    }
    OutputStream out =
        Files.newOutputStream(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      setMode(local, FsPermission.getFileDefault(), fs);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    return new BufferedOutputStream(out, BUFFER);
  }

  /** Creates directory {@code dir} and its missing parents (nothing if it exists). */
  public static void mkdirs(FileSystem fs, Path dir) throws IOException {
    if (!isLocal(fs)) {
      fs.mkdirs(dir);
      return;
    }
    java.nio.file.Path local = local(fs, dir);
    if (Files.isDirectory(local)) {
      return;
    }
    if (local.getParent() != null) {
      mkdirs(fs, dir.getParent());
    }
    try {
      Files.createDirectory(local);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(local)) {
        throw e; // a file of that name, as Hadoop's mkdirs refuses it
      }
      return; // created meanwhile by another thread of this run: its mode is set there
    }
    setMode(local, FsPermission.getDirDefault(), fs);
  }

  /** Sets Hadoop's mode: {@code mode} less the configured umask. */
  private static void setMode(java.nio.file.Path local, FsPermission mode, FileSystem fs)
      throws IOException {
    FsPermission masked = mode.applyUMask(FsPermission.getUMask(fs.getConf()));
    Files.setPosixFilePermissions(
        local,
        PosixFilePermissions.fromString(
            masked.getUserAction().SYMBOL
                + masked.getGroupAction().SYMBOL
                + masked.getOtherAction().SYMBOL));
  }

  /** The file of {@code p} on {@code fs}, a local file system ({@link #isLocal}). */
  public static java.nio.file.Path local(FileSystem fs, Path p) {
    return (fs instanceof LocalFileSystem local
            ? local.pathToFile(p)
            : ((RawLocalFileSystem) fs).pathToFile(p))
        .toPath();
  }
}
