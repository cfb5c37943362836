package dev.qcal.core.table;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.CalibrationResultBytes;
import dev.qcal.core.calib.eval.QuantNoise;
import dev.qcal.core.histogram.ByteArrayReader;
import dev.qcal.core.histogram.ByteArrayWriter;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact binary form of a {@link TensorCalibration}, part of a report row's ({@code
 * ReportTensorBytes}): the name, range statistics, results ({@link CalibrationResultBytes}),
 * measured errors and per-channel results, every map in its order and every number exactly.
 */
public final class TensorCalibrationBytes {
  private TensorCalibrationBytes() {}

  /**
   * Writes {@code row}.
   *
   * @throws IllegalArgumentException if a result holds a detail the form does not carry
   */
  public static void write(ByteArrayWriter out, TensorCalibration row) {
    out.putString(row.name());
    writeStats(out, row.stats());
    out.putVarLong(row.results().size());
    for (CalibrationResult r : row.results().values()) {
      CalibrationResultBytes.write(out, row.name(), r);
    }
    out.putVarLong(row.errors().size());
    for (Map.Entry<String, QuantNoise> e : row.errors().entrySet()) {
      out.putString(e.getKey());
      out.putDouble(e.getValue().mse());
      out.putDouble(e.getValue().signalPower());
    }
    ChannelCalibration channels = row.channels().orElse(null);
    out.putBoolean(channels != null);
    if (channels != null) {
      writeChannels(out, channels);
    }
  }

  /** Reads a row written by {@link #write}. */
  public static TensorCalibration read(ByteArrayReader in) {
    String name = in.getString();
    RangeStats stats = readStats(in);
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    for (int n = in.getSize(); n > 0; n--) {
      CalibrationResult r = CalibrationResultBytes.read(in);
      results.put(r.method(), r);
    }
    Map<String, QuantNoise> errors = new LinkedHashMap<>();
    for (int n = in.getSize(); n > 0; n--) {
      errors.put(in.getString(), new QuantNoise(in.getDouble(), in.getDouble()));
    }
    ChannelCalibration channels = in.getBoolean() ? readChannels(in) : null;
    return new TensorCalibration(name, stats, results, channels, errors);
  }

  private static void writeChannels(ByteArrayWriter out, ChannelCalibration c) {
    out.putVarLong(c.axis());
    out.putVarLong(c.count());
    for (RangeStats s : c.stats()) {
      writeStats(out, s);
    }
    out.putVarLong(c.results().size());
    for (ChannelResult r : c.results().values()) {
      out.putString(r.method());
      CalibrationResultBytes.writeQuant(out, r.quant());
      for (int i = 0; i < r.count(); i++) {
        out.putDouble(r.range(i).min());
        out.putDouble(r.range(i).max());
        out.putFloat(r.scale(i));
        out.putSignedVarLong(r.zeroPoint(i));
      }
      Map<String, int[]> notes = r.notes();
      out.putVarLong(notes.size());
      for (Map.Entry<String, int[]> note : notes.entrySet()) {
        out.putString(note.getKey());
        out.putVarLong(note.getValue().length);
        for (int channel : note.getValue()) {
          out.putVarLong(channel);
        }
      }
    }
  }

  private static ChannelCalibration readChannels(ByteArrayReader in) {
    int axis = in.getVarInt();
    int count = in.getSize();
    List<RangeStats> stats = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      stats.add(readStats(in));
    }
    Map<String, ChannelResult> results = new LinkedHashMap<>();
    for (int n = in.getSize(); n > 0; n--) {
      String method = in.getString();
      QuantSpec quant = CalibrationResultBytes.readQuant(in);
      double[] min = new double[count];
      double[] max = new double[count];
      float[] scale = new float[count];
      int[] zeroPoint = new int[count];
      for (int i = 0; i < count; i++) {
        min[i] = in.getDouble();
        max[i] = in.getDouble();
        scale[i] = in.getFloat();
        zeroPoint[i] = (int) in.getSignedVarLong();
      }
      Map<String, int[]> notes = new LinkedHashMap<>();
      for (int k = in.getSize(); k > 0; k--) {
        String note = in.getString();
        int[] channels = new int[in.getSize()];
        for (int i = 0; i < channels.length; i++) {
          channels[i] = in.getVarInt();
        }
        notes.put(note, channels);
      }
      results.put(
          method,
          new ChannelResult(
              method, quant, min, max, scale, zeroPoint, Collections.unmodifiableMap(notes)));
    }
    return new ChannelCalibration(axis, stats, results);
  }

  /** Writes range statistics: the six counts as varints, then min and max. */
  private static void writeStats(ByteArrayWriter out, RangeStats s) {
    out.putVarLong(s.count());
    out.putVarLong(s.nanCount());
    out.putVarLong(s.posInfCount());
    out.putVarLong(s.negInfCount());
    out.putVarLong(s.nullCount());
    out.putVarLong(s.nullRows());
    out.putFloat(s.min());
    out.putFloat(s.max());
  }

  /** Reads range statistics as {@link RangeStats#fromBytes} rebuilds them. */
  private static RangeStats readStats(ByteArrayReader in) {
    long count = in.getVarLong();
    long nan = in.getVarLong();
    long posInf = in.getVarLong();
    long negInf = in.getVarLong();
    long nulls = in.getVarLong();
    long nullRows = in.getVarLong();
    return RangeStats.of(count, nan, posInf, negInf, in.getFloat(), in.getFloat())
        .withNulls(nulls, nullRows);
  }
}
