package dev.qcal.jobs.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.jobs.testing.Datasets;
import dev.qcal.jobs.testing.Datasets.Sample;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.onnx.ocr.OcrSets;
import dev.qcal.onnx.ocr.PaddleInputs;
import dev.qcal.onnx.ocr.TextLineRenderer.Line;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code data/capture/}, the dataset of the {@code capture} example (README, docs/onnx-models.md):
 * four text lines for PaddleOCR's orientation classifier (input {@code x} of shape [1, 3, 48, 192]
 * with its {@code x_shape}, and the word as a {@code text} column capture ignores), rendered by
 * {@link OcrSets}' line renderer (seeded lines of the recognizer's dictionary) and resized as
 * PaddleOCR's classifier does. Checked here against what the classifier takes; rewritten with
 * {@code -Dqcal.data.update=true} (then review and commit it: the rendering depends on the JDK's
 * font rasterizer, so the bytes are not compared).
 */
@ExtendWith(SharedSpark.class)
class SampleLinesTest {
  static final Path DIR = Qcal.ROOT.resolve("data/capture");
  static final int LINES = 4;
  static final int WIDTH = PaddleInputs.CLASSIFIER_WIDTH;

  @Test
  void theReadmesDatasetFitsTheClassifier(SparkSession spark) throws IOException {
    if (Boolean.getBoolean("qcal.data.update")) {
      write(spark);
    }
    List<Row> rows = spark.read().parquet(DIR.toString()).collectAsList();
    assertEquals(LINES, rows.size());
    assertEquals(
        "struct<text:string,x:array<float>,x_shape:array<int>>",
        spark.read().parquet(DIR.toString()).schema().simpleString());
    for (Row r : rows) {
      assertEquals(3 * PaddleInputs.LINE_HEIGHT * WIDTH, r.getList(1).size(), r.getString(0));
      assertArrayEquals(
          new Object[] {1, 3, PaddleInputs.LINE_HEIGHT, WIDTH},
          r.getList(2).toArray(),
          r.getString(0));
    }
  }

  private static void write(SparkSession spark) throws IOException {
    List<Sample> samples = new ArrayList<>();
    for (Line line : OcrSets.require().lines().lines(LINES, 2026)) {
      samples.add(Sample.input(line.text(), PaddleInputs.classifier(line.image())));
    }
    if (Files.exists(DIR)) {
      try (Stream<Path> old = Files.walk(DIR)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Datasets.write(spark, DIR, 1, samples);
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || name.equals("_SUCCESS")) {
          Files.delete(p); // Hadoop's checksums and marker: only the Parquet file is the dataset
        }
      }
    }
  }
}
