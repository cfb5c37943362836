package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.channel.ChannelSplit;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.jobs.state.StateRow;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A merged tensor's row of {@code state/}, encoded straight from its accumulators ({@link
 * TensorAccumulator#row}), is byte for byte the row of its state ({@link StateRow#of} of {@link
 * TensorAccumulator#state}): small (sparse) and large (dense) tensors, merged or not, in every
 * domain, with and without per-channel accumulators (and with a channel accumulator that saw no
 * channel, which stays per tensor).
 */
class TensorAccumulatorRowTest {
  private static final Set<Domain> DOMAINS = EnumSet.allOf(Domain.class);

  @Test
  void aRowFromTheAccumulatorsIsTheRowOfTheState() {
    Random r = new Random(5);
    for (int values : new int[] {0, 1, 64, 3008, 200_000}) {
      float[] v = new float[values];
      for (int i = 0; i < values; i++) {
        v[i] = i % 97 == 0 ? Float.NaN : (float) (r.nextGaussian() * Math.exp(r.nextGaussian()));
      }
      GrowingGridAccumulator tensor = new GrowingGridAccumulator(DOMAINS, 2048).add(v);
      GrowingGridAccumulator half = new GrowingGridAccumulator(DOMAINS, 2048).add(v, 0, values / 2);
      half.merge(new GrowingGridAccumulator(DOMAINS, 2048).add(v, values / 2, values));
      ChannelGridAccumulator channels = new ChannelGridAccumulator("t", DOMAINS, 256);
      if (values >= 64) {
        channels.add(ChannelSplit.of(new long[] {64, values / 64}, 0, values), v, 0);
      }
      for (TensorAccumulator a :
          new TensorAccumulator[] {
            new TensorAccumulator(tensor, null),
            new TensorAccumulator(half, null),
            new TensorAccumulator(tensor, channels)
          }) {
        String what = values + " values, channels " + (a.channels() != null);
        assertSameRow(StateRow.of("layer.0/x", a.state(0)), a.row("layer.0/x", 0), what);
      }
    }
  }

  private static void assertSameRow(StateRow expected, StateRow actual, String what) {
    assertArrayEquals(expected.tensor(), actual.tensor(), what);
    assertArrayEquals(expected.stats(), actual.stats(), what);
    assertEquals(expected.histograms().length, actual.histograms().length, what);
    for (int d = 0; d < expected.histograms().length; d++) {
      assertArrayEquals(expected.histograms()[d], actual.histograms()[d], what + " " + d);
    }
    assertArrayEquals(expected.channels(), actual.channels(), what);
  }
}
