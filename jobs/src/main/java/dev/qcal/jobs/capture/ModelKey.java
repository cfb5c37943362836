package dev.qcal.jobs.capture;

import java.io.Serializable;
import java.util.List;

/**
 * Which exposed model a session runs: the SHA-256 of the model file's bytes and the tensors made
 * graph outputs, in order. Two tasks with equal keys share one session.
 *
 * @param sha256 the model file's SHA-256, lower-case hex
 * @param outputs the exposed tensors, in graph order
 */
record ModelKey(String sha256, List<String> outputs) implements Serializable {
  ModelKey {
    outputs = List.copyOf(outputs);
  }
}
