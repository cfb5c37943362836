package dev.qcal.jobs.cli;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataTypes;

/**
 * Spark's and Hadoop's one-time initialisation, begun on a thread of its own as a {@code calibrate}
 * or {@code recompute} command line is parsed: the Scala objects of Spark's configuration, log4j,
 * Hadoop's {@code Configuration} with its default XML resources, {@code UserGroupInformation}, the
 * file systems on the class path, then Spark SQL's {@code SQLConf} and string collations (ICU). On
 * the main thread they took ≈ 0.4 s before the first check of the output and ≈ 0.15 s inside the
 * check of the inputs (class-load timeline, {@code -Xlog:class+load:uptime}, of a 1e8 calibrate at
 * load 6), none of it depending on the command's settings. Nothing here starts Spark or creates a
 * file system: the checks still run, and fail, before Spark starts, with the configuration the
 * settings give.
 *
 * <p>The main thread waits for each part before it touches the classes that part initialises
 * ({@link #awaitHadoop}, {@link #awaitSql}): two threads initialising classes whose static
 * initialisers refer to each other can deadlock, one waiting on the other's. While the second part
 * runs, the main thread checks the output through Hadoop's file system, whose classes refer to no
 * Spark class. What fails here is left for the main thread to meet and report itself.
 */
final class SparkWarmUp {
  /** The commands whose main thread awaits the parts below before touching Spark or Hadoop. */
  private static final Set<String> COMMANDS =
      Set.of(SettingRegistry.CALIBRATE, SettingRegistry.RECOMPUTE);

  private static final CountDownLatch HADOOP = new CountDownLatch(1);
  private static final CountDownLatch SQL = new CountDownLatch(1);
  private static boolean started;

  private SparkWarmUp() {}

  /** Begins the initialisation if {@code args} run a command that awaits it, once per JVM. */
  static synchronized void begin(String[] args) {
    if (started || args.length == 0 || !COMMANDS.contains(args[0])) {
      return;
    }
    started = true;
    Thread thread = new Thread(SparkWarmUp::run, "qcal: warm up Spark");
    thread.setDaemon(true);
    thread.start();
  }

  private static synchronized boolean started() {
    return started;
  }

  private static void run() {
    try {
      // What Sessions.hadoopConfiguration does first: SparkSession's companion (and log4j through
      // Spark's logging), SparkConf and its config entries, SparkHadoopUtil's own Configuration
      // (parsing core-default.xml and the site files) and UserGroupInformation.
      SparkSession.getDefaultSession();
      SparkHadoopUtil.get();
      // The file systems Hadoop finds on the class path (a service lookup, once per JVM); no file
      // system is created, since Hadoop caches one with the first configuration it is given.
      FileSystem.getFileSystemClass("file", SparkHadoopUtil.get().conf());
    } catch (IOException | RuntimeException | LinkageError e) {
      // The main thread meets it again and reports it.
    } finally {
      HADOOP.countDown();
    }
    try {
      // What DumpSchema's schema conversion and the session's SQL configuration need first: the
      // SQL configuration, and a string type's collation (Spark's collation table, with ICU's).
      SQLConf.get();
      DataTypes.StringType.typeName();
    } catch (RuntimeException | LinkageError e) {
      // As above.
    } finally {
      SQL.countDown();
    }
  }

  /** Returns when Spark's configuration and Hadoop's are initialised (or none was begun). */
  static void awaitHadoop() {
    await(HADOOP);
  }

  /** Returns when every part is initialised (or none was begun). */
  static void awaitSql() {
    await(HADOOP);
    await(SQL);
  }

  private static void await(CountDownLatch latch) {
    if (!started()) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
