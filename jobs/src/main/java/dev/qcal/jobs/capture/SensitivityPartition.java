package dev.qcal.jobs.capture;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.jobs.dump.DumpRowException;
import dev.qcal.onnx.ModelDigest;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.qdq.ActivationScales;
import dev.qcal.onnx.qdq.QdqOptions;
import dev.qcal.onnx.qdq.SingleNodeModels;
import java.io.IOException;
import java.io.Serializable;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One task of a sensitivity run: reads its dataset rows (at most the run's samples) onto the heap,
 * runs the float model on each and keeps its outputs, then for each measured node writes the model
 * with that node alone quantized ({@link SingleNodeModels}), opens a session of it, runs it on
 * every row and sums the squared difference to the float outputs; last the model with every node
 * quantized. One session is open at a time; the task holds its rows and their float outputs.
 *
 * <p>It gives one {@link RowNoise} per row, so that the driver adds the rows up in the order of the
 * dataset whatever the partitioning.
 */
final class SensitivityPartition
    implements FlatMapFunction<Iterator<InternalRow>, SensitivityPartition.RowNoise>, Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One row's sums over every float output of the model.
   *
   * @param file the row's file, as Spark names it
   * @param index the row's index in its file
   * @param signal the sum of squares of the float model's outputs
   * @param noise per measured node (graph order), then with every node quantized: the sum of
   *     squared differences to the float outputs (NaN when an output is not finite)
   */
  record RowNoise(String file, long index, double signal, double[] noise) implements Serializable {}

  private final ModelFile modelFile;
  private final String sha256;
  private final List<InputColumn> inputs;
  private final ActivationScales scales;
  private final QdqOptions options;
  private final List<String> nodes;

  /**
   * @param modelFile where the executors read the float model
   * @param sha256 the model's SHA-256 as the driver read it
   * @param inputs the model's input columns, in read-schema order
   * @param scales the table's activation scales
   * @param options the Q/DQ options
   * @param nodes the measured nodes, as the driver found them
   */
  SensitivityPartition(
      ModelFile modelFile,
      String sha256,
      List<InputColumn> inputs,
      ActivationScales scales,
      QdqOptions options,
      List<String> nodes) {
    this.modelFile = modelFile;
    this.sha256 = sha256;
    this.inputs = List.copyOf(inputs);
    this.scales = scales;
    this.options = options;
    this.nodes = List.copyOf(nodes);
  }

  @Override
  public Iterator<RowNoise> call(Iterator<InternalRow> partition) throws Exception {
    List<RowInputs> rows = new ArrayList<>();
    while (partition.hasNext()) {
      rows.add(RowInputs.read(partition.next(), inputs));
    }
    if (rows.isEmpty()) {
      return List.<RowNoise>of().iterator();
    }
    SingleNodeModels models = models();
    List<float[][]> reference = new ArrayList<>();
    double[] signal = new double[rows.size()];
    try (OrtSession session = CaptureSessions.open(models.floatModel().toBytes())) {
      for (int r = 0; r < rows.size(); r++) {
        float[][] out = run(session, rows.get(r));
        reference.add(out);
        for (float[] o : out) {
          for (float v : o) {
            signal[r] += (double) v * v;
          }
        }
      }
    }
    double[][] noise = new double[rows.size()][nodes.size() + 1];
    for (int n = 0; n <= nodes.size(); n++) {
      OnnxModel quantized =
          n < nodes.size() ? models.quantizing(nodes.get(n)) : models.quantizingAll();
      try (OrtSession session = CaptureSessions.open(quantized.toBytes())) {
        for (int r = 0; r < rows.size(); r++) {
          noise[r][n] = squaredError(reference.get(r), run(session, rows.get(r)));
        }
      }
    }
    List<RowNoise> out = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      out.add(new RowNoise(rows.get(r).file(), rows.get(r).index(), signal[r], noise[r]));
    }
    return out.iterator();
  }

  /** The one-node models of the executor's copy of the model, checked against the driver's. */
  private SingleNodeModels models() throws IOException {
    byte[] bytes = modelFile.read();
    String read = ModelDigest.sha256(bytes);
    if (!read.equals(sha256)) {
      throw new IOException(
          "the model "
              + modelFile.location()
              + " read by this executor has SHA-256 "
              + read
              + ", not the driver's "
              + sha256
              + ": was it replaced during the run?");
    }
    try {
      SingleNodeModels models =
          SingleNodeModels.of(OnnxModel.parse(bytes, modelFile.location()), scales, options);
      if (!models.nodes().equals(nodes)) {
        throw new IllegalStateException(
            "the executor finds other nodes to measure than the driver");
      }
      return models;
    } catch (InputFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The model's float outputs for one row, in the session's output order. */
  private static float[][] run(OrtSession session, RowInputs row) throws OrtException {
    Map<String, OnnxTensor> feed = row.tensors(CaptureSessions.environment());
    try (OrtSession.Result result = session.run(feed)) {
      List<float[]> outputs = new ArrayList<>();
      for (Map.Entry<String, OnnxValue> e : result) {
        if (e.getValue() instanceof OnnxTensor t && t.getFloatBuffer() != null) {
          FloatBuffer buffer = t.getFloatBuffer();
          float[] values = new float[buffer.remaining()];
          buffer.get(values);
          outputs.add(values);
        }
      }
      return outputs.toArray(float[][]::new);
    } catch (OrtException e) {
      throw new DumpRowException(
          row.where()
              + "ONNX Runtime cannot run the model on this row ("
              + row.shapes()
              + "): "
              + e.getMessage());
    } finally {
      RowInputs.close(feed);
    }
  }

  private static double squaredError(float[][] reference, float[][] quantized) {
    double sum = 0;
    for (int o = 0; o < reference.length; o++) {
      for (int i = 0; i < reference[o].length; i++) {
        double d = (double) reference[o][i] - quantized[o][i];
        sum += d * d;
      }
    }
    return sum;
  }
}
