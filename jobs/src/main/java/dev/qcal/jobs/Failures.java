package dev.qcal.jobs;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a failed command prints and the code it exits with: a {@link JobException}'s message and
 * code; a signal's interruption ({@link Interruption}); running out of memory, with which memory
 * and which flag raises it; else an unexpected failure with its stack trace (exit 1).
 */
public final class Failures {
  private Failures() {}

  /** Prints what {@code e} means to {@code err} and returns the exit code. */
  public static int report(Throwable e, PrintWriter err) {
    if (Interruption.received().isPresent()) {
      ExitCode code = Interruption.received().get();
      err.printf(
          Locale.ROOT,
          "qcal: error: interrupted by %s (exit %d): the run stopped before its commit, so nothing"
              + " was written (the output is as it was before the run); run the same command"
              + " again%n",
          Interruption.signal().orElse("a signal"),
          code.code());
      return code.code();
    }
    if (e instanceof JobException j) {
      err.println("qcal: error: " + j.getMessage());
      return j.exitCode().code();
    }
    String oom = outOfMemory(e);
    if (oom != null) {
      err.println(
          "qcal: error: out of memory (exit " + ExitCode.OUT_OF_MEMORY.code() + "): " + oom);
      return ExitCode.OUT_OF_MEMORY.code();
    }
    err.println("qcal: unexpected failure (exit 1): " + e);
    e.printStackTrace(err);
    return ExitCode.FAILURE.code();
  }

  /**
   * Whether {@code e} or a cause is an {@link OutOfMemoryError} (or a Spark job failure naming
   * one): such a failure is reported as out of memory, never as an input or state error, even when
   * Spark's reader wrapped it in a message about the file it was reading.
   */
  public static boolean isOutOfMemory(Throwable e) {
    return outOfMemory(e) != null;
  }

  /**
   * What ran out of memory and what to raise, if {@code e} or a cause is an {@link
   * OutOfMemoryError} (a task's comes back as a Spark job failure, its cause or only its text).
   */
  static String outOfMemory(Throwable e) {
    String kind = null;
    boolean inTask = false;
    for (Throwable t = e; t != null && kind == null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof OutOfMemoryError) {
        kind = message;
        inTask = t != e;
      } else if (message.contains("java.lang.OutOfMemoryError")) {
        int at = message.indexOf("java.lang.OutOfMemoryError");
        String rest = message.substring(at + "java.lang.OutOfMemoryError".length());
        // Spark's reader can rethrow it as scala.MatchError("<error> (of class <type>)").
        kind =
            rest.startsWith(": ")
                ? firstLine(rest.substring(2)).replaceFirst("\\s*\\(of class [^)]*\\)$", "")
                : "";
        inTask = true;
      }
    }
    if (kind == null) {
      return null;
    }
    String memory;
    if (kind.contains("Direct buffer memory")) {
      memory =
          "direct buffer memory (off the heap): raise -XX:MaxDirectMemorySize of the JVM that ran"
              + " out (QCAL_JAVA_OPTS for bin/qcal, spark.driver.extraJavaOptions or"
              + " spark.executor.extraJavaOptions), and on a cluster spark.executor.memoryOverhead";
    } else if (kind.contains("Metaspace")) {
      memory =
          "metaspace (class metadata): raise -XX:MaxMetaspaceSize (QCAL_JAVA_OPTS for bin/qcal)";
    } else if (kind.contains("native thread")) {
      memory =
          "native threads: the operating system's limit on threads or processes (ulimit -u) was"
              + " reached";
    } else if (inTask) {
      memory =
          String.format(
              Locale.ROOT,
              "the Java heap of a Spark task. In local mode (bin/qcal's default) tasks run in the"
                  + " driver JVM, whose heap is %d MB: raise it with QCAL_JAVA_OPTS=-Xmx<size> for"
                  + " bin/qcal, or --driver-memory with spark-submit; on a cluster raise"
                  + " --executor-memory (spark.executor.memory). Rows of very many values read by"
                  + " Spark's reader (--reader spark) also need less"
                  + " with a smaller spark.sql.parquet.columnarReaderBatchSize",
              Runtime.getRuntime().maxMemory() >> 20);
    } else {
      memory =
          String.format(
              Locale.ROOT,
              "the driver's Java heap (%d MB): raise it with QCAL_JAVA_OPTS=-Xmx<size> for"
                  + " bin/qcal, or --driver-memory (spark.driver.memory) with spark-submit",
              Runtime.getRuntime().maxMemory() >> 20);
    }
    return (kind.isEmpty() ? "" : kind + ", in ") + memory + ". Nothing was written.";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
