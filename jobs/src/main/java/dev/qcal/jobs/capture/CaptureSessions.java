package dev.qcal.jobs.capture;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The ONNX Runtime sessions of this JVM (an executor's, or the driver's, which runs the tasks in
 * local mode), one per {@link ModelKey}: created by the first task that needs it and shared by the
 * tasks that run at the same time or later (ONNX Runtime's {@code Run} may be called from several
 * threads at once), so a model is loaded once per executor, not once per task.
 *
 * <p>A session is kept while it is idle, for the next task of the same model; loading another model
 * closes the idle sessions of other models, and the JVM closes the idle ones as it exits. A session
 * still running at exit is left to the process's end (closing it under a running call would free
 * memory the call uses).
 *
 * <p>Each session runs with graph optimizations off, as ONNX Runtime's calibrator does ({@code
 * ORT_DISABLE_ALL}), so every tensor is computed as the graph states it, and with one thread:
 * Spark's tasks are the parallelism ({@code spark.executor.cores} of them per executor), and one
 * thread gives the same bits on every run.
 */
final class CaptureSessions {
  /** Guards {@link #HELD}, {@code closeAtExit}, the leases' counts and loading ONNX Runtime. */
  private static final Object LOCK = new Object();

  /** Guarded by {@link #LOCK}. */
  private static final Map<ModelKey, Held> HELD = new HashMap<>();

  private static boolean closeAtExit;

  /**
   * The stack of the thread that loads ONNX Runtime. Loading ONNX Runtime 1.29's native library on
   * Linux recurses over the process's command line: with Java's default 1 MiB thread stack a
   * command line over about 4 KB (a class path given with {@code -cp}, as {@code bin/qcal} gives
   * it) overflows the stack and the JVM dies of SIGSEGV without an error report. 64 MiB of
   * (reserved, mostly untouched) stack covers command lines of 100 KB and more.
   */
  private static final long LOAD_STACK_BYTES = 64L << 20;

  private static volatile boolean loaded;

  private CaptureSessions() {}

  /**
   * ONNX Runtime's environment, loaded the first time on a thread of its own with a large stack
   * (see {@link #LOAD_STACK_BYTES}).
   *
   * @throws IllegalStateException when ONNX Runtime cannot load (e.g. no native library for this
   *     platform)
   */
  static OrtEnvironment environment() {
    if (!loaded) {
      synchronized (LOCK) {
        if (!loaded) {
          Throwable[] failure = new Throwable[1];
          Thread load =
              new Thread(
                  null,
                  () -> {
                    try {
                      OrtEnvironment.getEnvironment();
                    } catch (Throwable t) { // ExceptionInInitializerError, UnsatisfiedLinkError
                      failure[0] = t;
                    }
                  },
                  "qcal-onnxruntime-load",
                  LOAD_STACK_BYTES);
          load.start();
          boolean interrupted = false;
          while (load.isAlive()) {
            try {
              load.join();
            } catch (InterruptedException e) {
              interrupted = true;
            }
          }
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
          if (failure[0] != null) {
            throw new IllegalStateException("ONNX Runtime cannot load: " + failure[0], failure[0]);
          }
          loaded = true;
        }
      }
    }
    return OrtEnvironment.getEnvironment();
  }

  /** The bytes of the exposed model a key names, read on first use. */
  @FunctionalInterface
  interface ExposedBytes {
    /** The serialized exposed model. */
    byte[] load() throws IOException;
  }

  /** A session in use; {@link #close} releases it (the session stays open for later tasks). */
  static final class Lease implements AutoCloseable {
    private final Held held;
    private boolean released;

    private Lease(Held held) {
      this.held = held;
    }

    /** The session. */
    OrtSession session() {
      return held.session;
    }

    @Override
    public void close() {
      synchronized (LOCK) {
        if (!released) {
          released = true;
          held.users--;
        }
      }
    }
  }

  private static final class Held {
    final OrtSession session;
    int users;

    Held(OrtSession session) {
      this.session = session;
    }
  }

  /**
   * The session of {@code key}, created from {@code model} if this JVM has none; other threads
   * asking meanwhile wait for it rather than load the model again.
   */
  static Lease acquire(ModelKey key, ExposedBytes model) throws IOException, OrtException {
    synchronized (LOCK) {
      Held held = HELD.get(key);
      if (held == null) {
        closeIdle();
        held = new Held(open(model.load()));
        HELD.put(key, held);
        if (!closeAtExit) {
          closeAtExit = true;
          Runtime.getRuntime()
              .addShutdownHook(new Thread(CaptureSessions::closeAtExit, "qcal-ort-sessions"));
        }
      }
      held.users++;
      return new Lease(held);
    }
  }

  /**
   * A session of {@code model} of its own, with the options of the shared ones (the caller closes
   * it): for models a task runs once, such as sensitivity's one-node models.
   */
  static OrtSession open(byte[] model) throws OrtException {
    environment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      return environment().createSession(model, options);
    }
  }

  private static void closeIdle() {
    for (Iterator<Held> it = HELD.values().iterator(); it.hasNext(); ) {
      Held held = it.next();
      if (held.users == 0) {
        close(held);
        it.remove();
      }
    }
  }

  private static void closeAtExit() {
    synchronized (LOCK) {
      closeIdle();
    }
  }

  private static void close(Held held) {
    try {
      held.session.close();
    } catch (OrtException | RuntimeException ignored) {
      // Closing frees native memory; a failure here leaves nothing to undo.
    }
  }
}
