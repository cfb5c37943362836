package dev.qcal.jobs.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * A row group whose column chunks are read page by page ({@link StreamedColumnChunk}), each through
 * a stream of its own: the tensor-name column is read row by row beside the values column, so two
 * chunks are in use at once. A chunk closes its stream after its last page; closing the row group
 * closes the rest.
 */
final class StreamedRowGroup implements PageReadStore {
  private final InputFile file;
  private final BlockMetaData block;
  private final CompressionCodecFactory codecs;
  private final List<StreamedColumnChunk> open = new ArrayList<>();

  StreamedRowGroup(InputFile file, BlockMetaData block, CompressionCodecFactory codecs) {
    this.file = file;
    this.block = block;
    this.codecs = codecs;
  }

  @Override
  public PageReader getPageReader(ColumnDescriptor column) {
    ColumnPath path = ColumnPath.get(column.getPath());
    for (ColumnChunkMetaData chunk : block.getColumns()) {
      if (chunk.getPath().equals(path)) {
        if (chunk.isEncrypted()) {
          throw new ParquetDecodingException(
              String.format(
                  "Cannot read '%s': column '%s' is encrypted; qcal reads unencrypted Parquet",
                  file, path.toDotString()));
        }
        try {
          StreamedColumnChunk pages =
              new StreamedColumnChunk(
                  file.newStream(),
                  chunk,
                  codecs.getDecompressor(chunk.getCodec()),
                  file.toString());
          open.add(pages);
          return pages;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new ParquetDecodingException(
        String.format("Cannot read '%s': its row group has no column '%s'", file, path));
  }

  @Override
  public long getRowCount() {
    return block.getRowCount();
  }

  @Override
  public Optional<Long> getRowIndexOffset() {
    return block.getRowIndexOffset() < 0
        ? Optional.empty()
        : Optional.of(block.getRowIndexOffset());
  }

  @Override
  public void close() {
    try {
      for (StreamedColumnChunk pages : open) {
        pages.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      open.clear();
    }
  }
}
