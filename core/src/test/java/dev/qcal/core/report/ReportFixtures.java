package dev.qcal.core.report;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Synthetic tensors calibrated by the real calibrators, for the report tests. */
final class ReportFixtures {
  static final long SEED = 20240607L;
  static final List<String> METHODS = List.of("max", "percentile@99.99", "mse", "octav");
  static final QuantSpec INT8 = QuantSpec.symmetric(8);

  private ReportFixtures() {}

  /**
   * The tensor's statistics: ABSOLUTE and SIGNED histograms (2048 bins) plus what the methods need.
   */
  static TensorStatistics statistics(float[] values, Set<Domain> domains) {
    RangeStats range = RangeStats.of(values);
    Set<Domain> all = EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED);
    all.addAll(domains);
    List<Histogram> hs = new ArrayList<>();
    for (Domain d : all) {
      HistogramSpec spec = HistogramSpec.forStats(d, range, HistogramSpec.DEFAULT_BINS);
      hs.add(new HistogramAccumulator(spec).add(values).snapshot());
    }
    return TensorStatistics.of(range, hs.toArray(new Histogram[0]));
  }

  static ReportTensor tensor(String name, float[] values, TensorCalibrator calibrator) {
    TensorStatistics stats = statistics(values, calibrator.domains());
    return ReportTensor.of(calibrator.calibrate(name, stats), stats);
  }

  static float[] gaussian(Random random, int n, double sigma) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * sigma);
    }
    return v;
  }

  static float[] relu(Random random, int n) {
    float[] v = gaussian(random, n, 1.5);
    for (int i = 0; i < n; i++) {
      v[i] = Math.max(0f, v[i]);
    }
    return v;
  }

  /** The browser test's model: gaussian, relu (with NaN/Inf), all-zero, and a hostile name. */
  static ReportModel sample() {
    Random random = new Random(SEED);
    TensorCalibrator calibrator = new TensorCalibrator(METHODS, INT8);
    float[] relu = relu(random, 20_000);
    relu[0] = Float.NaN;
    relu[1] = Float.POSITIVE_INFINITY;
    float[] heavy = gaussian(random, 20_000, 1.0);
    for (int i = 0; i < 40; i++) {
      heavy[i] *= 25;
    }
    List<ReportTensor> tensors =
        List.of(
            tensor("conv1/Relu:0", relu, calibrator),
            tensor("encoder.layer.0.attention.output", gaussian(random, 20_000, 0.8), calibrator),
            tensor("all_zero", new float[1000], calibrator),
            tensor("<script>alert(1)</script>", heavy, calibrator));
    RunSummary summary =
        RunSummary.builder()
            .input("data/sample/activations.parquet")
            .rows(61_000)
            .values(61_000)
            .nonFinite(1, 1)
            .stage("scan", Duration.ofMillis(1234))
            .stage("histograms", Duration.ofMillis(2345))
            .stage("calibrate", Duration.ofMillis(345))
            .qcalVersion("0.1.0-SNAPSHOT")
            .sparkVersion("4.0.0")
            .quant(INT8)
            .build();
    return new ReportModel(tensors, summary);
  }
}
