package dev.qcal.core.channel;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramSpec;
import java.io.Serializable;
import java.util.Set;

/**
 * The pass-2 histogram layouts of one per-channel tensor: for each domain the methods need, one
 * {@link HistogramSpec} per channel, each chosen from that channel's pass-1 statistics by {@link
 * HistogramSpec#forStats} (the one place layouts are chosen), with the per-channel bin count.
 *
 * <h2>Memory bound</h2>
 *
 * A task holds, per per-channel tensor it reads, at most channels × bins × domains {@code long}
 * counts (8 bytes each): 4096 channels × 256 bins × 2 domains = 16 MiB. {@link #forRanges} refuses
 * a tensor above {@value #MAX_COUNTS} counts (128 MiB) with a message saying to lower the
 * per-channel bins.
 */
public final class ChannelSpecs implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The default per-channel bin count (a per-tensor histogram has 2048). */
  public static final int DEFAULT_BINS = 256;

  /** Most counts (channels × bins × domains) of one tensor's per-channel histograms: 2^24. */
  public static final long MAX_COUNTS = 1L << 24;

  private final Domain[] domains;
  private final HistogramSpec[][] specs;

  private ChannelSpecs(Domain[] domains, HistogramSpec[][] specs) {
    this.domains = domains;
    this.specs = specs;
  }

  /**
   * The layouts of tensor {@code tensor} with {@code ranges} in {@code domains}, {@code bins} bins
   * each.
   *
   * @throws IllegalArgumentException naming the tensor, its channels and the bins if the counts
   *     would exceed {@value #MAX_COUNTS}, or if {@code bins} is out of range
   */
  public static ChannelSpecs forRanges(
      String tensor, ChannelRanges ranges, Set<Domain> domains, int bins) {
    HistogramSpec.checkBinCount(bins);
    long counts = (long) ranges.count() * bins * domains.size();
    if (counts > MAX_COUNTS) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build the per-channel histograms of tensor '%s': %d channels × %d bins × %d"
                  + " domains = %d counts per task, more than %d (%d MiB); lower --channel-bins"
                  + " (spark.qcal.channel-bins) to at most %d",
              tensor,
              ranges.count(),
              bins,
              domains.size(),
              counts,
              MAX_COUNTS,
              (MAX_COUNTS * 8) >> 20,
              Math.max(
                  HistogramSpec.MIN_BINS,
                  MAX_COUNTS / Math.max(1, (long) ranges.count() * domains.size()))));
    }
    Domain[] ds = domains.toArray(new Domain[0]);
    HistogramSpec[][] specs = new HistogramSpec[ds.length][ranges.count()];
    for (int d = 0; d < ds.length; d++) {
      for (int c = 0; c < ranges.count(); c++) {
        specs[d][c] = HistogramSpec.forStats(ds[d], ranges.channel(c), bins);
      }
    }
    return new ChannelSpecs(ds, specs);
  }

  /** The domains, in the order of {@link #spec}'s first index. */
  Domain[] domains() {
    return domains;
  }

  /** The channel count. */
  public int channels() {
    return specs.length == 0 ? 0 : specs[0].length;
  }

  /** The layout of {@code channel} in the {@code d}-th domain. */
  HistogramSpec spec(int d, int channel) {
    return specs[d][channel];
  }
}
