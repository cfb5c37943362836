package dev.qcal.jobs.capture;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.jobs.dump.DumpRowException;
import dev.qcal.jobs.generate.LongRow;
import dev.qcal.onnx.ExposedModel;
import dev.qcal.onnx.ModelDigest;
import dev.qcal.onnx.OnnxModel;
import java.io.IOException;
import java.io.Serializable;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

/**
 * One task of a capture: runs the exposed model on each dataset row of its partition, in order, and
 * turns each captured tensor into long-layout rows of at most {@code valuesPerRow} values, in the
 * order of {@code tensors}. Lazy and bounded: one dataset row is run at a time, and while its rows
 * are handed to the writer the task holds that row's inputs, ONNX Runtime's outputs for it and one
 * captured tensor copied to the heap.
 *
 * <p>The rows read are the input columns of {@link DatasetInputs#readSchema} followed by the file
 * path and row index (Spark's {@code _metadata}), which name a bad row in its error.
 */
final class CapturePartition
    implements FlatMapFunction<Iterator<InternalRow>, LongRow>, Serializable {
  private static final long serialVersionUID = 1L;

  private final ModelKey key;
  private final ModelFile modelFile;
  private final List<InputColumn> inputs;
  private final int valuesPerRow;
  private final LongAccumulator rows;
  private final LongAccumulator values;

  /**
   * @param key the exposed model (the model file's digest and the captured tensors)
   * @param modelFile where the executors read the model
   * @param inputs the model's input columns, in read-schema order
   * @param valuesPerRow the most values in one output row
   * @param rows counts the dataset rows run
   * @param values counts the values captured
   */
  CapturePartition(
      ModelKey key,
      ModelFile modelFile,
      List<InputColumn> inputs,
      int valuesPerRow,
      LongAccumulator rows,
      LongAccumulator values) {
    this.key = key;
    this.modelFile = modelFile;
    this.inputs = List.copyOf(inputs);
    this.valuesPerRow = valuesPerRow;
    this.rows = rows;
    this.values = values;
  }

  @Override
  public Iterator<LongRow> call(Iterator<InternalRow> partition) throws Exception {
    if (!partition.hasNext()) {
      return Collections.emptyIterator();
    }
    CaptureSessions.Lease lease = CaptureSessions.acquire(key, this::exposedModel);
    Rows rows = new Rows(partition, lease);
    // A task that ends before its rows are all written (a failed write, a killed task) still
    // releases its session and ONNX Runtime's outputs.
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> rows.closeAll());
    }
    return rows;
  }

  /** The model file, checked against the driver's digest, with the tensors exposed. */
  private byte[] exposedModel() throws IOException {
    byte[] bytes = modelFile.read();
    String sha256 = ModelDigest.sha256(bytes);
    if (!sha256.equals(key.sha256())) {
      throw new IOException(
          "the model "
              + modelFile.location()
              + " read by this executor has SHA-256 "
              + sha256
              + ", not the driver's "
              + key.sha256()
              + ": was it replaced during the run?");
    }
    try {
      return ExposedModel.withOutputs(OnnxModel.parse(bytes, modelFile.location()), key.outputs())
          .toBytes();
    } catch (InputFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The output rows of a partition, produced as the writer asks for them. */
  private final class Rows implements Iterator<LongRow> {
    private final Iterator<InternalRow> partition;
    private final CaptureSessions.Lease lease;
    private final Set<String> requested = new LinkedHashSet<>();
    private final Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    private OrtSession.Result result;
    private int tensor;
    private float[] current;
    private int offset;
    private boolean done;

    Rows(Iterator<InternalRow> partition, CaptureSessions.Lease lease) {
      this.partition = partition;
      this.lease = lease;
      this.requested.addAll(key.outputs());
    }

    @Override
    public boolean hasNext() {
      while (!done && (current == null || offset >= current.length)) {
        advance();
      }
      return !done;
    }

    @Override
    public LongRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int to = (int) Math.min(current.length, (long) offset + valuesPerRow);
      LongRow row = new LongRow(key.outputs().get(tensor), Arrays.copyOfRange(current, offset, to));
      offset = to;
      return row;
    }

    /** Moves to the next captured tensor, running the next dataset row when this one is done. */
    private void advance() {
      try {
        if (result != null && tensor + 1 < key.outputs().size()) {
          tensor++;
          load();
          return;
        }
        closeResult();
        if (!partition.hasNext()) {
          done = true;
          lease.close();
          return;
        }
        result = run(partition.next());
        tensor = 0;
        load();
      } catch (OrtException e) {
        closeAll();
        throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        closeAll();
        throw e;
      }
    }

    /** Copies the current tensor of the current result to the heap. */
    private void load() throws OrtException {
      String name = key.outputs().get(tensor);
      OnnxValue value =
          result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
      if (!(value instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
        throw new IllegalStateException("tensor '" + name + "' is not FLOAT: " + value.getInfo());
      }
      FloatBuffer buffer = t.getFloatBuffer();
      current = new float[buffer.remaining()];
      buffer.get(current);
      offset = 0;
      values.add(current.length);
    }

    /**
     * Runs the model on one dataset row. The fed tensors stay open with the result: an exposed
     * graph input is returned as the fed tensor's own memory, which closing it would free.
     */
    private OrtSession.Result run(InternalRow row) throws OrtException {
      RowInputs in = RowInputs.read(row, inputs);
      feed.putAll(in.tensors(CaptureSessions.environment()));
      OrtSession.Result out;
      try {
        out = lease.session().run(feed, requested);
      } catch (OrtException e) {
        RowInputs.close(feed);
        throw new DumpRowException(
            in.where()
                + "ONNX Runtime cannot run the model on this row ("
                + in.shapes()
                + "): "
                + e.getMessage());
      }
      rows.add(1);
      return out;
    }

    private void closeResult() {
      if (result != null) {
        result.close();
        result = null;
      }
      RowInputs.close(feed);
      current = null;
    }

    private void closeAll() {
      closeResult();
      done = true;
      lease.close();
    }
  }
}
