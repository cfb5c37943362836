package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.eval.QuantNoise;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.ChannelResult;
import dev.qcal.core.table.TensorCalibration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The report rows' byte form gives back every row as it was: every calibrator's results (curves,
 * details, notes), measured errors, per-channel results and plots, each map in its order and each
 * number by its bits.
 */
class ReportTensorBytesTest {
  private static final double NAN_PAYLOAD = Double.longBitsToDouble(0x7ff8_0000_0000_0123L);

  /** Tensors the calibrators treat differently: shapes, non-finite values, degenerate ones. */
  private static Map<String, float[]> tensors() {
    Random random = new Random(ReportFixtures.SEED);
    Map<String, float[]> t = new LinkedHashMap<>();
    t.put("gaussian", ReportFixtures.gaussian(random, 5_000, 0.8));
    float[] relu = ReportFixtures.relu(random, 5_000);
    relu[0] = Float.NaN;
    relu[1] = Float.POSITIVE_INFINITY;
    relu[2] = Float.NEGATIVE_INFINITY;
    t.put("conv1/Relu:0 é🙂", relu);
    t.put("all zero", new float[100]);
    t.put("single value", new float[] {-0.5f});
    t.put("nan only", new float[] {Float.NaN});
    t.put("", new float[0]);
    return t;
  }

  @Test
  void everyCalibratorsRowsComeBackAsTheyWere() {
    List<String> methods = new ArrayList<>(Calibrators.names());
    methods.add("percentile@99.9");
    List<ReportTensor> rows = new ArrayList<>();
    for (QuantSpec quant :
        List.of(QuantSpec.symmetric(8), QuantSpec.affine(8), QuantSpec.unsigned(4))) {
      TensorCalibrator calibrator = new TensorCalibrator(methods, quant);
      for (Map.Entry<String, float[]> t : tensors().entrySet()) {
        TensorStatistics stats = ReportFixtures.statistics(t.getValue(), calibrator.domains());
        TensorCalibration row = calibrator.calibrate(t.getKey(), stats);
        TensorCalibration bare = calibrator.calibrateWithoutCurves(t.getKey(), stats);
        rows.add(new ReportTensor(row, TensorPlot.NONE)); // the row's own full curves
        rows.add(new ReportTensor(row.withoutCurves(), TensorPlot.of(row, stats)));
        rows.add(new ReportTensor(bare, TensorPlot.summaryOf(bare, stats)));
        rows.add(ReportTensor.of(row, stats).summaryOnly());
      }
    }
    assertTrue(rows.stream().anyMatch(r -> r.plot().histogram().isPresent()));
    assertTrue(rows.stream().anyMatch(r -> !r.row().results().get("wq").details().isEmpty()));
    assertRoundTrip(rows);
  }

  @Test
  void perChannelRowsComeBackAsTheyWere() {
    QuantSpec quant = QuantSpec.affine(8);
    List<String> methods = List.of("max", "percentile@99.9", "mse");
    TensorCalibrator calibrator = new TensorCalibrator(methods, quant);
    Random random = new Random(7);
    List<float[]> channels =
        List.of(
            ReportFixtures.gaussian(random, 1_000, 2.0),
            new float[50],
            ReportFixtures.relu(random, 1_000),
            new float[] {3f, 3f});
    List<RangeStats> stats = new ArrayList<>();
    Map<String, List<CalibrationResult>> perMethod = new LinkedHashMap<>();
    for (int c = 0; c < channels.size(); c++) {
      TensorStatistics s = ReportFixtures.statistics(channels.get(c), calibrator.domains());
      stats.add(s.range());
      calibrator
          .calibrateWithoutCurves("w", s)
          .results()
          .forEach((m, r) -> perMethod.computeIfAbsent(m, k -> new ArrayList<>()).add(r));
    }
    Map<String, ChannelResult> results = new LinkedHashMap<>();
    perMethod.forEach((m, list) -> results.put(m, ChannelResult.of(m, list)));
    ChannelCalibration perChannel = new ChannelCalibration(1, stats, results);
    assertFalse(results.get("max").notes().isEmpty(), "a degenerate channel's note");

    float[] all = new float[0];
    for (float[] c : channels) {
      float[] joined = java.util.Arrays.copyOf(all, all.length + c.length);
      System.arraycopy(c, 0, joined, all.length, c.length);
      all = joined;
    }
    TensorStatistics tensor = ReportFixtures.statistics(all, calibrator.domains());
    TensorCalibration row = calibrator.calibrate("w", tensor).withChannels(perChannel);
    assertRoundTrip(
        List.of(
            new ReportTensor(row.withoutCurves(), TensorPlot.of(row, tensor)),
            new ReportTensor(row, TensorPlot.NONE)));
  }

