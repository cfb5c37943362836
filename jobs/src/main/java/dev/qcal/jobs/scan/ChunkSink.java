package dev.qcal.jobs.scan;

/**
 * Receives the chunks of one partition: {@code values[from, to)} of one tensor, and apart from the
 * values, the nulls the dump holds. The array is the reader's reused buffer: use the values before
 * returning, never keep the array.
 */
public interface ChunkSink {
  /**
   * One chunk ({@code from == to} for a row with an empty array: the tensor exists, with no value).
   */
  void accept(String tensor, float[] values, int from, int to);

  /**
   * Null elements ({@code elements}) and rows whose values list was null ({@code rows}) of one
   * tensor: no value, so never in a chunk. The tensor exists even if it has nothing else.
   */
  void nulls(String tensor, long elements, long rows);
}
