package dev.qcal.jobs.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.OutputFiles;
import dev.qcal.jobs.Version;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps two runs of one run id from interleaving (one's run directory with the other's {@code
 * _LATEST} decision): {@code OUTPUT/.run_id=ID.qcal-lock}, created if absent in one atomic step
 * before the run reads its baseline, held until {@code _LATEST} has moved or the run failed, then
 * deleted. A second run of the id meanwhile fails at once (exit 2) naming the holder.
 *
 * <p>Create-if-absent is atomic on local file systems ({@code O_EXCL}) and on HDFS (the NameNode
 * refuses to create an existing file); on object stores it is a check then a write, so two runs
 * starting within that window can both proceed: schedule one run of an id at a time there.
 *
 * <p>A lock whose holder was killed ({@code kill -9}, a lost machine) does not block for ever: on
 * the same host it is stale as soon as the holder's process is gone; from another host once it has
 * not been refreshed for {@value #STALE_SECONDS} s (the holder touches it every {@value
 * #HEARTBEAT_SECONDS} s; this assumes clocks within a minute). A stale lock is taken over.
 */
final class RunLock implements AutoCloseable {
  static final long HEARTBEAT_SECONDS = 20;
  static final long STALE_SECONDS = 120;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path file;
  private final Path root;
  private final boolean createdRoot;
  private final byte[] content;
  private final ScheduledExecutorService heartbeat;

  private RunLock(FileSystem fs, Path file, Path root, boolean createdRoot, byte[] content) {
    this.fs = fs;
    this.file = file;
    this.root = root;
    this.createdRoot = createdRoot;
    this.content = content;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "qcal run lock heartbeat");
              t.setDaemon(true);
              return t;
            });
    // touch() catches its own failures, so the schedule never ends early; close() stops it.
    ScheduledFuture<?> unused =
        heartbeat.scheduleWithFixedDelay(
            this::touch, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
  }

  /** The lock file of run {@code runId} under {@code root}. */
  static Path file(Path root, String runId) {
    return new Path(root, ".run_id=" + runId + ".qcal-lock");
  }

  /**
   * Takes the lock of run {@code runId} under {@code root} (created if absent), taking over a stale
   * one.
   *
   * @throws JobException (usage) naming the holder if a live run holds it
   */
  static RunLock acquire(FileSystem fs, Path root, String runId) throws IOException {
    Path file = file(root, runId);
    boolean createdRoot = !fs.exists(root);
    fs.mkdirs(root);
    byte[] mine = holder(runId);
    for (int attempt = 0; attempt < 5; attempt++) {
      if (createIfAbsent(fs, file, mine)) {
        return new RunLock(fs, file, root, createdRoot, mine);
      }
      byte[] theirs = read(fs, file);
      if (theirs == null) {
        continue; // released meanwhile: try again
      }
      Optional<String> live = live(fs, file, theirs);
      if (live.isPresent() || attempt > 0) {
        throw JobException.usage(
            "Cannot write run "
                + runId
                + " under "
                + root
                + ": another qcal run of this run id is running ("
                + live.orElse("it took over a stale lock just now")
                + "; lock "
                + file
                + "). Two runs of one id must not interleave: wait for it to finish, or if it is"
                + " not running any more, delete "
                + file);
      }
      // Stale (its holder is gone): delete it unless it changed meanwhile, then create ours.
      if (Arrays.equals(theirs, read(fs, file))) {
        fs.delete(file, false);
      }
    }
    throw JobException.usage(
        "Cannot take the lock "
            + file
            + ": it keeps changing; is another run of "
            + runId
            + " starting?");
  }

  /** Releases the lock (if still ours) and stops refreshing it. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      if (Arrays.equals(content, read(fs, file))) {
        fs.delete(file, false);
      }
      if (createdRoot && fs.listStatus(root).length == 0) {
        fs.delete(root, false); // a first run that failed leaves no empty OUTPUT behind
      }
    } catch (IOException | RuntimeException e) {
      // A lock left behind is stale once this process is gone.
    }
  }

  private void touch() {
    try {
      fs.setTimes(file, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      // Not every file system keeps times (object stores): the holder's process still counts.
    }
  }

  private static boolean createIfAbsent(FileSystem fs, Path file, byte[] content)
      throws IOException {
    if (OutputFiles.isLocal(fs)) {
      java.nio.file.Path local = OutputFiles.local(fs, file);
      try (OutputStream out =
          Files.newOutputStream(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(content);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(content);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** The lock's bytes, or null if it does not exist. */
  private static byte[] read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toByteArray();
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /** What this process writes into its lock. */
  private static byte[] holder(String runId) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    ObjectNode n = JSON.createObjectNode();
    n.put("run_id", runId);
    n.put("host", host());
    n.put("pid", self.pid());
    n.put("process_start", self.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    n.put("acquired", Instant.now().toString());
    n.put("qcal_version", Version.qcal());
    return (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Who holds the lock if that run is alive, else empty (stale): on this host, whether its process
   * is alive (the same pid started at the same time); elsewhere, whether it was refreshed lately.
   */
  private static Optional<String> live(FileSystem fs, Path file, byte[] content)
      throws IOException {
    JsonNode h;
    try {
      h = JSON.readTree(content);
    } catch (IOException e) {
      h = null; // being written: treat it by its age
    }
    FileStatus status;
    try {
      status = fs.getFileStatus(file);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    long pid = h == null ? -1 : h.path("pid").asLong(-1);
    String host = h == null ? "" : h.path("host").asText("");
    String who =
        h == null
            ? "a run that is creating the lock"
            : String.format(
                Locale.ROOT, "pid %d on %s, since %s", pid, host, h.path("acquired").asText("?"));
    if (h != null && host.equals(host()) && pid > 0) {
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      long start = h.path("process_start").asLong(0);
      boolean alive =
          p.isPresent()
              && p.get().isAlive()
              && (start == 0
                  || p.get()
                      .info()
                      .startInstant()
                      .map(i -> Math.abs(i.toEpochMilli() - start) < 2000)
                      .orElse(true));
      return alive ? Optional.of(who) : Optional.empty();
    }
    long age = System.currentTimeMillis() - status.getModificationTime();
    return age > TimeUnit.SECONDS.toMillis(STALE_SECONDS) ? Optional.empty() : Optional.of(who);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
