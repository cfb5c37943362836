package dev.qcal.core.histogram;

/**
 * Heap sizes of the accumulators' arrays as a 64-bit HotSpot JVM with compressed pointers lays them
 * out (a 16-byte header, the elements, padding to 8 bytes): what the accumulators report as their
 * size, so Spark's shuffle maps need not walk them object by object.
 */
public final class MemoryFootprint {
  private MemoryFootprint() {}

  /** The bytes of an array of {@code length} elements of {@code elementBytes} each. */
  public static long array(int length, int elementBytes) {
    return (16 + (long) length * elementBytes + 7) & ~7L;
  }
}