  @Test
  void detailsOfEveryTypeKeepTheirTypeAndBits() {
    CalibrationResult r =
        CalibrationResult.builder("wq", new ClipRange(-0.0, 2.5), QuantSpec.symmetric(8))
            .params(new QuantParams(Float.MIN_NORMAL, -3, -128, 127))
            .objective(NAN_PAYLOAD)
            .curve("kl", List.of(new SearchPoint(1, Double.POSITIVE_INFINITY)))
            .curve("mse", List.of(new SearchPoint(-0.0, NAN_PAYLOAD), new SearchPoint(2, -1e-300)))
            .curve("empty", List.of())
            .detail("null", null)
            .detail("string", "lone \uD800 surrogate, é🙂, \u0000")
            .detail("boolean", true)
            .detail("byte", (byte) -3)
            .detail("short", (short) -300)
            .detail("int", Integer.MIN_VALUE)
            .detail("long", Long.MIN_VALUE)
            .detail("float", Float.intBitsToFloat(0x7fc0_0001))
            .detail("double", -0.0)
            .detail("infinity", Double.NEGATIVE_INFINITY)
            .detail("ints", new int[] {-1, 0, Integer.MAX_VALUE})
            .detail("longs", new long[] {Long.MAX_VALUE, -5})
            .detail("floats", new float[] {Float.NaN, -0f})
            .detail("levels", new double[] {NAN_PAYLOAD, Double.POSITIVE_INFINITY, 0.1})
            .note("first")
            .note("")
            .build()
            .withMethod("wq@2");
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    results.put("wq@2", r);
    results.put("max", r.withMethod("max")); // not in sorted order: the order must be kept
    TensorCalibration row =
        new TensorCalibration("t", RangeStats.of(-0.0f, 2.5f).withNulls(3, 1), results)
            .withErrors(Map.of("max", new QuantNoise(NAN_PAYLOAD, Double.POSITIVE_INFINITY)));
    ReportTensor back = assertRoundTrip(List.of(new ReportTensor(row, TensorPlot.NONE))).get(0);

    CalibrationResult got = back.row().result("wq@2");
    assertEquals(List.of("wq@2", "max"), List.copyOf(back.row().results().keySet()));
    assertEquals(bits(NAN_PAYLOAD), bits(got.objective()));
    assertEquals(bits(NAN_PAYLOAD), bits(((double[]) got.details().get("levels"))[0]));
    assertEquals(bits(-0.0), bits((Double) got.details().get("double")));
    assertEquals(0x7fc0_0001, Float.floatToRawIntBits((Float) got.details().get("float")));
    assertEquals(Byte.valueOf((byte) -3), got.details().get("byte"));
    assertEquals(Short.valueOf((short) -300), got.details().get("short"));
    assertEquals(Long.valueOf(Long.MIN_VALUE), got.details().get("long"));
    assertTrue(got.details().containsKey("null"));
    assertEquals("lone \uD800 surrogate, é🙂, \u0000", got.details().get("string"));
    assertEquals(List.of("first", ""), got.notes());
    assertEquals(r.curves(), got.curves());
    assertEquals(
        bits(NAN_PAYLOAD), bits(back.row().error("max").mse()), "a measured error, by its bits");
  }

