package dev.qcal.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.TensorShapeProto;
import dev.qcal.onnx.proto.TypeProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import org.junit.jupiter.api.Test;

/** Declared shapes read from value infos, and the shapes of fed tensors checked or inferred. */
class DeclaredShapeTest {
  /** A FLOAT value named x; each dim a number, a name ("n": unknown) or null (nothing set). */
  static ValueInfoProto value(int elemType, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Number n) {
        dim.setDimValue(n.longValue());
      } else if (d instanceof String s) {
        dim.setDimParam(s);
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder()
        .setName("x")
        .setType(
            TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
        .build();
  }

  static DeclaredShape floats(Object... dims) {
    return DeclaredShape.of(value(TensorProto.DataType.FLOAT_VALUE, dims));
  }

  @Test
  void readsKnownAndUnknownDims() {
    DeclaredShape rec = floats("batch", 3, 48, null);
    assertEquals("x", rec.name());
    assertTrue(rec.isFloat());
    assertEquals("FLOAT", rec.elementTypeName());
    assertArrayEquals(new long[] {-1, 3, 48, -1}, rec.dims());
    assertEquals("[?, 3, 48, ?]", rec.text());
    assertEquals(2, rec.unknownDims());
    assertFalse(rec.impliesShape());
    assertEquals("x FLOAT [?, 3, 48, ?]", rec.toString());

    DeclaredShape ids = DeclaredShape.of(value(TensorProto.DataType.INT64_VALUE, "n", 128));
    assertFalse(ids.isFloat());
    assertEquals("INT64", ids.elementTypeName());

    DeclaredShape anyRank =
        DeclaredShape.of(
            ValueInfoProto.newBuilder()
                .setName("x")
                .setType(
                    TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1)))
                .build());
    assertFalse(anyRank.hasRank());
    assertEquals("[any rank]", anyRank.text());
    assertFalse(anyRank.impliesShape());
  }

  @Test
  void aGivenShapeIsCheckedAgainstTheDeclaration() {
    DeclaredShape rec = floats("batch", 3, 48, "width");
    assertArrayEquals(
        new long[] {2, 3, 48, 100}, rec.resolve(new long[] {2, 3, 48, 100}, 2 * 3 * 48 * 100));
    assertEquals(
        "shape [1, 3, 32, 100] does not fit the model's [?, 3, 48, ?]",
        assertThrows(
                IllegalArgumentException.class, () -> rec.resolve(new long[] {1, 3, 32, 100}, 9600))
            .getMessage());
    assertEquals(
        "shape [3, 48, 100] does not fit the model's [?, 3, 48, ?]",
        assertThrows(
                IllegalArgumentException.class, () -> rec.resolve(new long[] {3, 48, 100}, 14400))
            .getMessage());
    assertEquals(
        "shape [1, 3, 48, 100] gives 14400 values, the row has 14399",
        assertThrows(
                IllegalArgumentException.class,
                () -> rec.resolve(new long[] {1, 3, 48, 100}, 14399))
            .getMessage());
    assertEquals(
        "shape [1, 3, -48, 100] has a negative dim",
        assertThrows(
                IllegalArgumentException.class, () -> rec.resolve(new long[] {1, 3, -48, 100}, 1))
            .getMessage());
    // A declared rank 0 is a scalar; only a missing shape accepts any rank.
    DeclaredShape scalar = floats();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> scalar.resolve(new long[] {4}, 4));
    assertEquals("shape [4] does not fit the model's []", e.getMessage());
  }

  @Test
  void oneUnknownDimIsInferredFromTheLength() {
    assertArrayEquals(new long[] {5, 3, 8, 8}, floats("n", 3, 8, 8).resolve(null, 5 * 192));
    assertArrayEquals(new long[] {2, 16}, floats(2, 16).resolve(null, 32));
    assertArrayEquals(new long[] {}, floats().resolve(null, 1));
    assertEquals(
        "the row has 100 values, which the model's shape [?, 3, 8, 8] cannot hold",
        assertThrows(IllegalArgumentException.class, () -> floats("n", 3, 8, 8).resolve(null, 100))
            .getMessage());
    assertEquals(
        "the row has 31 values, which the model's shape [2, 16] cannot hold",
        assertThrows(IllegalArgumentException.class, () -> floats(2, 16).resolve(null, 31))
            .getMessage());
    assertEquals(
        "the model's shape [?, 3, 48, ?] needs the row's shape",
        assertThrows(
                IllegalArgumentException.class, () -> floats("n", 3, 48, "w").resolve(null, 144))
            .getMessage());
  }
}
