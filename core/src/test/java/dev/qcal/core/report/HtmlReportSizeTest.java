package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorCalibration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: "the file stays under a few MB per thousand tensors". A thousand tensors with four
 * methods (max, percentile, mse, octav), calibrated by the real calibrators on 2048-bin histograms,
 * render in about 6.1 MB (5.4 MB before issue 14 labelled every plot's axes, about 90 bytes a plot,
 * and let names wrap at their separators only) and must stay under 6.5 MB. A worst case where each
 * of four methods has a 2048-point curve of pure noise (nothing to thin: 400 points drawn per
 * curve) is about 18 MB and must stay under 20 MB.
 */
class HtmlReportSizeTest {
  private static final int TENSORS = 1000;

  @Test
  void thousandCalibratedTensorsWithFourMethodsFitInAFewMegabytes() throws IOException {
    Random random = new Random(ReportFixtures.SEED);
    TensorCalibrator calibrator = new TensorCalibrator(ReportFixtures.METHODS, ReportFixtures.INT8);
    // Eight distinct shapes (calibrating a thousand would only slow the test), each under many
    // names.
    List<ReportTensor> shapes = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      float[] v =
          k % 2 == 0
              ? ReportFixtures.gaussian(random, 50_000, 0.5 + k)
              : ReportFixtures.relu(random, 50_000);
      for (int i = 0; i < 10 * k; i++) {
        v[i] *= 20; // a few outliers of growing weight
      }
      shapes.add(ReportFixtures.tensor("shape" + k, v, calibrator));
    }
    List<ReportTensor> tensors = new ArrayList<>();
    for (int i = 0; i < TENSORS; i++) {
      ReportTensor s = shapes.get(i % shapes.size());
      String name = String.format("model.layers.%d.mlp.down_proj/output_%d:0", i / 4, i % 4);
      tensors.add(new ReportTensor(rename(s.row(), name), s.plot()));
    }
    byte[] page =
        HtmlReport.render(new ReportModel(tensors, RunSummary.EMPTY))
            .getBytes(StandardCharsets.UTF_8);
    // Kept for a look in a browser: how a thousand-tensor report feels.
    Files.createDirectories(Paths.get("target"));
    Files.write(Paths.get("target", "report-1000.html"), page);
    int bytes = page.length;
    System.out.printf(
        "report size, %d tensors x %d methods (calibrated): %d bytes (%.2f MB)%n",
        TENSORS, ReportFixtures.METHODS.size(), bytes, bytes / 1e6);
    assertTrue(bytes < 6_500_000, "report of 1000 tensors is " + bytes + " bytes");
  }

  @Test
  void worstCaseNoisyCurvesStayBounded() {
    Random random = new Random(ReportFixtures.SEED);
    float[] values = ReportFixtures.gaussian(random, 50_000, 1);
    ReportTensor base =
        ReportFixtures.tensor(
            "base", values, new TensorCalibrator(List.of("max"), ReportFixtures.INT8));
    RangeStats stats = base.row().stats();
    List<ReportTensor> tensors = new ArrayList<>();
    for (int i = 0; i < TENSORS; i++) {
      Map<String, CalibrationResult> results = new LinkedHashMap<>();
      Map<String, MethodMetrics> metrics = new LinkedHashMap<>();
      for (String method : List.of("a", "b", "c", "d")) {
        List<SearchPoint> curve = new ArrayList<>();
        for (int j = 1; j <= 2048; j++) {
          curve.add(new SearchPoint(j * 0.002, 1e-3 + random.nextDouble()));
        }
        results.put(
            method,
            CalibrationResult.builder(
                    method, ClipRange.symmetric(2 + random.nextDouble()), ReportFixtures.INT8)
                .objective(random.nextDouble())
                .curve("kl", curve)
                .build());
        metrics.put(method, base.plot().metrics("max"));
      }
      tensors.add(
          new ReportTensor(
              new TensorCalibration("t" + i, stats, results),
              TensorPlot.of(base.plot().histogram().orElseThrow(), metrics)));
    }
    int bytes = size(new ReportModel(tensors, RunSummary.EMPTY));
    System.out.printf(
        "report size, %d tensors x 4 noisy 2048-point curves: %d bytes (%.2f MB)%n",
        TENSORS, bytes, bytes / 1e6);
    assertTrue(bytes < 20_000_000, "worst-case report of 1000 tensors is " + bytes + " bytes");
  }

  private static TensorCalibration rename(TensorCalibration row, String name) {
    return new TensorCalibration(name, row.stats(), row.results());
  }

  private static int size(ReportModel model) {
    return HtmlReport.render(model).getBytes(StandardCharsets.UTF_8).length;
  }
}
