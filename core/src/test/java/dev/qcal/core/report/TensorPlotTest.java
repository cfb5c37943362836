package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.TensorCalibration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A summary-table row's plot built alone equals the full plot's summary. */
class TensorPlotTest {
  @Test
  void summaryOfARowWithoutCurvesIsTheFullPlotsSummary() {
    float[] v = ReportFixtures.relu(new Random(9), 3000);
    TensorStatistics stats =
        ReportFixtures.statistics(v, EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED));
    TensorCalibrator calibrator =
        new TensorCalibrator(
            List.of("entropy", "percentile", "mse", "max"), QuantSpec.symmetric(8));
    TensorCalibration row = calibrator.calibrate("t", stats);
    TensorPlot full = TensorPlot.of(row, stats);
    TensorPlot summary = TensorPlot.summaryOf(calibrator.calibrateWithoutCurves("t", stats), stats);
    assertTrue(full.histogram().isPresent() && full.curves().isPresent());
    assertTrue(summary.histogram().isEmpty() && summary.curves().isEmpty());
    assertEquals(full.summaryOnly().metrics(), summary.metrics());
    assertEquals(4, summary.metrics().size());
  }
}
