package dev.qcal.jobs.output;

import dev.qcal.jobs.OutputFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of one {@link OutputDirectory#commit}, in write order: written into its pending
 * directory on this thread, or meanwhile on another (the tables while the report renders, the
 * state's Spark job), all awaited before {@code _SUCCESS}.
 */
public final class OutputCommit {
  private final FileSystem fs;
  private final Path temp;
  private final List<String> written = new ArrayList<>();
  private String writing;
  private final List<Pending> pending = new ArrayList<>();
  private ExecutorService files;

  /**
   * Threads writing files meanwhile: two, so that the largest table ({@code calibration.json}, 29
   * MB at 20 000 tensors) is not followed by the next one (the CSV, 11 MB) on one thread, which
   * made the tables the last part of the outputs to finish.
   */
  private static final int FILE_THREADS = 2;

  OutputCommit(FileSystem fs, Path temp) {
    this.fs = fs;
    this.temp = temp;
  }

  /** A file or directory being written on another thread, and where its name goes. */
  private record Pending(String name, int slot, Future<?> task) {}

  /** Writes file {@code name} into the pending directory. */
  public void write(String name, OutputDirectory.FileWriter writer) throws IOException {
    writing = name;
    create(name, writer);
    written.add(name);
  }

  private void create(String name, OutputDirectory.FileWriter writer) throws IOException {
    try (OutputStream out = OutputFiles.create(fs, new Path(temp, name))) {
      writer.write(out);
    }
  }

  /**
   * Writes directory {@code name} into the pending directory through {@code writer}, which is given
   * its path (not yet existing), e.g. for Spark to write Parquet files into.
   */
  public void writeDirectory(String name, OutputDirectory.DirectoryWriter writer)
      throws IOException {
    writing = name + "/";
    writer.write(new Path(temp, name));
    written.add(name + "/");
  }

  /**
   * Writes file {@code name} on one of the commit's {@value #FILE_THREADS} file threads (files
   * given so start in order) while this thread goes on, e.g. the tables while the report renders;
   * it takes its place among the names written now. {@link #awaitMeanwhile} (or the commit, before
   * {@code _SUCCESS}) waits for it; if it failed, the commit fails as a whole, naming it.
   */
  public void writeMeanwhile(String name, OutputDirectory.FileWriter writer) {
    if (files == null) {
      files =
          Executors.newFixedThreadPool(
              FILE_THREADS,
              r -> {
                Thread thread = new Thread(r, "qcal: write files");
                thread.setDaemon(true);
                return thread;
              });
    }
    written.add(name);
    pending.add(
        new Pending(
            name,
            written.size() - 1,
            files.submit(
                () -> {
                  create(name, writer);
                  return null;
                })));
  }

  /**
   * Starts writing directory {@code name} through {@code writer} on a thread of its own, so that
   * the Spark job writing it (the state) runs while this thread writes the other files. {@link
   * #awaitMeanwhile} (or the commit, before {@code _SUCCESS}) waits for it; if it failed, the
   * commit fails as a whole, naming it. It takes its place among the names written when it is
   * awaited.
   */
  public void writeDirectoryMeanwhile(String name, OutputDirectory.DirectoryWriter writer) {
    Path dir = new Path(temp, name);
    FutureTask<Void> task =
        new FutureTask<>(
            () -> {
              writer.write(dir);
              return null;
            });
    pending.add(new Pending(name + "/", -1, task));
    Thread thread = new Thread(task, "qcal: write " + name + "/");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits for the files and the directory started by {@link #writeMeanwhile} and {@link
   * #writeDirectoryMeanwhile}, in the order they were started; they are then among the names
   * written.
   */
  public void awaitMeanwhile() throws IOException {
    while (!pending.isEmpty()) {
      Pending p = pending.remove(0);
      try {
        p.task().get();
      } catch (ExecutionException e) {
        writing = p.name();
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        // Spark's checked SparkException, which the writer throws through Scala code.
        throw new IllegalStateException(cause.getMessage(), cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.task().cancel(true);
        throw new InterruptedIOException("Interrupted while writing " + p.name());
      }
      if (p.slot() < 0) {
        written.add(p.name());
      }
    }
    if (files != null) {
      files.shutdown();
      files = null;
    }
  }

  /** Lets what is still being written finish, whatever its outcome (the commit failed). */
  void abandonMeanwhile() {
    for (Pending p : pending) {
      try {
        p.task().get();
      } catch (ExecutionException | RuntimeException ignored) {
        // The commit's own failure is the one to report.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pending.clear();
    if (files != null) {
      files.shutdown();
      files = null;
    }
  }

  /** The file being written when a write failed, or null. */
  String writing() {
    return writing;
  }

  /** Marks the commit's files done: a later failure is the move's, not a file's. */
  void done() {
    writing = null;
  }

  /** The names written so far. */
  public List<String> written() {
    return List.copyOf(written);
  }
}
