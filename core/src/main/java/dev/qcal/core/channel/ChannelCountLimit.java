package dev.qcal.core.channel;

import dev.qcal.core.histogram.HistogramSpec;

/**
 * The bound on one tensor's per-channel histograms held by a task: channels × bins × domains counts
 * of 8 bytes each, checked before a scan starts so that a too-fine {@code --channel-bins} fails
 * with advice rather than with an out-of-memory error on an executor.
 */
public final class ChannelCountLimit {
  /** Most counts (channels × bins × domains) of one tensor's per-channel histograms: 2^24. */
  public static final long MAX_COUNTS = 1L << 24;

  private ChannelCountLimit() {}

  /**
   * Checks that {@code channels} channels of {@code bins} bins in {@code domains} domains stay
   * within {@value #MAX_COUNTS} counts.
   *
   * @throws IllegalArgumentException naming the tensor, its channels, the bins and the largest
   *     {@code --channel-bins} that fits
   */
  public static void check(String tensor, int channels, int bins, int domains) {
    long counts = (long) channels * bins * domains;
    if (counts > MAX_COUNTS) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build the per-channel histograms of tensor '%s': %d channels × %d bins × %d"
                  + " domains = %d counts per task, more than %d (%d MiB); lower --channel-bins"
                  + " (spark.qcal.channel-bins) to at most %d",
              tensor,
              channels,
              bins,
              domains,
              counts,
              MAX_COUNTS,
              (MAX_COUNTS * 8) >> 20,
              Math.max(
                  HistogramSpec.MIN_BINS, MAX_COUNTS / Math.max(1, (long) channels * domains))));
    }
  }
}
