package dev.qcal.jobs.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.ChannelResult;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.table.TensorFlag;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.calibrate.CalibrationRun;
import dev.qcal.jobs.channel.ChannelDumps.ChannelRow;
import dev.qcal.jobs.channel.ChannelDumps.ShapeRow;
import dev.qcal.jobs.dump.ChannelSource;
import dev.qcal.jobs.scan.Reader;
import dev.qcal.jobs.testing.SharedSpark;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-channel ranges through the real job (local Spark, real Parquet dumps written here): a weight
 * of 4096 channels from a channel column, checked channel by channel against a reference computed
 * in the test from the same values (max: the largest |x|; percentile: the sorted |x| and the
 * documented edge convention); a shape column split along an axis, negative axes included; and the
 * same bytes for 1, 2 and 7 partitions.
 */
@ExtendWith(SharedSpark.class)
class PerChannelTest {
  static final int CHANNELS = 4096;
  static final int ROWS_PER_CHANNEL = 2;
  static final int VALUES_PER_ROW = 24;
  static final int BINS = 256;
  static final String P = "90";
  @TempDir Path tmp;

  /**
   * The values of a 4096-channel weight: channel c scaled by its own factor; 5 all zero, 7 with a
   * NaN.
   */
  static List<ChannelRow> weightRows(long seed) {
    Random r = new Random(seed);
    List<ChannelRow> rows = new ArrayList<>();
    for (int row = 0; row < ROWS_PER_CHANNEL; row++) {
      for (int c = 0; c < CHANNELS; c++) {
        float scale = 0.01f + (c % 97) / 50f;
        float[] v = new float[VALUES_PER_ROW];
        for (int i = 0; i < v.length; i++) {
          v[i] = c == 5 ? 0f : (float) (r.nextGaussian() * scale);
        }
        if (c == 7 && row == 1) {
          v[3] = Float.NaN;
        }
        rows.add(new ChannelRow("fc.weight", c, v));
      }
    }
    // An activation, calibrated per tensor only (--per-channel-tensors), with a channel column it
    // ignores.
    for (int row = 0; row < 4; row++) {
      float[] v = new float[500];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      rows.add(new ChannelRow("fc.out", 0, v));
    }
    return rows;
  }

