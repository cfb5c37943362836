package dev.qcal.jobs.capture;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.capture.SensitivityPartition.RowNoise;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpSchema;
import dev.qcal.jobs.dump.InputErrors;
import dev.qcal.jobs.output.OutputDirectory;
import dev.qcal.onnx.qdq.ActivationScales;
import dev.qcal.onnx.qdq.QdqOptions;
import dev.qcal.onnx.qdq.QdqUsageException;
import dev.qcal.onnx.qdq.SingleNodeModels;
import dev.qcal.onnx.sensitivity.NodeSensitivity;
import dev.qcal.onnx.sensitivity.SensitivityJson;
import dev.qcal.onnx.sensitivity.SensitivityReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * {@code qcal sensitivity}: what quantizing each node alone costs an ONNX model's output, measured
 * with ONNX Runtime in Spark tasks over a dataset of the model's inputs (capture's format), written
 * as {@code sensitivity.json} and {@code sensitivity.csv}, worst node first ({@link
 * SensitivityReport}), which {@code qdq --keep-float-from} reads.
 *
 * <p>For each node {@code qdq} would quantize with the same table, method and options, the model
 * with that node alone quantized ({@link SingleNodeModels}) runs on the samples beside the float
 * model, and its output SQNR is {@code 10 log10(sum f^2 / sum (f - q)^2)} over every float output
 * and sample; the model with every node quantized gives the reference line. It is PPQ's layer-wise
 * error analysis, measured at the model's outputs (where it counts) rather than at each layer's.
 *
 * <p>The samples are the first {@code samples} rows of the dataset by file and row index, the same
 * rows whatever the partitioning; they are spread over the tasks (a shuffle of those rows only).
 * Each task returns one sum per row and node, and the driver adds them in dataset order, so the
 * report's bytes do not depend on the partitioning either. {@link #plan} checks the model, table,
 * options and dataset before Spark starts.
 */
public final class Sensitivity {
  /** The report's file. */
  public static final String JSON_FILE = "sensitivity.json";

  /** The report as CSV. */
  public static final String CSV_FILE = "sensitivity.csv";

  private final CaptureModel model;
  private final String table;
  private final ActivationScales scales;
  private final QdqOptions options;
  private final List<String> nodes;
  private final List<String> ops;
  private final int unnamed;
  private final int samples;
  private final DumpFiles files;
  private final List<InputColumn> columns;
  private final StructType readSchema;

  private Sensitivity(
      CaptureModel model,
      String table,
      ActivationScales scales,
      QdqOptions options,
      SingleNodeModels models,
      int samples,
      DumpFiles files,
      List<InputColumn> columns,
      StructType readSchema) {
    this.model = model;
    this.table = table;
    this.scales = scales;
    this.options = options;
    this.nodes = models.nodes();
    this.ops = nodes.stream().map(models::op).toList();
    this.unnamed = models.unnamed();
    this.samples = samples;
    this.files = files;
    this.columns = columns;
    this.readSchema = readSchema;
  }

  /**
   * Checks a sensitivity run on the driver, before Spark starts.
   *
   * @param modelPath the float ONNX model, any Hadoop file system path
   * @param table the calibration table's path, named in the report
   * @param scales the table's scales for the method and scheme measured
   * @param options the Q/DQ options qdq will be given
   * @param inputs the dataset: Parquet files, directories or globs
   * @param samples the most dataset rows to run
   * @param conf the Hadoop configuration the run will have
   * @throws JobException (usage) for a bad option, (input) naming the file or input when the model
   *     or dataset cannot be measured
   */
  public static Sensitivity plan(
      String modelPath,
      String table,
      ActivationScales scales,
      QdqOptions options,
      List<String> inputs,
      int samples,
      Configuration conf) {
    if (samples < 1) {
      throw JobException.usage("--samples must be at least 1 (" + samples + ")");
    }
    CaptureModel model = CaptureModel.read(modelPath, conf);
    SingleNodeModels models;
    try {
      models = SingleNodeModels.of(model.model(), scales, options);
      // Written once here so that a weight qdq refuses (NaN, infinities) is named before Spark
      // starts, not by every task.
      models.quantizingAll();
    } catch (QdqUsageException e) {
      throw JobException.usage(e.getMessage());
    } catch (InputFormatException e) {
      throw JobException.input(e.getMessage(), e);
    }
    if (models.nodes().isEmpty()) {
      throw JobException.input(
          "Model "
              + modelPath
              + ": no named node gets Q/DQ with ops "
              + String.join(",", options.ops())
              + " and the scales of "
              + table
              + ": nothing to measure");
    }
    DumpFiles files = DumpFiles.list(inputs, conf);
    StructType schema = DumpSchema.read(files.first(), conf);
    List<InputColumn> columns =
        DatasetInputs.check(schema, files.first().toString(), model.inputs());
    return new Sensitivity(
        model,
        table,
        scales,
        options,
        models,
        samples,
        files,
        columns,
        DatasetInputs.readSchema(schema, columns));
  }

