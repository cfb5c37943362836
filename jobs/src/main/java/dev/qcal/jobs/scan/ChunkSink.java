package dev.qcal.jobs.scan;

/**
 * Receives the chunks of one partition: {@code values[from, to)} of one tensor. The array is the
 * reader's reused buffer: use the values before returning, never keep the array.
 */
@FunctionalInterface
public interface ChunkSink {
  /** One chunk ({@code from == to} for a row with an empty array: the tensor exists, with no value). */
  void accept(String tensor, float[] values, int from, int to);
}
