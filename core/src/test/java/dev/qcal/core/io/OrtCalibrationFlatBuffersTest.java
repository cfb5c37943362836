package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.flatbuffers.FlatBufferBuilder;
import dev.qcal.core.io.OrtCalibrationFlatBuffers.Order;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.testing.ReferenceVector;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ORT's calibration.flatbuffers against formats.json {@code onnxruntime_calibration_flatbuffers}.
 */
class OrtCalibrationFlatBuffersTest {
  private static final JsonNode VECTOR =
      ReferenceVector.load("formats.json").json().get("onnxruntime_calibration_flatbuffers");

  private static byte[] hex(String field) {
    return HexFormat.of().parseHex(VECTOR.get(field).asText());
  }

  private static byte[] write(CalibrationTable table, Order order) {
    return OrtCalibrationFlatBuffers.toBytes(table, FormatTables.METHOD, order);
  }

  @Test
  void oneEntryIsByteIdenticalToOrtsWriterInBothOrders() {
    byte[] expected = hex("one_entry_X_2.5_hex");
    assertEquals(VECTOR.get("one_entry_len").asInt(), expected.length);
    CalibrationTable table = FormatTables.amaxes("X", 2.5);
    assertArrayEquals(expected, write(table, Order.ORT));
    assertArrayEquals(expected, write(table, Order.ASCENDING));
  }

  @Test
  void twoEntriesAreByteIdenticalToOrtsWriterInOrtOrder() {
    byte[] expected = hex("bytes_hex_python_flatbuffers_2_0_8");
    assertEquals(VECTOR.get("len").asInt(), expected.length);
    // The vector's input {"X": "2.5", "conv1_out": "3.0"}: amax 2.5 and 3.0, printed by Python.
    CalibrationTable table = FormatTables.amaxes("X", 2.5, "conv1_out", 3.0);
    assertArrayEquals(expected, write(table, Order.ORT));

    List<List<String>> decoded = new ArrayList<>();
    CalTable.root(expected).entries().forEach((k, v) -> decoded.add(List.of(k, v)));
    List<List<String>> vectorOrder = new ArrayList<>();
    VECTOR
        .get("decoded_order")
        .forEach(p -> vectorOrder.add(List.of(p.get(0).asText(), p.get(1).asText())));
    assertEquals(vectorOrder, decoded);
  }

  @Test
  void ascendingOrderDecodesAscendingAndSupportsLookupByKey() {
    CalibrationTable table = FormatTables.amaxes("X", 2.5, "conv1_out", 3.0);
    CalTable ascending = CalTable.root(write(table, Order.ASCENDING));
    assertEquals(List.of("X", "conv1_out"), List.copyOf(ascending.entries().keySet()));
    assertEquals("2.5", ascending.lookup("X"));
    assertEquals("3.0", ascending.lookup("conv1_out"));
    assertNull(ascending.lookup("missing"));
    // ORT's own order is descending: a binary search misses keys (here the smallest of three).
    CalibrationTable three = FormatTables.amaxes("a", 1.0, "b", 2.0, "c", 3.0);
    assertEquals("1.0", CalTable.root(write(three, Order.ASCENDING)).lookup("a"));
    assertNull(CalTable.root(write(three, Order.ORT)).lookup("a"));
  }

  @Test
  void matchesTheFlatBuffersJavaBuilderWithOrtsCallSequence() {
    // A larger table with names of every length (so every padding case occurs) and awkward names.
    Random random = new Random(20240611L);
    FormatTables.Builder b = FormatTables.under(QuantSpec.symmetric(8));
    Map<String, Double> amaxes = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      StringBuilder name = new StringBuilder("t");
      for (int k = 0; k < i % 9; k++) {
        name.append((char) ('a' + random.nextInt(26)));
      }
      name.append(i);
      amaxes.put(name.toString(), 0.001 + random.nextDouble() * 100);
    }
    amaxes.put("input_1:0", 1.0);
    amaxes.put("(Unnamed Layer* 3) [Constant]_output", 6.0);
    amaxes.put("日本 \uD83D\uDE00", 0.5);
    amaxes.put("line\nbreak", 0.25);
    amaxes.forEach(b::amax);
    CalibrationTable table = b.build();

    for (Order order : Order.values()) {
      byte[] ours = write(table, order);
      assertArrayEquals(reference(table, order), ours, order.name());
      // Every name verbatim, every value the Python repr of the float32 amax.
      Map<String, String> entries = CalTable.root(ours).entries();
      assertEquals(amaxes.size(), entries.size());
      amaxes.forEach(
          (name, amax) ->
              assertEquals(PythonFloat.repr((float) (double) amax), entries.get(name), name));
    }
  }

  /** The same entries built with flatbuffers-java's FlatBufferBuilder in ORT's call order. */
  private static byte[] reference(CalibrationTable table, Order order) {
    FlatBufferBuilder fb = new FlatBufferBuilder(16);
    List<Integer> entries = new ArrayList<>();
    for (var t : FormatSupport.byCodePoint(table)) {
      int key = fb.createString(t.name());
      int value = fb.createString(PythonFloat.repr((float) t.result(FormatTables.METHOD).amax()));
      fb.startTable(2);
      fb.addOffset(0, key, 0);
      fb.addOffset(1, value, 0);
      entries.add(fb.endTable());
    }
    fb.startVector(4, entries.size(), 4);
    for (int i = 0; i < entries.size(); i++) {
      // ORT prepends in list order, so the list's first entry ends up last.
      fb.addOffset(entries.get(order == Order.ORT ? i : entries.size() - 1 - i));
    }
    int vector = fb.endVector();
    fb.startTable(1);
    fb.addOffset(0, vector, 0);
    fb.finish(fb.endTable());
    return fb.sizedByteArray();
  }

  @Test
  void writesAmaxAsMaxAbsAndLeavesOutZeroRanges() {
    CalibrationTable table =
        FormatTables.under(QuantSpec.affine(8))
            .range("neg", -3.0, 2.0) // amax 3.0 (ORT >= 1.20 would write 2.0)
            .range("relu", 0.0, 0.1)
            .range("zero", 0.0, 0.0)
            .build();
    Map<String, String> entries = CalTable.root(write(table, Order.ASCENDING)).entries();
    assertEquals(Map.of("neg", "3.0", "relu", "0.10000000149011612"), entries);
    assertEquals(
        List.of("zero"),
        OrtCalibrationFlatBuffers.omitted(table, FormatTables.METHOD).stream()
            .map(TensorIssue::tensor)
            .toList());
  }

  @Test
  void emptyTableIsAValidBufferWithAnEmptyDict() {
    CalibrationTable table = FormatTables.amaxes("zero", 0.0);
    CalTable root = CalTable.root(write(table, Order.ASCENDING));
    assertEquals(0, root.dictLength());
  }

  @Test
  void sameTableSameBytes() {
    CalibrationTable a = FormatTables.amaxes("b", 1.0, "a", 2.0, "é", 3.0);
    CalibrationTable b = FormatTables.amaxes("é", 3.0, "a", 2.0, "b", 1.0);
    assertArrayEquals(write(a, Order.ASCENDING), write(b, Order.ASCENDING));
    assertTrue(TableFormat.ORT_FLATBUFFERS.check(a, FormatTables.METHOD).isEmpty());
  }
}