  @Test
  void aDetailOfAnotherTypeIsRefusedWhenWritten() {
    CalibrationResult r =
        CalibrationResult.builder("max", ClipRange.symmetric(1), QuantSpec.symmetric(8))
            .detail("x", List.of(1, 2))
            .build();
    ReportTensor t =
        new ReportTensor(
            new TensorCalibration("conv", RangeStats.of(1f), Map.of("max", r)), TensorPlot.NONE);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReportTensorBytes.of(t));
    assertEquals(
        "Cannot encode detail 'x' of method max for tensor 'conv': "
            + List.of(1, 2).getClass().getName()
            + " is not a boxed number, boolean, string, primitive number array or null",
        e.getMessage());
  }

  @Test
  void noRowsAreNoBytesAndAPlotOfNothingIsNone() {
    assertEquals(0, new ReportTensorBytes().toByteArray().length);
    assertEquals(List.of(), ReportTensorBytes.rows(new byte[0]));
    ReportTensor t =
        new ReportTensor(new TensorCalibration("t", RangeStats.EMPTY, Map.of()), TensorPlot.NONE);
    assertSame(TensorPlot.NONE, ReportTensorBytes.rows(ReportTensorBytes.of(t)).get(0).plot());
  }

  @Test
  void truncatedBytesAreRefused() {
    ReportTensor t =
        new ReportTensor(
            new TensorCalibration("t", RangeStats.of(1f, 2f), Map.of()), TensorPlot.NONE);
    byte[] bytes = ReportTensorBytes.of(t);
    assertThrows(
        IllegalArgumentException.class,
        () -> ReportTensorBytes.rows(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
  }

  /**
   * Encodes {@code rows} together, decodes them, and checks each against its original: field by
   * field, and its form written again byte for byte (which covers every order and every bit).
   */
  private static List<ReportTensor> assertRoundTrip(List<ReportTensor> rows) {
    ReportTensorBytes all = new ReportTensorBytes();
    rows.forEach(all::add);
    byte[] bytes = all.toByteArray();
    List<ReportTensor> back = ReportTensorBytes.rows(bytes);
    assertEquals(rows.size(), back.size());
    ReportTensorBytes again = new ReportTensorBytes();
    for (int i = 0; i < rows.size(); i++) {
      assertSameRow(rows.get(i), back.get(i));
      again.add(back.get(i));
      assertArrayEquals(ReportTensorBytes.of(rows.get(i)), ReportTensorBytes.of(back.get(i)));
    }
    assertArrayEquals(bytes, again.toByteArray());
    return back;
  }

  private static void assertSameRow(ReportTensor a, ReportTensor b) {
    TensorCalibration x = a.row();
    TensorCalibration y = b.row();
    String what = "tensor '" + x.name() + "'";
    assertEquals(x.name(), y.name(), what);
    assertEquals(x.stats(), y.stats(), what);
    assertEquals(x.flags(), y.flags(), what);
    assertEquals(List.copyOf(x.results().keySet()), List.copyOf(y.results().keySet()), what);
    assertEquals(List.copyOf(x.results().values()), List.copyOf(y.results().values()), what);
    assertEquals(List.copyOf(x.errors().entrySet()), List.copyOf(y.errors().entrySet()), what);
    assertEquals(x.channels().isPresent(), y.channels().isPresent(), what);
    if (x.channels().isPresent()) {
      assertSameChannels(x.channels().get(), y.channels().get());
    }
    TensorPlot p = a.plot();
    TensorPlot q = b.plot();
    assertEquals(p.histogram(), q.histogram(), what);
    assertEquals(List.copyOf(p.metrics().entrySet()), List.copyOf(q.metrics().entrySet()), what);
    assertEquals(p.curves(), q.curves(), what);
    if (p.curves().isPresent()) {
      Map<String, Map<String, PlotCurves.Curve>> m = p.curves().get().byMethod();
      Map<String, Map<String, PlotCurves.Curve>> n = q.curves().get().byMethod();
      assertEquals(List.copyOf(m.keySet()), List.copyOf(n.keySet()), what);
      m.forEach((k, v) -> assertEquals(List.copyOf(v.keySet()), List.copyOf(n.get(k).keySet())));
    }
  }

  private static void assertSameChannels(ChannelCalibration x, ChannelCalibration y) {
    assertEquals(x.axis(), y.axis());
    assertEquals(x.stats(), y.stats());
    assertEquals(List.copyOf(x.results().keySet()), List.copyOf(y.results().keySet()));
    x.results()
        .forEach(
            (method, r) -> {
              ChannelResult s = y.results().get(method);
              assertEquals(r.quant(), s.quant());
              assertEquals(r.count(), s.count());
              for (int c = 0; c < r.count(); c++) {
                assertEquals(r.range(c), s.range(c));
                assertEquals(
                    Float.floatToRawIntBits(r.scale(c)), Float.floatToRawIntBits(s.scale(c)));
                assertEquals(r.zeroPoint(c), s.zeroPoint(c));
              }
              assertEquals(List.copyOf(r.notes().keySet()), List.copyOf(s.notes().keySet()));
              r.notes().forEach((note, cs) -> assertArrayEquals(cs, s.notes().get(note)));
            });
  }

  private static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }
}