  /** The nodes measured, in graph order. */
  public List<String> nodes() {
    return nodes;
  }

  /** How many quantized nodes have no name and are not measured. */
  public int unnamed() {
    return unnamed;
  }

  /** Runs the models on the samples and commits the report to {@code output}. */
  public SensitivityReport run(SparkSession spark, OutputDirectory output) {
    SparkContext sc = spark.sparkContext();
    ModelFile file = ModelFile.of(model.path(), sc);
    Dataset<Row> rows = DatasetInputs.readWithPositions(spark, readSchema, files);
    sc.setJobDescription("qcal sensitivity: the first " + samples + " rows of the dataset");
    rows = firstRows(rows);
    int tasks = Math.max(1, Math.min(samples, sc.defaultParallelism()));
    sc.setJobDescription(
        "qcal sensitivity: the float model and " + (nodes.size() + 1) + " Q/DQ models");
    List<RowNoise> noises;
    try {
      noises =
          rows.repartition(tasks)
              .queryExecution()
              .toRdd()
              .toJavaRDD()
              .mapPartitions(
                  new SensitivityPartition(file, model.sha256(), columns, scales, options, nodes))
              .collect();
    } catch (Exception e) { // SparkException is checked, and Scala throws it anyway
      Exception classified = InputErrors.classify(e);
      if (classified instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("The sensitivity job failed: " + e.getMessage(), e);
    }
    if (noises.isEmpty()) {
      throw JobException.input(
          "The dataset " + String.join(",", files.inputs()) + " holds no row: nothing to measure");
    }
    SensitivityReport report = report(noises);
    output.commit(
        commit -> {
          commit.write(JSON_FILE, out -> SensitivityJson.write(report, out));
          commit.write(CSV_FILE, out -> SensitivityJson.writeCsv(report, out));
        });
    return report;
  }

  /**
   * The first {@link #samples} rows by file path and row index: the rows of the files before the
   * last file they reach, and that file's first rows. Only the two key columns are sorted.
   */
  private Dataset<Row> firstRows(Dataset<Row> rows) {
    List<Row> keys =
        rows.select("file_path", "row_index")
            .orderBy("file_path", "row_index")
            .limit(samples)
            .collectAsList();
    if (keys.size() < samples) {
      return rows;
    }
    Row last = keys.get(keys.size() - 1);
    Column path = rows.col("file_path");
    return rows.filter(
        path.lt(last.getString(0))
            .or(path.equalTo(last.getString(0)).and(rows.col("row_index").leq(last.getLong(1)))));
  }

  /** The rows' sums added in dataset order, per node, into the report. */
  private SensitivityReport report(List<RowNoise> rows) {
    List<RowNoise> ordered = new ArrayList<>(rows);
    ordered.sort(Comparator.comparing(RowNoise::file).thenComparingLong(RowNoise::index));
    double signal = 0;
    double[] noise = new double[nodes.size() + 1];
    for (RowNoise r : ordered) {
      signal += r.signal();
      for (int n = 0; n < noise.length; n++) {
        noise[n] += r.noise()[n];
      }
    }
    List<NodeSensitivity> measured = new ArrayList<>();
    for (int n = 0; n < nodes.size(); n++) {
      measured.add(
          new NodeSensitivity(nodes.get(n), ops.get(n), NodeSensitivity.sqnrDb(signal, noise[n])));
    }
    return new SensitivityReport(
        model.path(),
        model.sha256(),
        table,
        scales.method(),
        scales.scheme().key(),
        ordered.size(),
        NodeSensitivity.sqnrDb(signal, noise[nodes.size()]),
        measured);
  }
}
