package dev.qcal.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.OperatorSetIdProto;
import dev.qcal.onnx.proto.StringStringEntryProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.TensorShapeProto;
import dev.qcal.onnx.proto.TypeProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading, writing and looking up a small model built here; the real ones are in
 * OcrModelsRoundTripTest.
 */
class OnnxModelTest {
  @TempDir Path temp;

  /** y = Relu(x + b), b an initializer (also listed as an input, as before IR 4), c a Constant. */
  private static ModelProto small() {
    TypeProto vector =
        TypeProto.newBuilder()
            .setTensorType(
                TypeProto.Tensor.newBuilder()
                    .setElemType(TensorProto.DataType.FLOAT_VALUE)
                    .setShape(
                        TensorShapeProto.newBuilder()
                            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("n"))))
            .build();
    GraphProto graph =
        GraphProto.newBuilder()
            .setName("small")
            .addNode(
                NodeProto.newBuilder()
                    .setOpType("Add")
                    .addInput("x")
                    .addInput("b")
                    .addOutput("s")
                    .setName("add"))
            .addNode(
                NodeProto.newBuilder()
                    .setOpType("Constant")
                    .addOutput("c")
                    .addAttribute(
                        AttributeProto.newBuilder()
                            .setName("value_floats")
                            .setType(AttributeProto.AttributeType.FLOATS)
                            .addFloats(0.5f)
                            .addFloats(-1f)))
            .addNode(
                NodeProto.newBuilder().setOpType("Mul").addInput("s").addInput("c").addOutput("m"))
            .addNode(NodeProto.newBuilder().setOpType("Relu").addInput("m").addOutput("y"))
            .addInitializer(FloatTensors.fromFloats("b", new long[] {2}, new float[] {1f, 2f}))
            .addInput(ValueInfoProto.newBuilder().setName("x").setType(vector))
            .addInput(ValueInfoProto.newBuilder().setName("b").setType(vector))
            .addOutput(ValueInfoProto.newBuilder().setName("y").setType(vector))
            .addValueInfo(ValueInfoProto.newBuilder().setName("s").setType(vector))
            .build();
    return ModelProto.newBuilder()
        .setIrVersion(3)
        .setProducerName("qcal-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx").setVersion(13))
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1))
        .setGraph(graph)
        .build();
  }

  @Test
  void lookups() {
    OnnxModel model = OnnxModel.of(small(), "small");
    assertEquals(3, model.irVersion());
    assertEquals(13, model.defaultOpset());
    assertEquals(OptionalLong.of(13), model.opsetVersion(""));
    assertEquals(OptionalLong.of(13), model.opsetVersion("ai.onnx"));
    assertEquals(OptionalLong.of(1), model.opsetVersion("com.microsoft"));
    assertEquals(OptionalLong.empty(), model.opsetVersion("ai.onnx.ml"));
    assertEquals(
        List.of("x"),
        model.inputs().stream().map(ValueInfoProto::getName).toList(),
        "b is an initializer");
    assertEquals(List.of("y"), model.outputs().stream().map(ValueInfoProto::getName).toList());
    assertEquals("x", model.valueInfo("x").orElseThrow().getName());
    assertEquals("y", model.valueInfo("y").orElseThrow().getName());
    assertEquals("s", model.valueInfo("s").orElseThrow().getName());
    assertTrue(model.valueInfo("m").isEmpty());
    assertEquals(List.of("b"), List.copyOf(model.initializers().keySet()));
    assertTrue(model.initializer("c").isEmpty(), "a Constant output is not an initializer");
    assertArrayEquals(new float[] {1f, 2f}, model.floatConstant("b"));
    assertArrayEquals(new float[] {0.5f, -1f}, model.floatConstant("c"));
    assertEquals("c", model.constant("c").orElseThrow().getName());
    assertTrue(model.constant("s").isEmpty());
  }

  @Test
  void lookupErrorsNameTheModel() {
    OnnxModel model = OnnxModel.of(small(), "small.onnx");
    InputFormatException missing =
        assertThrows(InputFormatException.class, () -> model.floatConstant("s"));
    assertEquals(
        "small.onnx: no initializer or Constant node output named 's'", missing.getMessage());
    ModelProto noDefault = small().toBuilder().removeOpsetImport(0).build();
    InputFormatException opset =
        assertThrows(
            InputFormatException.class, () -> OnnxModel.of(noDefault, "small.onnx").defaultOpset());
    assertTrue(
        opset
            .getMessage()
            .startsWith("small.onnx: imports no version of the default ONNX operator set"));
    ModelProto int8 =
        small().toBuilder()
            .setGraph(
                small().getGraph().toBuilder()
                    .setInitializer(
                        0,
                        TensorProto.newBuilder()
                            .setName("b")
                            .setDataType(TensorProto.DataType.INT8_VALUE)))
            .build();
    InputFormatException type =
        assertThrows(
            InputFormatException.class, () -> OnnxModel.of(int8, "small.onnx").floatConstant("b"));
    assertEquals("small.onnx: tensor 'b' has data type INT8, not FLOAT", type.getMessage());
  }

  @Test
  void writeIsDeterministicAtomicAndReadBack() throws Exception {
    OnnxModel model = OnnxModel.of(small(), "small");
    Path file = temp.resolve("small.onnx");
    Files.writeString(file, "an older file that the write replaces");
    model.write(file);
    byte[] first = Files.readAllBytes(file);
    assertArrayEquals(small().toByteArray(), first);
    assertArrayEquals(first, model.toBytes());
    model.write(file);
    assertArrayEquals(first, Files.readAllBytes(file), "same model, same bytes");
    OnnxModel back = OnnxModel.read(file);
    assertEquals(small(), back.proto());
    assertEquals(file.toString(), back.source());
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left beside it");
    }
    // The permissions of a new file, not the owner-only ones of Files.createTempFile.
    assertTrue(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)).startsWith("rw-r"),
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  /**
   * Fields of a newer specification than qcal's onnx.proto (here the multi-device configuration,
   * ModelProto field 26, and a node's device configuration, field 10), and a field no specification
   * has, survive a read and a write, in place.
   */
  @Test
  void unknownFieldsSurviveARoundTrip() throws Exception {
    ByteString configuration =
        StringStringEntryProto.newBuilder()
            .setKey("name")
            .setValue("two-gpus")
            .build()
            .toByteString();
    UnknownFieldSet onModel =
        UnknownFieldSet.newBuilder()
            .addField(
                26, UnknownFieldSet.Field.newBuilder().addLengthDelimited(configuration).build())
            .build();
    UnknownFieldSet onNode =
        UnknownFieldSet.newBuilder()
            .addField(
                10, UnknownFieldSet.Field.newBuilder().addLengthDelimited(configuration).build())
            .addField(4242, UnknownFieldSet.Field.newBuilder().addVarint(7).addFixed32(3).build())
            .build();
    ModelProto.Builder builder = small().toBuilder().setUnknownFields(onModel);
    builder
        .getGraphBuilder()
        .getNodeBuilder(0)
        .addMetadataProps(StringStringEntryProto.newBuilder().setKey("k").setValue("v"))
        .setUnknownFields(onNode);
    byte[] original = builder.build().toByteArray();

    Path file = temp.resolve("newer.onnx");
    Files.write(file, original);
    OnnxModel model = OnnxModel.read(file);
    assertEquals(onModel, model.proto().getUnknownFields());
    assertEquals(onNode, model.graph().getNode(0).getUnknownFields());
    Path written = temp.resolve("written.onnx");
    model.write(written);
    assertArrayEquals(original, Files.readAllBytes(written));
    assertNotEquals(
        small().getSerializedSize(), original.length, "the unknown fields were written at all");
  }

  /**
   * A writer that does not put fields in field-number order (protobuf allows any order, and
   * concatenated messages merge) gets them reordered: protobuf-java always writes in number order,
   * as ONNX's C++ writer does. The model is the same, and a second round trip changes nothing.
   */
  @Test
  void fieldsOutOfOrderAreWrittenInNumberOrder() throws Exception {
    ModelProto opsetsFirst =
        ModelProto.newBuilder().addAllOpsetImport(small().getOpsetImportList()).build();
    ModelProto rest = small().toBuilder().clearOpsetImport().build();
    ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
    opsetsFirst.writeTo(concatenated);
    rest.writeTo(concatenated);
    byte[] outOfOrder = concatenated.toByteArray();

    OnnxModel model = OnnxModel.parse(outOfOrder, "out-of-order");
    assertEquals(small(), model.proto());
    byte[] written = model.toBytes();
    assertEquals(outOfOrder.length, written.length);
    assertFalse(
        java.util.Arrays.equals(outOfOrder, written), "opset_import (8) moved after the graph (7)");
    assertArrayEquals(small().toByteArray(), written);
    assertArrayEquals(written, OnnxModel.parse(written, "again").toBytes());
  }

  @Test
  void aTextFileIsNotOnnx() throws Exception {
    Path file = temp.resolve("notes.onnx");
    Files.writeString(file, "these are notes, not a model\n", StandardCharsets.UTF_8);
    assertNotOnnx(file, file + ": not an ONNX model (not a protobuf message: ");
  }

  @Test
  void randomBytesAreNotOnnx() throws Exception {
    byte[] noise = new byte[4096];
    new Random(5).nextBytes(noise);
    Path file = temp.resolve("noise.onnx");
    Files.write(file, noise);
    assertNotOnnx(file, file + ": not an ONNX model (");
  }

  @Test
  void anEmptyFileIsNotOnnx() throws Exception {
    Path file = temp.resolve("empty.onnx");
    Files.write(file, new byte[0]);
    assertNotOnnx(file, file + ": not an ONNX model (a protobuf message without a graph)");
  }

  /**
   * Another protobuf message that happens to parse as a ModelProto (an unnamed tensor: its dims
   * read as ir_version, its float_data as the domain) is not a model.
   */
  @Test
  void aProtobufWithoutAGraphIsNotOnnx() throws Exception {
    Path tensor = temp.resolve("input_0.pb");
    TensorProto unnamed =
        TensorProto.newBuilder()
            .addDims(2)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addFloatData(1f)
            .addFloatData(2f)
            .build();
    Files.write(tensor, unnamed.toByteArray());
    assertNotOnnx(tensor, tensor + ": not an ONNX model (a protobuf message without a graph)");
    Path noIr = temp.resolve("no-ir.onnx");
    Files.write(noIr, small().toBuilder().clearIrVersion().build().toByteArray());
    assertNotOnnx(noIr, noIr + ": not an ONNX model (a protobuf message without an ir_version)");
  }

  private static void assertNotOnnx(Path file, String messageStart) {
    InputFormatException e = assertThrows(InputFormatException.class, () -> OnnxModel.read(file));
    assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
  }
}
