package dev.qcal.core.io;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built tables of clip ranges for the toolchain-format tests. */
final class FormatTables {
  static final String METHOD = "m";

  private FormatTables() {}

  /** A table builder: one result per tensor under method {@link #METHOD}. */
  static Builder under(QuantSpec quant) {
    return new Builder(quant);
  }

  /** A symmetric int8 table of (name, amax) pairs, in the order given. */
  static CalibrationTable amaxes(Object... nameAmax) {
    Builder b = under(QuantSpec.symmetric(8));
    for (int i = 0; i < nameAmax.length; i += 2) {
      b.amax((String) nameAmax[i], ((Number) nameAmax[i + 1]).doubleValue());
    }
    return b.build();
  }

  /** The bytes a format writes with default options. */
  static byte[] bytes(TableFormat format, CalibrationTable table) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    format.write(table, METHOD, FormatOptions.defaults(), out);
    return out.toByteArray();
  }

  /** The text a format writes with default options. */
  static String text(TableFormat format, CalibrationTable table) {
    return new String(bytes(format, table), StandardCharsets.UTF_8);
  }

  /** Builds a table. */
  static final class Builder {
    private final QuantSpec quant;
    private final Map<String, ClipRange> ranges = new LinkedHashMap<>();

    private Builder(QuantSpec quant) {
      this.quant = quant;
    }

    Builder range(String name, double min, double max) {
      ranges.put(name, new ClipRange(min, max));
      return this;
    }

    Builder amax(String name, double amax) {
      ranges.put(name, ClipRange.symmetric(amax));
      return this;
    }

    CalibrationTable build() {
      List<TensorCalibration> rows = new ArrayList<>();
      ranges.forEach(
          (name, range) -> {
            CalibrationResult r = CalibrationResult.builder(METHOD, range, quant).build();
            RangeStats stats = RangeStats.of((float) range.min(), (float) range.max());
            rows.add(new TensorCalibration(name, stats, Map.of(METHOD, r)));
          });
      return CalibrationTable.of(rows, List.of(METHOD), quant);
    }
  }
}
