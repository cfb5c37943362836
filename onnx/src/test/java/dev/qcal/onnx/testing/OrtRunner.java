package dev.qcal.onnx.testing;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.TypeProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs a model's bytes with ONNX Runtime's Java API (CPU), one thread per session so that two runs
 * of the same graph on the same input give the same bits. Shared with the jobs module's tests
 * (onnx's test jar).
 */
public final class OrtRunner {
  private OrtRunner() {}

  /** One float output: its shape and its elements in row-major order. */
  public record FloatOutput(long[] shape, float[] values) {}

  /**
   * Runs {@code model} on one FLOAT input {@code name} of shape {@code shape} and returns every
   * output by name (in the model's output order).
   */
  public static Map<String, FloatOutput> run(
      byte[] model, String name, long[] shape, float[] values) throws OrtException {
    return run(model, Map.of(name, new FloatOutput(shape, values)), OptLevel.ALL_OPT);
  }

  /**
   * Runs {@code model} on FLOAT inputs by name (each a shape and its values) and returns every
   * FLOAT output by name (outputs of other types are left out), with ONNX Runtime's graph
   * optimizations at {@code level}: {@code NO_OPT} runs each node as written; {@code ALL_OPT}, ONNX
   * Runtime's default, also fuses Q/DQ groups into integer kernels (QLinearConv, QGemm,
   * MatMulIntegerToFloat).
   */
  public static Map<String, FloatOutput> run(
      byte[] model, Map<String, FloatOutput> inputs, OptLevel level) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(level);
      Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
      try (OrtSession session = env.createSession(model, options)) {
        for (Map.Entry<String, FloatOutput> e : inputs.entrySet()) {
          feeds.put(
              e.getKey(),
              OnnxTensor.createTensor(
                  env, FloatBuffer.wrap(e.getValue().values()), e.getValue().shape()));
        }
        try (OrtSession.Result result = session.run(feeds)) {
          Map<String, FloatOutput> outputs = new LinkedHashMap<>();
          for (Map.Entry<String, OnnxValue> e : result) {
            OnnxTensor tensor = (OnnxTensor) e.getValue();
            if (tensor.getInfo().type != OnnxJavaType.FLOAT) {
              continue; // shape arithmetic (INT64) and masks (BOOL) of an exposed model
            }
            FloatBuffer buffer = tensor.getFloatBuffer();
            float[] out = new float[buffer.remaining()];
            buffer.get(out);
            outputs.put(e.getKey(), new FloatOutput(tensor.getInfo().getShape(), out));
          }
          return outputs;
        }
      } finally {
        feeds.values().forEach(OnnxTensor::close);
      }
    }
  }

  /**
   * {@code model} with the given values added as FLOAT graph outputs (shape left open), so a run
   * returns them too: how ONNX Runtime's own calibrator reads intermediate tensors.
   */
  public static byte[] exposing(ModelProto model, Collection<String> names) {
    GraphProto.Builder graph = model.getGraph().toBuilder();
    Set<String> outputs = new HashSet<>();
    graph.getOutputList().forEach(o -> outputs.add(o.getName()));
    for (String name : names) {
      if (outputs.add(name)) {
        graph.addOutput(
            ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                    TypeProto.newBuilder()
                        .setTensorType(
                            TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT_VALUE))));
      }
    }
    return model.toBuilder().setGraph(graph).build().toByteArray();
  }
}
