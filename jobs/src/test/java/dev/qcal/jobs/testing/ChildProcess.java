package dev.qcal.jobs.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started (a driver, a Master, a Worker), its log file (stdout and stderr
 * together) and its name: waiting for a log line or the exit, and killing it with SIGKILL by
 * process id, descendants included (a Worker's executors), as a crashed machine or {@code kill -9}
 * would. Used by the cluster IT and by {@code KilledRunTest}.
 */
public record ChildProcess(String name, Process process, Path log) {

  /** Starts {@code builder} (its output redirected to {@code log}) as {@code name}. */
  public static ChildProcess start(String name, ProcessBuilder builder, Path log)
      throws IOException {
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new ChildProcess(name, builder.start(), log);
  }

  /**
   * The command of a JVM running {@code mainClass} on this test JVM's class path with its module
   * options ({@code --add-opens ...}, which Spark needs on Java 17), then {@code jvmOptions}.
   */
  public static List<String> javaCommand(
      List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")
          || a.startsWith("--add-exports")
          || a.startsWith("--add-modules")
          || a.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
        cmd.add(a);
      }
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /**
   * A qcal driver ({@code Main} with {@code args}) in its own JVM, in {@code dir}, logging to
   * {@code dir/name.log}: 768 MB of heap unless {@code jvmOptions} say otherwise, qcal's stage
   * lines at INFO (the cluster IT's log configuration), Spark on the loopback interface, no UI.
   */
  public static ChildProcess qcal(String name, Path dir, List<String> args, List<String> jvmOptions)
      throws IOException {
    List<String> options = new ArrayList<>();
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
      options.add("-Xmx768m");
    }
    options.addAll(jvmOptions);
    try {
      options.add(
          "-Dlog4j2.configurationFile="
              + Paths.get(ChildProcess.class.getResource("/cluster-it/log4j2.properties").toURI()));
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    options.addAll(
        List.of(
            "-Dspark.ui.enabled=false",
            "-Dspark.driver.host=127.0.0.1",
            "-Dspark.driver.bindAddress=127.0.0.1"));
    ProcessBuilder pb = new ProcessBuilder(javaCommand(options, "dev.qcal.jobs.Main", args));
    pb.directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SPARK_"));
    return start(name, pb, dir.resolve(name + ".log"));
  }

  /** This JVM's {@code java} launcher. */
  public static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** The log so far. */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** Waits until the log contains {@code line}; fails if the process exits first or on timeout. */
  public void awaitLine(String line, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (logText().contains(line)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            name + " exited (" + process.exitValue() + ") before '" + line + "'\n" + logText());
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        name + " never logged '" + line + "' in " + timeout + "\n" + logText());
  }

  /** Waits for the exit and returns its code; on timeout kills the process and fails. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      kill();
      throw new AssertionError(name + " did not finish in " + timeout + "\n" + logText());
    }
    return process.exitValue();
  }

  /**
   * Kills the process and its descendants with SIGKILL ({@code destroyForcibly} on Unix), by
   * process id, and waits until they are gone.
   */
  public void kill() {
    ProcessHandle p = process.toHandle();
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    all.add(0, p);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Reported by the caller's log; a shutdown hook may try again.
      }
    }
  }

  /** Whether the process or any descendant still runs. */
  public boolean running() {
    return process.isAlive() || process.toHandle().descendants().findAny().isPresent();
  }
}
