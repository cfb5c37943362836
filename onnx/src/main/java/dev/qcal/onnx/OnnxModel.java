package dev.qcal.onnx;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.OperatorSetIdProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * An ONNX model: its protobuf message, where it came from (named in every error), and lookups by
 * name of operator sets, initializers, constants and value infos. Immutable: to change a model,
 * edit {@code proto().toBuilder()} and wrap the result with {@link #of}.
 *
 * <p>Reading keeps every field the specification added after qcal's {@code onnx.proto} as an
 * unknown field, and writing puts it back, so a read-write round trip of a model qcal did not
 * change gives the same bytes (protobuf-java writes fields in field-number order, as ONNX's own C++
 * serializer does).
 */
public final class OnnxModel {
  /** The default ONNX operator domain, spelled the two ways the specification allows. */
  private static final String DEFAULT_DOMAIN = "";

  private static final String DEFAULT_DOMAIN_ALIAS = "ai.onnx";

  /**
   * protobuf messages are at most 2 GiB; larger ONNX models keep their weights in external files.
   */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8L;

  private final ModelProto proto;
  private final String source;
  private final Map<String, TensorProto> initializers;
  private final Map<String, TensorProto> constants;

  private OnnxModel(ModelProto proto, String source) {
    this.proto = proto;
    this.source = source;
    this.initializers = ConstantTensors.initializers(proto.getGraph());
    this.constants = ConstantTensors.index(proto.getGraph());
  }

  /**
   * Reads a model file.
   *
   * @throws InputFormatException naming the file when it is not an ONNX model (not a protobuf
   *     message, or one without a graph or IR version)
   * @throws IOException when the file cannot be read
   */
  public static OnnxModel read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new InputFormatException(
          file
              + ": "
              + size
              + " bytes, over protobuf's 2 GiB limit; a model this large must keep"
              + " its weights in external data files (ONNX's save_as_external_data)");
    }
    return parse(Files.readAllBytes(file), file.toString());
  }

  /**
   * Parses the bytes of a model file; {@code source} names them in errors (a path or a
   * description).
   *
   * @throws InputFormatException naming {@code source} when the bytes are not an ONNX model
   */
  public static OnnxModel parse(byte[] bytes, String source) {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new InputFormatException(
          source + ": not an ONNX model (not a protobuf message: " + e.getMessage() + ")", e);
    }
    if (!proto.hasGraph() || !proto.hasIrVersion()) {
      throw new InputFormatException(
          source
              + ": not an ONNX model (a protobuf message without "
              + (proto.hasGraph() ? "an ir_version" : "a graph")
              + ")");
    }
    return new OnnxModel(proto, source);
  }

  /** A model built or edited in code; {@code source} names it in errors. */
  public static OnnxModel of(ModelProto proto, String source) {
    return new OnnxModel(proto, source);
  }

  /** The protobuf message. */
  public ModelProto proto() {
    return proto;
  }

  /** The file or description the model came from, as errors name it. */
  public String source() {
    return source;
  }

  /** The main graph. */
  public GraphProto graph() {
    return proto.getGraph();
  }

  /** The IR version the model declares (e.g. 7 for ONNX 1.8 exports; FLOAT8 needs 9). */
  public long irVersion() {
    return proto.getIrVersion();
  }

  /**
   * The version of the operator set imported for {@code domain}, empty when the model imports none.
   * {@code ""} and {@code "ai.onnx"} both name the default ONNX domain.
   */
  public OptionalLong opsetVersion(String domain) {
    boolean wantDefault = isDefaultDomain(domain);
    for (OperatorSetIdProto opset : proto.getOpsetImportList()) {
      if (wantDefault ? isDefaultDomain(opset.getDomain()) : opset.getDomain().equals(domain)) {
        return OptionalLong.of(opset.getVersion());
      }
    }
    return OptionalLong.empty();
  }

  /**
   * The version of the default ONNX operator set.
   *
   * @throws InputFormatException naming the model when it imports no default-domain opset
   */
  public long defaultOpset() {
    OptionalLong version = opsetVersion(DEFAULT_DOMAIN);
    if (version.isEmpty()) {
      throw new InputFormatException(
          source
              + ": imports no version of the default ONNX operator set (opset_import has no"
              + " entry with domain \"\" or \"ai.onnx\")");
    }
    return version.getAsLong();
  }

  /** The initializer (constant tensor) of the main graph named {@code name}. */
  public Optional<TensorProto> initializer(String name) {
    return Optional.ofNullable(initializers.get(name));
  }

  /** The initializers of the main graph by name, in graph order. */
  public Map<String, TensorProto> initializers() {
    return initializers;
  }

  /**
   * The constant value named {@code name} in the main graph: an initializer, or the output of a
   * {@code Constant} node (where Paddle2ONNX puts every weight), as a tensor of that name.
   */
  public Optional<TensorProto> constant(String name) {
    return Optional.ofNullable(constants.get(name));
  }

  /**
   * The elements of the FLOAT constant {@code name} (an initializer or a {@code Constant} node's
   * output).
   *
   * @throws InputFormatException naming the model and tensor when there is no such constant or it
   *     is not a FLOAT tensor stored in the model
   */
  public float[] floatConstant(String name) {
    TensorProto tensor = constants.get(name);
    if (tensor == null) {
      throw new InputFormatException(
          source + ": no initializer or Constant node output named '" + name + "'");
    }
    try {
      return FloatTensors.toFloats(tensor);
    } catch (InputFormatException e) {
      throw new InputFormatException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The declared type and shape of the value {@code name}: a graph input, output, or an entry of
   * {@code value_info}, searched in that order.
   */
  public Optional<ValueInfoProto> valueInfo(String name) {
    GraphProto g = proto.getGraph();
    for (List<ValueInfoProto> list :
        List.of(g.getInputList(), g.getOutputList(), g.getValueInfoList())) {
      for (ValueInfoProto info : list) {
        if (info.getName().equals(name)) {
          return Optional.of(info);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The inputs a caller feeds: the graph inputs that are not initializers (before IR 4 every
   * initializer was also listed as a graph input).
   */
  public List<ValueInfoProto> inputs() {
    List<ValueInfoProto> fed = new ArrayList<>();
    for (ValueInfoProto input : proto.getGraph().getInputList()) {
      if (!initializers.containsKey(input.getName())) {
        fed.add(input);
      }
    }
    return Collections.unmodifiableList(fed);
  }

  /** The graph outputs. */
  public List<ValueInfoProto> outputs() {
    return proto.getGraph().getOutputList();
  }

  /** The serialized model; the same model always gives the same bytes. */
  public byte[] toBytes() {
    byte[] bytes = new byte[proto.getSerializedSize()];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    try {
      proto.writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException("serializing into an array cannot fail", e);
    }
    out.checkNoSpaceLeft();
    return bytes;
  }

  /**
   * Writes the model to {@code file}, replacing it: first to a temporary file beside it, then
   * renamed into place, so a failed write never leaves a truncated model. The file gets the
   * permissions of any new file (the umask), not those of a private temporary file.
   */
  public void write(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temp =
        absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
        out.write(toBytes());
      }
      Files.move(
          temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static boolean isDefaultDomain(String domain) {
    return DEFAULT_DOMAIN.equals(domain) || DEFAULT_DOMAIN_ALIAS.equals(domain);
  }
}
