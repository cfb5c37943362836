package dev.qcal.jobs.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A state's Java-serialized form (how a run keeps its states between the scan and the searches).
 */
class TensorStateTest {
  private static Object roundTrip(Object o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  private static int serializedSize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.size();
  }

  @Test
  void aStateComesBackEqualWithOrWithoutChannels() throws Exception {
    Set<Domain> domains = EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED, Domain.LOG2);
    GrowingGridAccumulator tensor = new GrowingGridAccumulator(domains, 2048);
    float[] values = {0.5f, -2f, 3.25f, 0f, Float.NaN, Float.POSITIVE_INFINITY, -1e-30f, 7f};
    tensor.add(values).addNulls(2, 1);
    ChannelGridAccumulator channels =
        new ChannelGridAccumulator("t", EnumSet.of(Domain.ABSOLUTE), 256);
    channels.add(0, values, 0, 4);
    channels.add(1, values, 4, 8);
    TensorState plain = new TensorState(tensor.stats(), tensor.histograms());
    TensorState perChannel =
        new TensorState(tensor.stats(), tensor.histograms(), channels.states(0));
    TensorState empty = new TensorState(new GrowingGridAccumulator(Set.of(), 8).stats(), Map.of());
    for (TensorState s : new TensorState[] {plain, perChannel, empty}) {
      TensorState back = (TensorState) roundTrip(s);
      assertEquals(s.stats(), back.stats());
      assertEquals(s.histograms(), back.histograms());
      assertEquals(s.channels(), back.channels());
      for (Domain d : s.histograms().keySet()) {
        assertEquals(s.histograms().get(d).spec(), back.histograms().get(d).spec());
      }
    }
    assertNull(((TensorState) roundTrip(plain)).channels());
    // Three 2048-bin histograms of eight values: their non-empty bins, not 6 144 counts.
    assertTrue(serializedSize(plain) < 400, serializedSize(plain) + " bytes");
  }
}
