package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The commonest change of signature: attributes that became inputs (Slice's starts, ends and axes
 * at 10, Clip's bounds and Pad's pads at 11, the axes of Squeeze, Unsqueeze and ReduceSum at 13 and
 * of the other reductions at 18, ...). Each attribute present becomes a Constant node feeding the
 * input that replaced it, with the same value; an attribute absent leaves its input out (the new
 * schemas give an omitted input the old attribute's default meaning; the exceptions are in each
 * use's documentation). Every other attribute and input stays.
 */
final class AttributesToInputs implements StepAdapter {
  /** How an attribute value is written as a tensor. */
  enum Encoding {
    /** INTS to a 1-D INT64 tensor. */
    INTS,
    /** INT to a 1-D INT64 tensor of one element (TopK's k). */
    INT_AS_ONE_ELEMENT,
    /** FLOATS to a 1-D FLOAT tensor. */
    FLOATS,
    /** FLOAT to a FLOAT scalar (Dropout's ratio, whose input type is independent of the data). */
    FLOAT_SCALAR,
    /** FLOAT to a scalar of the element type of input 0 (Clip's bounds, Pad's value). */
    SCALAR_LIKE_DATA
  }

  /**
   * Attribute {@code attribute} becomes input number {@code input}, encoded as {@code encoding}.
   */
  record Move(String attribute, int input, Encoding encoding) {}

  private final List<Move> moves;
  private final Set<String> names = new HashSet<>();

  private AttributesToInputs(List<Move> moves) {
    this.moves = moves;
    for (Move m : moves) {
      names.add(m.attribute());
    }
  }

  /** The adapter moving the given attributes. */
  static AttributesToInputs of(Move... moves) {
    return new AttributesToInputs(List.of(moves));
  }

  /** The adapter moving INTS attribute {@code attribute} to input {@code input} (axes, mostly). */
  static AttributesToInputs ints(String attribute, int input) {
    return of(new Move(attribute, input, Encoding.INTS));
  }

  @Override
  public List<NodeProto> adapt(NodeProto node, GraphScope scope) {
    List<NodeProto> out = new ArrayList<>();
    List<String> inputs = new ArrayList<>(node.getInputList());
    String base =
        node.getOutputCount() > 0 && !node.getOutput(0).isEmpty()
            ? node.getOutput(0)
            : node.getOpType();
    for (Move move : moves) {
      AttributeProto attribute = Attributes.find(node, move.attribute()).orElse(null);
      if (attribute == null) {
        continue;
      }
      NodeProto constant =
          scope.constant(
              base + "_" + move.attribute(), tensor(attribute, move.encoding(), node, scope));
      out.add(constant);
      while (inputs.size() <= move.input()) {
        inputs.add("");
      }
      inputs.set(move.input(), constant.getOutput(0));
    }
    NodeProto.Builder converted = Attributes.without(node, names).clearInput().addAllInput(inputs);
    out.add(converted.build());
    return out;
  }

  private static TensorProto tensor(
      AttributeProto a, Encoding encoding, NodeProto node, GraphScope scope) {
    switch (encoding) {
      case INTS:
        return ConstantNodes.int64s(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
      case INT_AS_ONE_ELEMENT:
        return ConstantNodes.int64s(new long[] {a.getI()});
      case FLOATS:
        float[] values = new float[a.getFloatsCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = a.getFloats(i);
        }
        return ConstantNodes.floats(values);
      case FLOAT_SCALAR:
        return ConstantNodes.scalar(TensorProto.DataType.FLOAT_VALUE, a.getF());
      case SCALAR_LIKE_DATA:
        return ConstantNodes.scalar(scope.facts(node.getInput(0)).elemType(), a.getF());
      default:
        throw new IllegalStateException(encoding.name());
    }
  }
}
