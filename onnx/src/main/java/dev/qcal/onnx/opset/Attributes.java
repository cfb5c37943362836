package dev.qcal.onnx.opset;

import com.google.protobuf.ByteString;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.NodeProto;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/** Reading a node's attributes by name, and making the attributes conversions set. */
final class Attributes {
  private Attributes() {}

  /** The attribute {@code name} of {@code node}. */
  static Optional<AttributeProto> find(NodeProto node, String name) {
    for (AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code node} has an attribute {@code name}. */
  static boolean has(NodeProto node, String name) {
    return find(node, name).isPresent();
  }

  /** The INT attribute {@code name}, or {@code otherwise} when absent. */
  static long integer(NodeProto node, String name, long otherwise) {
    return find(node, name).map(AttributeProto::getI).orElse(otherwise);
  }

  /** The INTS attribute {@code name}, or null when absent. */
  static long[] ints(NodeProto node, String name) {
    return find(node, name)
        .map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray())
        .orElse(null);
  }

  /** The STRING attribute {@code name} as text, or {@code otherwise} when absent. */
  static String string(NodeProto node, String name, String otherwise) {
    return find(node, name).map(a -> a.getS().toStringUtf8()).orElse(otherwise);
  }

  /** {@code node} without the attributes named in {@code names}; the others keep their order. */
  static NodeProto.Builder without(NodeProto node, Set<String> names) {
    NodeProto.Builder b = node.toBuilder().clearAttribute();
    for (AttributeProto a : node.getAttributeList()) {
      if (!names.contains(a.getName())) {
        b.addAttribute(a);
      }
    }
    return b;
  }

  /** A STRING attribute. */
  static AttributeProto ofString(String name, String value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8))
        .build();
  }

  /** An INT attribute. */
  static AttributeProto ofInt(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  /**
   * {@code node} with the STRING attribute {@code name} set to {@code value}: replaced in place
   * when present, appended otherwise.
   */
  static NodeProto withString(NodeProto node, String name, String value) {
    NodeProto.Builder b = node.toBuilder();
    for (int i = 0; i < b.getAttributeCount(); i++) {
      if (b.getAttribute(i).getName().equals(name)) {
        return b.setAttribute(i, ofString(name, value)).build();
      }
    }
    return b.addAttribute(ofString(name, value)).build();
  }
}
