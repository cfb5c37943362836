package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReportModelTest {
  private static final TensorCalibrator CALIBRATOR =
      new TensorCalibrator(List.of("max", "mse"), ReportFixtures.INT8);

  private static ReportTensor tensor(String name) {
    return ReportFixtures.tensor(name, ReportFixtures.gaussian(new Random(1), 1000, 1), CALIBRATOR);
  }

  @Test
  void sortsTensorsByName() {
    ReportModel model =
        new ReportModel(List.of(tensor("b"), tensor("B"), tensor("a")), RunSummary.EMPTY);
    assertEquals(List.of("B", "a", "b"), model.tensors().stream().map(ReportTensor::name).toList());
    assertEquals(List.of("max", "mse"), model.methods());
  }

  @Test
  void rejectsDuplicateNames() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ReportModel(List.of(tensor("x"), tensor("x")), RunSummary.EMPTY));
    assertEquals("Cannot build a report: tensor 'x' appears twice", e.getMessage());
  }

  @Test
  void ofTablePairsRowsWithTheirPlots() {
    ReportTensor a = tensor("a");
    ReportTensor b = tensor("b");
    CalibrationTable table =
        CalibrationTable.of(List.of(b.row(), a.row()), List.of("max", "mse"), ReportFixtures.INT8);
    ReportModel model = ReportModel.of(table, Map.of("a", a.plot()), RunSummary.EMPTY);
    assertSame(a.plot(), model.tensors().get(0).plot());
    assertSame(TensorPlot.NONE, model.tensors().get(1).plot());
  }

  @Test
  void plotUsesTheAbsoluteHistogramForSymmetricAndTheSignedForAffine() {
    float[] v = ReportFixtures.gaussian(new Random(2), 5000, 1);
    TensorStatistics stats = ReportFixtures.statistics(v, EnumSet.noneOf(Domain.class));
    TensorPlot symmetric = TensorPlot.of(CALIBRATOR.calibrate("s", stats), stats);
    assertEquals(Domain.ABSOLUTE, symmetric.histogram().orElseThrow().domain());
    assertEquals(256, symmetric.histogram().orElseThrow().binCount());
    assertEquals(v.length, symmetric.histogram().orElseThrow().total());
    assertEquals(List.of("max", "mse"), List.copyOf(symmetric.metrics().keySet()));
    // max clips nothing; the SQNR of an int8 max-calibrated gaussian is around 35-45 dB.
    assertEquals(0.0, symmetric.metrics("max").clippedFraction());
    double sqnr = symmetric.metrics("max").noise().sqnrDb();
    assertTrue(sqnr > 30 && sqnr < 50, "SQNR " + sqnr);

    TensorCalibrator affine = new TensorCalibrator(List.of("max"), QuantSpec.affine(8));
    TensorPlot a = TensorPlot.of(affine.calibrate("a", stats), stats);
    assertEquals(Domain.SIGNED, a.histogram().orElseThrow().domain());
  }

  @Test
  void plotWithoutHistogramsHasUnknownMetrics() {
    RangeStats nanOnly = RangeStats.of(Float.NaN, Float.NaN);
    TensorStatistics stats = TensorStatistics.of(nanOnly, new Histogram[0]);
    TensorCalibration row =
        new TensorCalibrator(List.of("max"), ReportFixtures.INT8).calibrate("n", stats);
    TensorPlot plot = TensorPlot.of(row, stats);
    assertFalse(plot.histogram().isPresent());
    assertSame(MethodMetrics.UNKNOWN, plot.metrics("max"));
    assertSame(MethodMetrics.UNKNOWN, plot.metrics("absent"));
    // It still renders: a section saying there is no histogram.
    String html =
        HtmlReport.render(new ReportModel(List.of(new ReportTensor(row, plot)), RunSummary.EMPTY));
    assertTrue(html.contains("No histogram"));
  }

  @Test
  void plotIsSerializableForTheTripFromExecutorToDriver() throws Exception {
    ReportTensor full = tensor("a");
    TensorPlot plot = full.plot();
    byte[] bytes = serialized(plot);
    TensorPlot back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      back = (TensorPlot) in.readObject();
    }
    assertEquals(plot.histogram(), back.histogram());
    assertEquals(plot.metrics(), back.metrics());
    // The row travels without its curves; the plot's thinned ones draw the same page.
    ReportTensor travelled = new ReportTensor(full.row().withoutCurves(), back);
    assertEquals(render(full), render(travelled));
    // 257 edges and 256 counts (8 bytes each) plus two metrics: about 5 KB, against 32 KB for the
    // two 2048-bin histograms it was computed from; the thinned curves add at most 400 points
    // (16 bytes each) per curve, against thousands of SearchPoint objects in the full row.
    int summary = serialized(plot.summaryOnly()).length;
    assertTrue(summary < 6000, "a plot's summary travels in " + summary + " bytes");
    int curves = bytes.length - summary;
    int rowCurves = serialized(full.row()).length - serialized(full.row().withoutCurves()).length;
    assertTrue(
        curves * 3 < rowCurves,
        "thinned curves " + curves + " bytes against the row's own " + rowCurves);
  }

  private static byte[] serialized(Object o) throws java.io.IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static String render(ReportTensor t) {
    return HtmlReport.render(new ReportModel(List.of(t), RunSummary.EMPTY));
  }

  @Test
  void summaryKeepsStageOrder() {
    RunSummary s =
        RunSummary.builder()
            .stage("b", java.time.Duration.ofSeconds(1))
            .stage("a", java.time.Duration.ofSeconds(2))
            .build();
    assertEquals(List.of("b", "a"), List.copyOf(s.stages().keySet()));
    assertTrue(RunSummary.EMPTY.inputs().isEmpty());
    assertFalse(RunSummary.EMPTY.values().isPresent());
  }
}
