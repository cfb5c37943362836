package dev.qcal.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.jobs.testing.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 for integration tests: a Master and Workers in their
 * own JVMs, launched from a synthesized {@code SPARK_HOME} whose {@code jars/} links the Spark jars
 * Maven already resolved (what a Spark distribution's {@code jars/} holds). Workers launch
 * executors from that {@code SPARK_HOME} exactly as on a real cluster, and applications are
 * submitted with {@code org.apache.spark.deploy.SparkSubmit}.
 *
 * <p>What a Worker needs to launch executors from a bare {@code SPARK_HOME} (found by trying):
 * {@code SPARK_HOME/jars/} (the launcher's {@code findJarsDir}) and {@code SPARK_SCALA_VERSION},
 * which a distribution's {@code load-spark-env.sh} sets; without it the launcher looks for build
 * directories and every executor fails with "Cannot find any build directories".
 *
 * <p>Every process started is killed by process id, descendants (executors) included ({@link
 * ChildProcess#kill()}), on {@link #close()} and, as a last resort, by a JVM shutdown hook.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final List<String> javaOptions;
  private final List<ChildProcess> launched = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook;
  private final int masterPort;
  private final int webPort;
  private final List<ChildProcess> workers = new ArrayList<>();

  private StandaloneCluster(Path home, List<String> javaOptions) throws IOException {
    this.home = home;
    this.javaOptions = javaOptions;
    this.masterPort = freePort();
    this.webPort = freePort();
    this.shutdownHook = new Thread(this::killAll, "qcal-cluster-it-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Builds {@code dir/spark-home} (jars linked from {@code classpath}, conf from {@code log4j}) and
   * starts a Master and {@code workers} Workers of one core each. Does not wait for them: call
   * {@link #awaitWorkers}.
   */
  static StandaloneCluster start(
      Path dir, List<Path> classpath, Path log4j, List<String> javaOptions, int workers)
      throws IOException {
    Path home = dir.resolve("spark-home");
    deleteRecursively(home);
    Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    Files.createDirectories(home.resolve("logs"));
    for (Path jar : classpath) {
      Path link = home.resolve("jars").resolve(jar.getFileName().toString());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
    Files.copy(log4j, home.resolve("conf/log4j2.properties"));
    StandaloneCluster c = new StandaloneCluster(home, javaOptions);
    try {
      c.launch(
          "master",
          List.of("-Xmx256m"),
          List.of(
              "org.apache.spark.deploy.master.Master",
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(c.masterPort),
              "--webui-port",
              String.valueOf(c.webPort)));
      for (int i = 1; i <= workers; i++) {
        Path work = Files.createDirectories(home.resolve("work-" + i));
        c.workers.add(
            c.launch(
                "worker-" + i,
                List.of("-Xmx256m"),
                List.of(
                    "org.apache.spark.deploy.worker.Worker",
                    c.masterUrl(),
                    "--cores",
                    "1",
                    "--memory",
                    "1g",
                    "--host",
                    "127.0.0.1",
                    "--webui-port",
                    "0",
                    "--work-dir",
                    work.toString())));
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** {@code spark://127.0.0.1:<port>}. */
  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The synthesized SPARK_HOME. */
  Path home() {
    return home;
  }

  /** The Worker processes, in start order. */
  List<ChildProcess> workers() {
    return List.copyOf(workers);
  }

  /** Waits until {@code n} workers are ALIVE in the Master's JSON, failing early if a JVM died. */
  void awaitWorkers(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      for (ChildProcess l : launched) {
        if (!l.process().isAlive()) {
          throw new IllegalStateException(
              l.name() + " exited with " + l.process().exitValue() + "\n" + logs());
        }
      }
      try {
        JsonNode state = masterState();
        last = state.toString();
        if (state.path("aliveworkers").asInt() >= n) {
          return;
        }
      } catch (IOException e) {
        last = e.toString(); // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "Only some of " + n + " workers registered in " + timeout + ": " + last + "\n" + logs());
  }

  /** The Master's state ({@code /json/}). */
  JsonNode masterState() throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + webPort + "/json/").openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(2000);
    try {
      return JSON.readTree(c.getInputStream());
    } finally {
      c.disconnect();
    }
  }

  /**
   * Starts {@code SparkSubmit} in client mode (the driver runs in the new JVM) with {@code conf}
   * ({@code key=value}) and the application {@code jar}, {@code mainClass} and {@code args}.
   */
  ChildProcess submit(String name, List<String> conf, Path jar, String mainClass, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(List.of("--master", masterUrl(), "--deploy-mode", "client", "--class", mainClass));
    cmd.addAll(
        List.of(
            "--conf", "spark.driver.host=127.0.0.1",
            "--conf", "spark.driver.bindAddress=127.0.0.1",
            "--conf", "spark.ui.enabled=false",
            "--conf", "spark.executor.memory=512m",
            "--conf", "spark.executor.cores=1"));
    for (String kv : conf) {
      cmd.add("--conf");
      cmd.add(kv);
    }
    cmd.add(jar.toString());
    cmd.addAll(args);
    return launch(name, List.of("-Xmx768m"), cmd);
  }

  private ChildProcess launch(String name, List<String> jvmOptions, List<String> mainAndArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaOptions);
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(home.resolve("conf") + java.io.File.pathSeparator + home.resolve("jars") + "/*");
    cmd.addAll(mainAndArgs);
    Path log = home.resolve("logs").resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.directory(home.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("PYSPARK_"));
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_CONF_DIR", home.resolve("conf").toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOG_DIR", home.resolve("logs").toString());
    ChildProcess l = ChildProcess.start(name, pb, log);
    launched.add(l);
    return l;
  }

  private void killAll() {
    List<ChildProcess> reversed = new ArrayList<>(launched);
    java.util.Collections.reverse(reversed); // drivers and workers before the master
    for (ChildProcess l : reversed) {
      if (l.running()) {
        l.kill();
      }
    }
  }

  /** Every log: the Master's, the Workers', the drivers' and each executor's stderr. */
  String logs() {
    StringBuilder b = new StringBuilder();
    for (ChildProcess l : launched) {
      b.append("===== ")
          .append(l.name())
          .append(" (pid ")
          .append(l.pid())
          .append(") ")
          .append(l.log())
          .append('\n');
      b.append(tail(l.logText(), 20_000)).append('\n');
    }
    try (Stream<Path> files = Files.walk(home)) {
      for (Path p :
          files
              .filter(
                  f ->
                      f.toString().contains("/work-")
                          && Files.isRegularFile(f)
                          && (f.getFileName().toString().equals("stderr")
                              || f.getFileName().toString().equals("stdout")))
              .sorted()
              .collect(Collectors.toList())) {
        b.append("===== executor ").append(home.relativize(p)).append('\n');
        b.append(tail(Files.readString(p, StandardCharsets.UTF_8), 10_000)).append('\n');
      }
    } catch (IOException | UncheckedIOException e) {
      b.append("(cannot list executor logs: ").append(e).append(")\n");
    }
    return b.toString();
  }

  private static String tail(String s, int max) {
    return s.length() <= max
        ? s
        : "...(" + (s.length() - max) + " chars cut)\n" + s.substring(s.length() - max);
  }

  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs anyway.
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(f);
      }
    }
  }

  /** The class path file written by the build, as paths of jars. */
  static List<Path> readClasspath(Path file) throws IOException {
    return Arrays.stream(Files.readString(file).trim().split(java.io.File.pathSeparator))
        .filter(s -> s.endsWith(".jar"))
        .map(Paths::get)
        .collect(Collectors.toList());
  }
}
