package dev.qcal.onnx;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A model whose inner tensors are made graph outputs, so that one run returns them: how ONNX
 * Runtime's calibrator reads activations ({@code CalibraterBase.augment_graph} appends the tensors
 * to calibrate to {@code graph.output}). qcal appends outputs that carry only their name: the
 * models it reads often have no {@code value_info} (Paddle2ONNX writes none), and ONNX Runtime
 * infers an output's type and shape from the node that produces it.
 */
public final class ExposedModel {
  private ExposedModel() {}

  /**
   * The activations of the main graph, in graph order: the inputs a caller feeds, then every node
   * output that is not a constant (an initializer or a {@code Constant} node's output).
   */
  public static List<String> activations(OnnxModel model) {
    Set<String> names = new LinkedHashSet<>();
    for (ValueInfoProto input : model.inputs()) {
      names.add(input.getName());
    }
    for (NodeProto node : model.graph().getNodeList()) {
      for (String output : node.getOutputList()) {
        // An empty name is an optional output left out.
        if (!output.isEmpty() && model.constant(output).isEmpty()) {
          names.add(output);
        }
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(names));
  }

  /**
   * {@code model} with each of {@code tensors} appended to the graph outputs (in the order given; a
   * tensor that already is an output is not repeated). Everything else is unchanged.
   *
   * @throws InputFormatException naming the model and tensor when a tensor is not one of the
   *     model's {@link #activations}
   */
  public static OnnxModel withOutputs(OnnxModel model, List<String> tensors) {
    Set<String> known = new HashSet<>(activations(model));
    Set<String> outputs = new HashSet<>();
    for (ValueInfoProto output : model.outputs()) {
      outputs.add(output.getName());
    }
    GraphProto.Builder graph = model.graph().toBuilder();
    for (String tensor : tensors) {
      if (!known.contains(tensor)) {
        throw new InputFormatException(
            model.source()
                + ": no tensor named '"
                + tensor
                + "' is fed to or computed by the graph"
                + " (constants are left out)");
      }
      if (outputs.add(tensor)) {
        graph.addOutput(ValueInfoProto.newBuilder().setName(tensor));
      }
    }
    return OnnxModel.of(model.proto().toBuilder().setGraph(graph).build(), model.source());
  }
}
