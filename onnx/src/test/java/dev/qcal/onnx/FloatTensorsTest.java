package dev.qcal.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.proto.StringStringEntryProto;
import dev.qcal.onnx.proto.TensorProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FLOAT tensors from float_data and from raw_data, against bytes written out by hand. */
class FloatTensorsTest {
  /** 1, -2, -0, the smallest subnormal, +inf, as IEEE 754 little-endian bytes. */
  private static final byte[] LITTLE_ENDIAN = {
    0x00, 0x00, (byte) 0x80, 0x3F,
    0x00, 0x00, 0x00, (byte) 0xC0,
    0x00, 0x00, 0x00, (byte) 0x80,
    0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, (byte) 0x80, 0x7F,
  };

  private static final float[] VALUES = {1f, -2f, -0f, Float.MIN_VALUE, Float.POSITIVE_INFINITY};

  private static TensorProto.Builder floatTensor(long... dims) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    return t;
  }

  @Test
  void rawDataIsLittleEndian() {
    TensorProto t = floatTensor(5).setRawData(ByteString.copyFrom(LITTLE_ENDIAN)).build();
    assertArrayEquals(VALUES, FloatTensors.toFloats(t));
  }

  @Test
  void floatDataGivesTheSameValues() {
    TensorProto.Builder t = floatTensor(5);
    for (float v : VALUES) {
      t.addFloatData(v);
    }
    assertArrayEquals(VALUES, FloatTensors.toFloats(t.build()));
  }

  @Test
  void fromFloatsWritesRawDataLittleEndian() {
    TensorProto t = FloatTensors.fromFloats("w", new long[] {5}, VALUES);
    assertEquals("w", t.getName());
    assertEquals(TensorProto.DataType.FLOAT_VALUE, t.getDataType());
    assertEquals(List.of(5L), t.getDimsList());
    assertEquals(0, t.getFloatDataCount());
    assertArrayEquals(LITTLE_ENDIAN, t.getRawData().toByteArray());
  }

  @Test
  void roundTripKeepsEveryBitIncludingNaN() {
    float[] values = {
      Float.NaN, Float.intBitsToFloat(0x7fc00001), -0f, 3.5f, -Float.MAX_VALUE, 1e-40f
    };
    float[] back = FloatTensors.toFloats(FloatTensors.fromFloats("w", new long[] {2, 3}, values));
    for (int i = 0; i < values.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "element " + i);
    }
  }

  @Test
  void scalarsAndEmptyTensors() {
    assertArrayEquals(
        new float[] {7f}, FloatTensors.toFloats(floatTensor().addFloatData(7f).build()));
    assertEquals(1, FloatTensors.elementCount(floatTensor().build()));
    TensorProto empty = floatTensor(4, 0, 3).setRawData(ByteString.EMPTY).build();
    assertArrayEquals(new float[0], FloatTensors.toFloats(empty));
    assertArrayEquals(new float[0], FloatTensors.toFloats(floatTensor(0).build()));
    assertEquals(24, FloatTensors.elementCount(floatTensor(2, 3, 4).build()));
  }

  @Test
  void refusesWhatItCannotDecodeNamingTheTensor() {
    assertRefused(
        TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.INT8_VALUE).build(),
        "tensor 'w' has data type INT8, not FLOAT");
    assertRefused(
        TensorProto.newBuilder().setName("w").setDataType(99).build(),
        "tensor 'w' has data type 99, not FLOAT");
    assertRefused(
        floatTensor(2)
            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
            .addExternalData(
                StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin"))
            .build(),
        "tensor 'w' keeps its data in an external file");
    assertRefused(
        floatTensor(2).setSegment(TensorProto.Segment.newBuilder().setBegin(0).setEnd(1)).build(),
        "tensor 'w' is one segment");
    assertRefused(
        floatTensor(2).setRawData(ByteString.copyFrom(new byte[12])).build(),
        "tensor 'w': raw_data has 12 bytes, its dims give 2 floats (8 bytes)");
    assertRefused(
        floatTensor(2, 2).addFloatData(1f).build(),
        "tensor 'w': float_data has 1 values, its dims give 4");
    assertRefused(
        floatTensor(1).addFloatData(1f).setRawData(ByteString.copyFrom(new byte[4])).build(),
        "tensor 'w' has both raw_data and float_data");
    assertRefused(floatTensor(3, -1).build(), "tensor 'w' has a negative dim -1");
    assertRefused(
        floatTensor(1L << 20, 1L << 20, 1L << 30).build(), "too many elements for one array");
  }

  @Test
  void fromFloatsChecksTheCountAgainstTheDims() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FloatTensors.fromFloats("w", new long[] {2, 2}, new float[3]));
    assertEquals("tensor 'w': dims give 4 elements, 3 values given", e.getMessage());
  }

  private static void assertRefused(TensorProto t, String message) {
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> FloatTensors.toFloats(t));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
