package dev.qcal.jobs.scan;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * The tensor-name column of a row group for {@link PageDecoder}: every row's name (null for a null
 * name) and whether {@code --tensors} selects it. A few thousand rows per row group, so it goes
 * through parquet-java's generic column reader; each distinct name is decoded and matched once per
 * task.
 */
final class TensorNameColumn {
  private final Pattern tensors;
  private final Map<Binary, RowName> names = new HashMap<>();
  private String[] rowNames = new String[0];

  /** Whether --tensors selects each row's tensor (rows with a null name: false). */
  private boolean[] rowSelected = new boolean[0];

  /** {@code tensors}: the {@code --tensors} filter, or null for every tensor. */
  TensorNameColumn(Pattern tensors) {
    this.tensors = tensors;
  }

  /** The name of row {@code i} of the row group read last, or null. */
  String name(int i) {
    return rowNames[i];
  }

  /** Whether row {@code i} has a name that {@code --tensors} selects. */
  boolean selected(int i) {
    return rowSelected[i];
  }

  /** A tensor name as read, and whether --tensors selects it. */
  private record RowName(String text, boolean selected) {}

  /** Reads the tensor name of every row of the row group and whether it is selected. */
  void read(
      PageReadStore group,
      MessageType requested,
      ColumnDescriptor column,
      String createdBy,
      int count) {
    if (rowNames.length < count) {
      rowNames = new String[Math.max(count, rowNames.length * 2)];
      rowSelected = new boolean[rowNames.length];
    }
    ColumnReader reader =
        new ColumnReadStoreImpl(group, new IgnoringConverter(), requested, createdBy)
            .getColumnReader(column);
    int max = column.getMaxDefinitionLevel();
    for (int i = 0; i < count; i++) {
      if (reader.getCurrentDefinitionLevel() == max) {
        Binary b = reader.getBinary();
        RowName s = names.get(b);
        if (s == null) {
          String text = b.toStringUsingUTF8();
          s = new RowName(text, tensors == null || tensors.matcher(text).matches());
          names.put(b.copy(), s);
        }
        rowNames[i] = s.text();
        rowSelected[i] = s.selected();
      } else {
        rowNames[i] = null;
        rowSelected[i] = false;
      }
      reader.consume();
    }
  }

  /** A converter that converts nothing: the generic column reader needs one per column. */
  private static final class IgnoringConverter extends GroupConverter {
    private final PrimitiveConverter primitive = new PrimitiveConverter() {};

    @Override
    public Converter getConverter(int fieldIndex) {
      return primitive;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
