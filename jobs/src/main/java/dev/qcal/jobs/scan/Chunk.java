package dev.qcal.jobs.scan;

/**
 * A piece of one tensor read by Spark's reader: its values (nulls left out), and the nulls met with
 * them: null elements, and rows whose values list was null (then {@code values} is empty). A null
 * is no value: the scan counts it apart from NaN ({@code RangeStats#nullCount}).
 *
 * @param values the non-null values, float32
 * @param nulls null elements (of the lists, or null scalars) among them
 * @param nullRows rows of the tensor whose values list was null
 */
public record Chunk(float[] values, long nulls, long nullRows) {
  private static final float[] NONE = new float[0];

  /** A chunk of values with no null. */
  static Chunk of(float[] values) {
    return new Chunk(values, 0, 0);
  }

  /** A row whose values list was null. */
  static Chunk nullRow() {
    return new Chunk(NONE, 0, 1);
  }

  /** True when nulls came with the values. */
  public boolean hasNulls() {
    return nulls + nullRows > 0;
  }
}
