package dev.qcal.jobs.capture;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpSchema;
import dev.qcal.jobs.dump.InputErrors;
import dev.qcal.jobs.generate.LongRow;
import dev.qcal.jobs.output.DumpMarker;
import dev.qcal.jobs.output.OutputDirectory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code qcal capture}: runs an ONNX model with ONNX Runtime in Spark tasks over a Parquet dataset
 * of model inputs, and writes the activations it selects as a long-layout dump (columns {@code
 * tensor}, {@code values}) named by their ONNX tensor names, which {@code calibrate} reads like any
 * dump. It selects by default the activations {@code qdq} quantizes ({@link CaptureSelection}).
 *
 * <p>{@link #plan} checks everything it can on the driver before Spark starts: the model (read once
 * from its Hadoop path, parsed, digested, loaded by ONNX Runtime to learn the captured tensors'
 * types), and the dataset's columns against the model's inputs (from the first file's footer).
 * {@link #run} lets the executors read the model file themselves ({@link ModelFile}), runs {@link
 * CapturePartition} on each partition of the dataset, one ONNX Runtime session per executor ({@link
 * CaptureSessions}), and writes the dump through {@link OutputDirectory}: all of it, then {@code
 * _SUCCESS}, or nothing.
 */
public final class Capture {
  /** The directory of the dump's Parquet files inside the output directory. */
  public static final String TENSORS_DIR = "tensors";

  /** The default most values in one dump row (the long layout reads fastest at 10^4 to 10^5). */
  public static final int DEFAULT_VALUES_PER_ROW = 16384;

  private final CaptureModel model;
  private final ModelKey key;
  private final List<String> skipped;
  private final DumpFiles files;
  private final List<InputColumn> columns;
  private final StructType readSchema;
  private final int valuesPerRow;

  private Capture(
      CaptureModel model,
      ModelKey key,
      List<String> skipped,
      DumpFiles files,
      List<InputColumn> columns,
      StructType readSchema,
      int valuesPerRow) {
    this.model = model;
    this.key = key;
    this.skipped = skipped;
    this.files = files;
    this.columns = columns;
    this.readSchema = readSchema;
    this.valuesPerRow = valuesPerRow;
  }

  /** What a capture wrote. */
  public record Result(List<String> tensors, long rows, long values, String path) {}

  /**
   * Checks a capture on the driver, before Spark starts.
   *
   * @param modelPath the ONNX model, any Hadoop file system path
   * @param inputs the dataset: Parquet files, directories or globs
   * @param tensors which activations to capture
   * @param valuesPerRow the most values in one dump row
   * @param conf the Hadoop configuration the run will have
   * @throws JobException (usage) for a bad option, (input) naming the file, input or tensor when
   *     the model or the dataset cannot be captured
   */
  public static Capture plan(
      String modelPath,
      List<String> inputs,
      CaptureSelection tensors,
      int valuesPerRow,
      Configuration conf) {
    if (valuesPerRow < 1) {
      throw JobException.usage("--values-per-row must be at least 1 (" + valuesPerRow + ")");
    }
    CaptureModel model = CaptureModel.read(modelPath, conf);
    List<String> selected = tensors.select(model);
    List<String> floats = floatTensors(model, selected);
    List<String> skipped = new ArrayList<>(selected);
    skipped.removeAll(floats);
    if (floats.isEmpty()) {
      throw JobException.input(
          "Model "
              + modelPath
              + ": none of the selected tensors is FLOAT ("
              + String.join(", ", skipped)
              + "); capture writes float activations");
    }
    DumpFiles files = DumpFiles.list(inputs, conf);
    StructType schema = DumpSchema.read(files.first(), conf);
    List<InputColumn> columns =
        DatasetInputs.check(schema, files.first().toString(), model.inputs());
    return new Capture(
        model,
        new ModelKey(model.sha256(), floats),
        List.copyOf(skipped),
        files,
        columns,
        DatasetInputs.readSchema(schema, columns),
        valuesPerRow);
  }

  /**
   * The tensors of {@code selected} that are FLOAT, as ONNX Runtime types them when it loads the
   * exposed model (this JVM's session, which the tasks reuse in local mode). Other tensors (shape
   * arithmetic in int64, masks in bool) are not activations to calibrate.
   */
  private static List<String> floatTensors(CaptureModel model, List<String> selected) {
    ModelKey key = new ModelKey(model.sha256(), selected);
    try (CaptureSessions.Lease lease =
        CaptureSessions.acquire(key, () -> model.exposed(selected))) {
      Map<String, NodeInfo> outputs = lease.session().getOutputInfo();
      List<String> floats = new ArrayList<>();
      for (String name : selected) {
        NodeInfo info = outputs.get(name);
        if (info != null
            && info.getInfo() instanceof TensorInfo t
            && t.type == OnnxJavaType.FLOAT) {
          floats.add(name);
        }
      }
      return floats;
    } catch (OrtException e) {
      throw JobException.input(
          "ONNX Runtime cannot load model " + model.path() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("the model is in memory", e);
    }
  }

  /** The captured tensors, in graph order. */
  public List<String> tensors() {
    return key.outputs();
  }

  /** Selected tensors that are not FLOAT and are not captured. */
  public List<String> skipped() {
    return skipped;
  }

  /** Runs the capture and commits the dump to {@code output}. */
  public Result run(SparkSession spark, OutputDirectory output) {
    SparkContext sc = spark.sparkContext();
    ModelFile file = ModelFile.of(model.path(), sc);
    LongAccumulator rows = sc.longAccumulator("qcal capture: dataset rows");
    LongAccumulator values = sc.longAccumulator("qcal capture: values");
    JavaRDD<LongRow> captured =
        DatasetInputs.readWithPositions(spark, readSchema, files)
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(new CapturePartition(key, file, columns, valuesPerRow, rows, values));
    Dataset<Row> dump =
        spark
            .createDataset(captured.rdd(), Encoders.bean(LongRow.class))
            .select("tensor", "values");
    sc.setJobDescription("qcal: capture (ONNX Runtime over the dataset, dump written)");
    output.commit(
        commit -> {
          commit.writeDirectory(
              TENSORS_DIR,
              dir -> {
                write(dump, dir);
                if (rows.value() == 0) {
                  throw JobException.input(
                      "The dataset "
                          + String.join(",", files.inputs())
                          + " holds no row: nothing to capture");
                }
              });
          commit.write(
              DumpMarker.FILE,
              out ->
                  DumpMarker.write(
                      out, "capture", model.path(), tensors(), rows.value(), values.value()));
        });
    return new Result(tensors(), rows.value(), values.value(), output.path().toString());
  }

  private static void write(Dataset<Row> dump, Path dir) {
    try {
      dump.write().parquet(dir.toString());
    } catch (Exception e) { // SparkException is checked, and Scala throws it anyway
      Exception classified = InputErrors.classify(e);
      if (classified instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("The capture job failed: " + e.getMessage(), e);
    }
  }
}
