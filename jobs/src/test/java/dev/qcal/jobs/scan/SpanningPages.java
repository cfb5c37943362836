package dev.qcal.jobs.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes a long-layout file page by page with parquet-java's low-level file writer, cutting the
 * values column into pages of a fixed number of entries wherever that falls: rows span pages, as in
 * files from writers that cut pages by size rather than at row ends (parquet-java's record writer
 * never does, so the other tests cannot produce this). Rows cycle through null lists, empty lists,
 * null elements and values; every 9th tensor name is null.
 */
// Writes pages by hand through parquet-java\'s low-level writer, whose page methods are deprecated
// in favour of the column writers that would not split a row across pages.
@SuppressWarnings("deprecation")
final class SpanningPages {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { optional binary tensor (STRING); optional group values (LIST) { repeated"
              + " group list { optional float element; } } }");

  private SpanningPages() {}

  static void write(Path file, int rows, int entriesPerPage) throws IOException {
    List<String> names = new ArrayList<>();
    List<int[]> levels = new ArrayList<>(); // {rep, def}
    List<Float> present = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      names.add(i % 9 == 4 ? null : "t" + (i % 5));
      if (i % 10 == 3) {
        levels.add(new int[] {0, 0}); // null list
      } else if (i % 10 == 6) {
        levels.add(new int[] {0, 1}); // empty list
      } else {
        int n = 1 + (i * 37) % 120;
        for (int j = 0; j < n; j++) {
          int rep = j == 0 ? 0 : 1;
          if (j % 23 == 11) {
            levels.add(new int[] {rep, 2}); // null element
          } else {
            levels.add(new int[] {rep, 3});
            present.add((float) (Math.cos(i * 7.0 + j) * (1 + i % 4)));
          }
        }
      }
    }
    ParquetFileWriter w =
        new ParquetFileWriter(
            HadoopOutputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toString()), new Configuration()),
            SCHEMA,
            ParquetFileWriter.Mode.CREATE,
            128 << 20,
            0);
    w.start();
    w.startBlock(rows);
    ColumnDescriptor tensor = SCHEMA.getColumns().get(0);
    ColumnDescriptor values = SCHEMA.getColumns().get(1);
    w.startColumn(tensor, rows, CompressionCodecName.UNCOMPRESSED);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    List<Integer> defs = new ArrayList<>();
    for (String s : names) {
      defs.add(s == null ? 0 : 1);
      if (s != null) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        plain.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        plain.write(b);
      }
    }
    BytesInput tensorPage =
        BytesInput.concat(lengthPrefixed(defs, 1), BytesInput.from(plain.toByteArray()));
    w.writeDataPage(
        rows,
        (int) tensorPage.size(),
        tensorPage,
        Statistics.createStats(tensor.getPrimitiveType()),
        Encoding.RLE,
        Encoding.RLE,
        Encoding.PLAIN);
    w.endColumn();
    w.startColumn(values, levels.size(), CompressionCodecName.UNCOMPRESSED);
    int v = 0;
    for (int from = 0; from < levels.size(); from += entriesPerPage) {
      int to = Math.min(levels.size(), from + entriesPerPage);
      List<Integer> rep = new ArrayList<>();
      List<Integer> def = new ArrayList<>();
      ByteBuffer floats = ByteBuffer.allocate(4 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = from; i < to; i++) {
        rep.add(levels.get(i)[0]);
        def.add(levels.get(i)[1]);
        if (levels.get(i)[1] == 3) {
          floats.putFloat(present.get(v++));
        }
      }
      BytesInput page =
          BytesInput.concat(
              lengthPrefixed(rep, 1),
              lengthPrefixed(def, 2),
              BytesInput.from(floats.array(), 0, floats.position()));
      w.writeDataPage(
          to - from,
          (int) page.size(),
          page,
          Statistics.createStats(values.getPrimitiveType()),
          Encoding.RLE,
          Encoding.RLE,
          Encoding.PLAIN);
    }
    w.endColumn();
    w.endBlock();
    w.end(Map.of());
  }

  private static BytesInput lengthPrefixed(List<Integer> levels, int bitWidth) throws IOException {
    RunLengthBitPackingHybridEncoder e =
        new RunLengthBitPackingHybridEncoder(bitWidth, 64, 1 << 20, new HeapByteBufferAllocator());
    for (int l : levels) {
      e.writeInt(l);
    }
    byte[] bytes = e.toBytes().toByteArray();
    return BytesInput.concat(
        BytesInput.from(
            ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array()),
        BytesInput.from(bytes));
  }
}