  static float[][] valuesByChannel(List<ChannelRow> rows, String tensor, int channels) {
    List<List<Float>> lists = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      lists.add(new ArrayList<>());
    }
    for (ChannelRow r : rows) {
      if (r.tensor().equals(tensor)) {
        for (float v : r.values()) {
          lists.get((Integer) r.channel()).add(v);
        }
      }
    }
    float[][] out = new float[channels][];
    for (int c = 0; c < channels; c++) {
      out[c] = new float[lists.get(c).size()];
      for (int i = 0; i < out[c].length; i++) {
        out[c][i] = lists.get(c).get(i);
      }
    }
    return out;
  }

  private CalibrationTable run(
      SparkSession spark, String dir, ChannelSource source, String... methods) {
    return Calibration.builder()
        .input(dir)
        .methods(methods)
        .channels(source)
        .perChannelTensors(".*weight")
        .channelBins(BINS)
        .build()
        .run(spark)
        .table();
  }

  @Test
  void fourThousandChannelsMatchAReferenceComputedFromTheValues(SparkSession spark) {
    List<ChannelRow> rows = weightRows(1);
    String dir = tmp.resolve("w4096").toString();
    ChannelDumps.withChannels(spark, dir, rows, DataTypes.IntegerType, 3);
    CalibrationTable table =
        run(
            spark,
            dir,
            ChannelSource.column("channel", 0),
            "max",
            "percentile@" + P,
            "entropy",
            "mse",
            "octav");

    TensorCalibration act = row(table, "fc.out");
    assertTrue(act.channels().isEmpty(), "fc.out is not selected by --per-channel-tensors");
    TensorCalibration w = row(table, "fc.weight");
    ChannelCalibration cc = w.channels().orElseThrow();
    assertEquals(CHANNELS, cc.count());
    assertEquals(0, cc.axis());
    assertEquals(
        List.of("max", "percentile@" + P, "mse", "octav"), List.copyOf(cc.results().keySet()));
    assertArrayEquals(new int[] {5}, cc.flags().get(TensorFlag.ALL_ZERO));
    assertArrayEquals(new int[] {7}, cc.flags().get(TensorFlag.HAS_NAN));

    float[][] byChannel = valuesByChannel(rows, "fc.weight", CHANNELS);
    ChannelResult max = cc.result("max").orElseThrow();
    ChannelResult pct = cc.result("percentile@" + P).orElseThrow();
    for (int c = 0; c < CHANNELS; c++) {
      float[] finite = finite(byChannel[c]);
      float amax = 0;
      for (float v : finite) {
        amax = Math.max(amax, Math.abs(v));
      }
      assertEquals(amax, max.amax(c), "max amax of channel " + c);
      assertEquals(amax == 0 ? 1f : amax / 127f, max.scale(c), "max scale of channel " + c);
      assertEquals(referencePercentile(finite, P), pct.amax(c), "percentile amax of channel " + c);
      RangeStats s = cc.stats().get(c);
      assertEquals(byChannel[c].length, s.count());
    }
    // The per-tensor row is the union of the channels.
    double union = 0;
    for (int c = 0; c < CHANNELS; c++) {
      union = Math.max(union, max.amax(c));
    }
    assertEquals(union, w.result("max").amax());
    assertEquals(CHANNELS * ROWS_PER_CHANNEL * VALUES_PER_ROW, w.stats().count());
    assertTrue(
        pct.notes().containsKey("all-zero tensor: fell back to max"),
        pct.notes().keySet()::toString);
    assertArrayEquals(new int[] {5}, pct.notes().get("all-zero tensor: fell back to max"));

    String json = CalibrationJson.toJson(table);
    assertTrue(
        json.contains("\"channels\" : {") || json.contains("\"channels\": {"), "channels block");
  }

  /**
   * The percentile reference: with allowed = ⌊(100 − p)/100 · n⌋ values that may be clipped, the
   * largest kept |x| is the (n − allowed)-th smallest; amax is the right edge of its bin in the
   * channel's histogram layout, the grid layout of its range (PercentileCalibrator's convention).
   * An all-zero or empty channel falls back to max, 0.
   */
  static double referencePercentile(float[] finite, String p) {
    if (finite.length == 0) {
      return 0;
    }
    double[] abs = new double[finite.length];
    for (int i = 0; i < abs.length; i++) {
      abs[i] = Math.abs(finite[i]);
    }
    Arrays.sort(abs);
    if (abs[abs.length - 1] == 0) {
      return 0;
    }
    long allowed =
        new BigDecimal(100)
            .subtract(new BigDecimal(p))
            .movePointLeft(2)
            .multiply(BigDecimal.valueOf(abs.length))
            .setScale(0, RoundingMode.FLOOR)
            .longValueExact();
    double kept = abs[(int) (abs.length - allowed - 1)];
    HistogramSpec spec =
        HistogramSpec.forStats(Domain.ABSOLUTE, RangeStats.of(finite), BINS, HistogramLayout.GRID);
    int n = spec.binCount();
    int bin = Math.min(n - 1, (int) ((kept - spec.lo()) * (n / (spec.hi() - spec.lo()))));
    return spec.edges()[bin + 1];
  }

  static float[] finite(float[] v) {
    float[] out = new float[v.length];
    int n = 0;
    for (float x : v) {
      if (Float.isFinite(x)) {
        out[n++] = x;
      }
    }
    return Arrays.copyOf(out, n);
  }

  static TensorCalibration row(CalibrationTable table, String name) {
    for (TensorCalibration t : table.tensors()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no tensor " + name);
  }

  /** A conv weight (8, 3, 2, 2) and a matrix (5, 6), written as shapes, two rows each. */
  static List<ShapeRow> shapeRows(long seed) {
    Random r = new Random(seed);
    List<ShapeRow> rows = new ArrayList<>();
    for (int row = 0; row < 2; row++) {
      float[] conv = new float[8 * 3 * 2 * 2];
      for (int i = 0; i < conv.length; i++) {
        conv[i] = (float) (r.nextGaussian() * (1 + i / 12)); // channel i/12 along axis 0
      }
      rows.add(new ShapeRow("conv.weight", new long[] {8, 3, 2, 2}, conv));
      float[] m = new float[5 * 6];
      for (int i = 0; i < m.length; i++) {
        m[i] = (float) (r.nextGaussian() * (1 + i % 6)); // channel i % 6 along the last axis
      }
      rows.add(new ShapeRow("fc2.weight", new long[] {5, 6}, m));
    }
    return rows;
  }

  /** The channel of flat index i of a row-major shape along axis a, by index arithmetic. */
  static int channelOf(long[] shape, int axis, int i) {
    long rest = i;
    int[] index = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = (int) (rest % shape[d]);
      rest /= shape[d];
    }
    return index[axis];
  }

  @Test
  void shapeColumnsSplitAlongAnAxisNegativeAxesCountFromTheEnd(SparkSession spark) {
    List<ShapeRow> rows = shapeRows(3);
    String dir = tmp.resolve("shapes").toString();
    ChannelDumps.withShapes(spark, dir, rows, 2);
    for (int axis : new int[] {0, 1, -1}) {
      CalibrationTable table =
          run(spark, dir, ChannelSource.shape(null, axis), "max", "percentile@" + P);
      for (String tensor : List.of("conv.weight", "fc2.weight")) {
        long[] shape = tensor.startsWith("conv") ? new long[] {8, 3, 2, 2} : new long[] {5, 6};
        int a = axis < 0 ? axis + shape.length : axis;
        int channels = (int) shape[a];
        List<List<Float>> lists = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
          lists.add(new ArrayList<>());
        }
        for (ShapeRow r : rows) {
          if (r.tensor().equals(tensor)) {
            for (int i = 0; i < r.values().length; i++) {
              lists.get(channelOf(shape, a, i)).add(r.values()[i]);
            }
          }
        }
        ChannelCalibration cc = row(table, tensor).channels().orElseThrow();
        assertEquals(channels, cc.count(), tensor + " axis " + axis);
        assertEquals(a, cc.axis());
        for (int c = 0; c < channels; c++) {
          float[] v = new float[lists.get(c).size()];
          float amax = 0;
          for (int i = 0; i < v.length; i++) {
            v[i] = lists.get(c).get(i);
            amax = Math.max(amax, Math.abs(v[i]));
          }
          assertEquals(v.length, cc.stats().get(c).count());
          assertEquals(amax, cc.result("max").orElseThrow().amax(c), tensor + " channel " + c);
          assertEquals(
              referencePercentile(v, P), cc.result("percentile@" + P).orElseThrow().amax(c));
        }
      }
    }
  }

  @Test
  void oneTwoAndSevenPartitionsGiveTheSameBytes(SparkSession spark) {
    List<ChannelRow> rows = new ArrayList<>();
    Random r = new Random(5);
    for (int row = 0; row < 21; row++) {
      for (int c = 0; c < 16; c++) {
        float[] v = new float[40];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (r.nextGaussian() * (c + 1));
        }
        rows.add(new ChannelRow("layer.weight", (long) c, v));
      }
    }
    String one = null;
    for (int files : new int[] {1, 2, 7}) {
      String dir = tmp.resolve("det-" + files).toString();
      ChannelDumps.withChannels(spark, dir, rows, DataTypes.LongType, files);
      String json =
          CalibrationJson.toJson(
              run(
                  spark,
                  dir,
                  ChannelSource.column("channel", 1),
                  "mse",
                  "percentile",
                  "max",
                  "octav"));
      if (one == null) {
        one = json;
        assertFalse(json.isEmpty());
      } else {
        assertEquals(one, json, files + " partitions");
      }
    }
  }

  /**
   * The one scan (the page decoder hands each per-channel row over whole with its shape or channel)
   * and the per-channel passes over Spark's reader give the same bytes: shapes split along each
   * axis (rows with null elements among them), and a channel column; with 1 and 3 files.
   */
  @Test
  void theOneScanAndThePerChannelPassesGiveTheSameBytes(SparkSession spark) {
    List<ShapeRow> shapes = new ArrayList<>(shapeRows(9));
    List<ChannelRow> channels = new ArrayList<>(weightRows(4).subList(0, 300));
    for (int files : new int[] {1, 3}) {
      String shapeDir = tmp.resolve("same-shapes-" + files).toString();
      ChannelDumps.withShapes(spark, shapeDir, shapes, files, 7);
      String channelDir = tmp.resolve("same-channels-" + files).toString();
      ChannelDumps.withChannels(spark, channelDir, channels, DataTypes.IntegerType, files);
      for (int axis : new int[] {0, -1}) {
        assertSameBytes(spark, shapeDir, ChannelSource.shape(null, axis));
      }
      assertSameBytes(spark, channelDir, ChannelSource.column("channel", 2));
    }
  }

  private static void assertSameBytes(SparkSession spark, String dir, ChannelSource source) {
    List<String> json = new ArrayList<>();
    for (Reader reader : new Reader[] {Reader.PAGES, Reader.SPARK}) {
      CalibrationRun run =
          Calibration.builder()
              .input(dir)
              .methods("percentile@" + P, "mse", "entropy")
              .channels(source)
              .perChannelTensors(".*weight")
              .channelBins(64)
              .reader(reader)
              .build()
              .run(spark);
      assertEquals(
          reader == Reader.SPARK,
          run.summary().stageMillis().containsKey("per-channel passes"),
          reader + ": " + run.summary().stageMillis());
      json.add(CalibrationJson.toJson(run.table()));
    }
    assertTrue(json.get(0).contains("\"channels\""), json.get(0));
    assertEquals(json.get(1), json.get(0), dir + " " + source);
  }
}
