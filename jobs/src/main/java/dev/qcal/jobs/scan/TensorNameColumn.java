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
 * The tensor name of each row of a row group for {@link ValuesColumnDecoder}, row by row or run by
 * run (rows of a tensor come in runs): read from the tensor-name column of the long and scalar
 * layouts through parquet-java's generic column reader, or, for a wide dump's column, the column's
 * own name. A cursor, so a scalar dump's row group of millions of rows holds no per-row array. Each
 * distinct name is decoded and matched against {@code --tensors} once per task; a run costs one
 * identity check per row on dictionary pages (the reader hands out the dictionary's own {@link
 * Binary}), a byte comparison on plain ones.
 */
final class TensorNameColumn {
  private static final RowName NULL = new RowName(null, null, false, false);

  private final Pattern tensors;
  private final PerChannelRows channels;
  private final Map<Binary, RowName> names = new HashMap<>();

  // Per row group.
  private ColumnReader reader;
  private int maxDefinition;
  private long remaining;
  private RowName current = NULL;

  /** The previous non-null name as the reader handed it out, and what it is. */
  private Binary lastRead;

  private RowName lastName;

  /**
   * @param tensors the {@code --tensors} filter, or null for every tensor
   * @param channels the per-channel tensors, or null when none is
   */
  TensorNameColumn(Pattern tensors, PerChannelRows channels) {
    this.tensors = tensors;
    this.channels = channels;
  }

  /**
   * A tensor name as read (and as the map's key: a copy kept past the page), whether --tensors
   * selects it, and whether per channel.
   */
  private record RowName(String text, Binary key, boolean selected, boolean perChannel) {}

  /** Starts the {@code count} rows of a row group, named by {@code column}. */
  void rowGroup(
      PageReadStore group,
      MessageType requested,
      ColumnDescriptor column,
      String createdBy,
      long count) {
    reader =
        new ColumnReadStoreImpl(group, new IgnoringConverter(1), requested, createdBy)
            .getColumnReader(column);
    maxDefinition = column.getMaxDefinitionLevel();
    remaining = count;
    current = NULL;
    lastRead = null;
    lastName = null;
  }

  /** Starts the {@code count} rows of a row group, every one named {@code name} (selected). */
  void constant(String name, long count) {
    reader = null;
    remaining = count;
    current = new RowName(name, null, true, false);
  }

  /** Rows of the row group not yet passed. */
  long remaining() {
    return remaining;
  }

  /** Moves to the next row (there must be one: see {@link #remaining}). */
  void next() {
    remaining--;
    if (reader != null) {
      current = read();
      reader.consume();
    }
  }

  /**
   * Passes the next rows that share one name, at least one and at most {@code max} (no more than
   * {@link #remaining}); returns how many. {@link #name} is then theirs.
   */
  @SuppressWarnings("ReferenceEquality") // one RowName per distinct name: identity is equality
  int run(int max) {
    int n = (int) Math.min(max, remaining);
    if (reader == null || n <= 0) {
      remaining -= n;
      return n;
    }
    current = read();
    reader.consume();
    int k = 1;
    while (k < n && read() == current) {
      reader.consume();
      k++;
    }
    remaining -= k;
    return k;
  }

  /** The current row's (or run's) tensor name, or null for a null name. */
  String name() {
    return current.text();
  }

  /** Whether the current row has a name that {@code --tensors} selects. */
  boolean selected() {
    return current.selected();
  }

  /** Whether the current row's tensor is selected and calibrated per channel. */
  boolean perChannel() {
    return current.perChannel();
  }

  /** The name of the reader's current row, without consuming it. */
  @SuppressWarnings("ReferenceEquality") // the same Binary again: a dictionary page's entry
  private RowName read() {
    if (reader.getCurrentDefinitionLevel() != maxDefinition) {
      return NULL;
    }
    Binary b = reader.getBinary();
    if (b == lastRead) {
      return lastName;
    }
    RowName s = lastName != null && lastName.key().equals(b) ? lastName : names.get(b);
    if (s == null) {
      String text = b.toStringUsingUTF8();
      boolean selected = tensors == null || tensors.matcher(text).matches();
      Binary key = b.copy();
      s = new RowName(text, key, selected, selected && channels != null && channels.selects(text));
      names.put(key, s);
    }
    lastRead = b;
    lastName = s;
    return s;
  }

  /**
   * A converter that converts nothing: the generic column reader needs one for the path of the
   * column it reads ({@code depth} fields, a group converter above the leaf).
   */
  static final class IgnoringConverter extends GroupConverter {
    private final Converter child;

    IgnoringConverter(int depth) {
      this.child = depth > 1 ? new IgnoringConverter(depth - 1) : new PrimitiveConverter() {};
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return child;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
