package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.channel.ChannelSplit;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A batch gives back every tensor it was given, in order, with its name exactly (empty, non-ASCII,
 * a lone surrogate) and its accumulators' statistics, histograms and channels equal; bytes that are
 * not a batch are refused.
 */
class AccumulatorBatchTest {
  private static final Set<Domain> DOMAINS =
      EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED, Domain.LOG2);

  @Test
  void aBatchGivesBackEveryTensorExactly() {
    Random r = new Random(5);
    List<String> names = List.of("", "layer.0/relu", "héllo:wörld", "lone \ud800 surrogate", "big");
    List<TensorAccumulator> written = new ArrayList<>();
    AccumulatorBatch batch = new AccumulatorBatch();
    for (int i = 0; i < names.size(); i++) {
      // 0, 40, 80 ... values: empty, sparse and dense histograms; the last also per channel.
      float[] v = new float[i == names.size() - 1 ? 100_000 : 40 * i];
      for (int k = 0; k < v.length; k++) {
        v[k] = (float) (r.nextGaussian() * Math.scalb(1.0, i));
      }
      GrowingGridAccumulator tensor = new GrowingGridAccumulator(DOMAINS, 2048);
      if (v.length > 0) {
        v[v.length / 2] = Float.NaN;
        tensor.add(v).addNulls(3, 1);
      }
      ChannelGridAccumulator channels = null;
      if (i == names.size() - 1) {
        channels = new ChannelGridAccumulator(names.get(i), DOMAINS, 256);
        channels.add(ChannelSplit.of(new long[] {100, 1000}, 0, v.length), v, 0);
      }
      TensorAccumulator a = new TensorAccumulator(tensor, channels);
      written.add(a);
      batch.add(names.get(i), a);
    }
    List<String> readNames = new ArrayList<>();
    List<TensorAccumulator> read = new ArrayList<>();
    AccumulatorBatch.forEach(
        batch.toBytes(),
        (name, a) -> {
          readNames.add(name);
          read.add(a);
        });
    assertEquals(names, readNames);
    for (int i = 0; i < names.size(); i++) {
      TensorAccumulator w = written.get(i);
      TensorAccumulator a = read.get(i);
      assertEquals(w.tensor().stats(), a.tensor().stats(), names.get(i));
      assertEquals(w.tensor().histograms(), a.tensor().histograms(), names.get(i));
      if (w.channels() == null) {
        assertNull(a.channels());
      } else {
        assertEquals(w.channels().states(0), a.channels().states(0));
      }
    }
  }

  @Test
  void bytesThatAreNotABatchAreRefused() {
    AccumulatorBatch batch = new AccumulatorBatch();
    batch.add("t", new TensorAccumulator(new GrowingGridAccumulator(DOMAINS, 2048), null));
    byte[] bytes = batch.toBytes();
    assertThrows(
        IllegalArgumentException.class,
        () -> AccumulatorBatch.forEach(Arrays.copyOf(bytes, bytes.length - 1), (n, a) -> {}));
    assertThrows(
        IllegalArgumentException.class,
        () -> AccumulatorBatch.forEach(new byte[] {0, 0, 0, 9, 0, 97}, (n, a) -> {}));
  }
}
