package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.channel.ChannelSplit;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.apache.spark.util.SizeEstimator;
import org.junit.jupiter.api.Test;

/**
 * The size a tensor's accumulator tells Spark ({@link TensorAccumulator#estimatedSize}) stays
 * within a factor of 1.25 of what Spark's {@code SizeEstimator} finds by walking the same objects:
 * small (sparse) and large (dense) tensors, with and without per-channel accumulators. Spark spills
 * its shuffle maps by these sizes, so an estimate far too small would let them outgrow memory.
 */
class TensorAccumulatorSizeTest {
  private static final Set<Domain> DOMAINS = EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED);

  @Test
  void aTensorsSizeIsWhatSparkWouldFindByWalkingIt() {
    Random r = new Random(3);
    for (int values : new int[] {64, 3008, 200_000}) {
      float[] v = new float[values];
      for (int i = 0; i < values; i++) {
        v[i] = (float) r.nextGaussian();
      }
      GrowingGridAccumulator tensor = new GrowingGridAccumulator(DOMAINS, 2048).add(v);
      check("tensor of " + values, tensor.retainedBytes(), SizeEstimator.estimate(tensor));
      ChannelGridAccumulator channels = new ChannelGridAccumulator("t", DOMAINS, 256);
      channels.add(ChannelSplit.of(new long[] {64, values / 64}, 0, values), v, 0);
      check("channels of " + values, channels.retainedBytes(), SizeEstimator.estimate(channels));
      TensorAccumulator both = new TensorAccumulator(tensor, channels);
      check(
          "both of " + values,
          both.estimatedSize(),
          SizeEstimator.estimate(tensor) + SizeEstimator.estimate(channels));
    }
  }

  private static void check(String what, long told, long walked) {
    assertTrue(
        told >= walked / 1.25 && told <= walked * 1.25,
        what + ": told " + told + " bytes, Spark's walk found " + walked);
  }
}
