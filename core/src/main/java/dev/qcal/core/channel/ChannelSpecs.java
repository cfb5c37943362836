package dev.qcal.core.channel;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import java.io.Serializable;
import java.util.Set;

/**
 * The pass-2 histogram layouts of one per-channel tensor: for each domain the methods need, one
 * {@link HistogramSpec} per channel, each chosen from that channel's pass-1 statistics by {@link
 * HistogramSpec#forStats} (the one place layouts are chosen), with the per-channel bin count.
 *
 * <p>The memory bound is {@link ChannelCountLimit#check}'s.
 */
public final class ChannelSpecs implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Domain[] domains;
  private final HistogramSpec[][] specs;

  private ChannelSpecs(Domain[] domains, HistogramSpec[][] specs) {
    this.domains = domains;
    this.specs = specs;
  }

  /**
   * The layouts of tensor {@code tensor} with {@code ranges} in {@code domains}, {@code bins} bins
   * each, in {@code layout} (the grid layout gives the histograms a {@link ChannelGridAccumulator}
   * builds in one pass).
   *
   * @throws IllegalArgumentException naming the tensor, its channels and the bins if the counts
   *     would exceed {@link ChannelCountLimit#MAX_COUNTS}, or if {@code bins} is out of range
   */
  public static ChannelSpecs forRanges(
      String tensor, ChannelRanges ranges, Set<Domain> domains, int bins, HistogramLayout layout) {
    HistogramSpec.checkBinCount(bins);
    ChannelCountLimit.check(tensor, ranges.count(), bins, domains.size());
    Domain[] ds = domains.toArray(new Domain[0]);
    HistogramSpec[][] specs = new HistogramSpec[ds.length][ranges.count()];
    for (int d = 0; d < ds.length; d++) {
      for (int c = 0; c < ranges.count(); c++) {
        specs[d][c] = HistogramSpec.forStats(ds[d], ranges.channel(c), bins, layout);
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
