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
 * <p>Each session runs with graph optimizations off, as ONNX Runtime's calibrator does
 * ({@code ORT_DISABLE_ALL}), so every tensor is computed as the graph states it, and with one
 * thread: Spark's tasks are the parallelism ({@code spark.executor.cores} of them per executor),
 * and one thread gives the same bits on every run.
 */
final class CaptureSessions {
  /** Guarded by the class lock. */
  private static final Map<ModelKey, Held> HELD = new HashMap<>();

  private static boolean closeAtExit;

  private CaptureSessions() {}

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
      synchronized (CaptureSessions.class) {
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
  static synchronized Lease acquire(ModelKey key, ExposedBytes model) throws IOException, OrtException {
    Held held = HELD.get(key);
    if (held == null) {
      closeIdle();
      held = new Held(open(model.load()));
      HELD.put(key, held);
      if (!closeAtExit) {
        closeAtExit = true;
        Runtime.getRuntime().addShutdownHook(new Thread(CaptureSessions::closeAtExit, "qcal-ort-sessions"));
      }
    }
    held.users++;
    return new Lease(held);
  }

  private static OrtSession open(byte[] model) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      return OrtEnvironment.getEnvironment().createSession(model, options);
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

  private static synchronized void closeAtExit() {
    closeIdle();
  }

  private static void close(Held held) {
    try {
      held.session.close();
    } catch (OrtException | RuntimeException ignored) {
      // Closing frees native memory; a failure here leaves nothing to undo.
    }
  }
}
