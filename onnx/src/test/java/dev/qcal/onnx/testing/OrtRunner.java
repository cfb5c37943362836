package dev.qcal.onnx.testing;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** One float input: its shape and its elements in row-major order. */
  public record FloatInput(long[] shape, float[] values) {}

  /**
   * Runs {@code model} on one FLOAT input {@code name} of shape {@code shape} and returns every
   * output by name (in the model's output order), with ONNX Runtime's default graph optimizations.
   */
  public static Map<String, FloatOutput> run(byte[] model, String name, long[] shape, float[] values)
      throws OrtException {
    return run(model, Map.of(name, new FloatInput(shape, values)), true);
  }

  /**
   * Runs {@code model} on FLOAT {@code inputs} by name and returns every FLOAT output by name (in
   * the model's output order; outputs of other types are left out); {@code optimized} false turns ONNX Runtime's graph optimizations off,
   * as its calibrator and {@code qcal capture} run.
   */
  public static Map<String, FloatOutput> run(byte[] model, Map<String, FloatInput> inputs, boolean optimized)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      if (!optimized) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      }
      List<OnnxTensor> tensors = new ArrayList<>();
      try (OrtSession session = env.createSession(model, options)) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        for (Map.Entry<String, FloatInput> in : inputs.entrySet()) {
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.getValue().values()), in.getValue().shape());
          tensors.add(t);
          feed.put(in.getKey(), t);
        }
        try (OrtSession.Result result = session.run(feed)) {
          Map<String, FloatOutput> outputs = new LinkedHashMap<>();
          for (Map.Entry<String, OnnxValue> e : result) {
            OnnxTensor tensor = (OnnxTensor) e.getValue();
            if (tensor.getInfo().type != OnnxJavaType.FLOAT) {
              continue;
            }
            FloatBuffer buffer = tensor.getFloatBuffer();
            float[] out = new float[buffer.remaining()];
            buffer.get(out);
            outputs.put(e.getKey(), new FloatOutput(tensor.getInfo().getShape(), out));
          }
          return outputs;
        }
      } finally {
        tensors.forEach(OnnxTensor::close);
      }
    }
  }
}
