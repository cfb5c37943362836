package dev.qcal.onnx.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a model's bytes with ONNX Runtime's Java API (CPU), one thread per session so that two
 * runs of the same graph on the same input give the same bits. Shared with the jobs module's tests
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
  public static Map<String, FloatOutput> run(byte[] model, String name, long[] shape, float[] values)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, options);
          OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
          OrtSession.Result result = session.run(Map.of(name, input))) {
        Map<String, FloatOutput> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : result) {
          OnnxTensor tensor = (OnnxTensor) e.getValue();
          FloatBuffer buffer = tensor.getFloatBuffer();
          float[] out = new float[buffer.remaining()];
          buffer.get(out);
          outputs.put(e.getKey(), new FloatOutput(tensor.getInfo().getShape(), out));
        }
        return outputs;
      }
    }
  }
}
