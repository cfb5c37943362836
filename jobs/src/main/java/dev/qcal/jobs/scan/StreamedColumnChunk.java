package dev.qcal.jobs.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.SeekableInputStream;

/**
 * One column chunk's pages, read from the file one page at a time as the decoder asks for them.
 * parquet-java's {@code ParquetFileReader.readNextRowGroup} reads a row group's whole column chunks
 * (≈128 MB in a dump written with default row groups) into buffers that live until the last page is
 * decoded: young collections then copy them to the old generation, a second of GC pauses in a
 * 10⁸-value run (ParallelGC log), and a task's memory grows with the writer's row-group size. Here
 * a task holds one page per column (≈1 MB), read into an array reused for the chunk's data pages;
 * the dictionary page gets an array of its own, since its entries stay in use while the data pages
 * are read. The page headers are parsed by parquet-format ({@link Util#readPageHeader}) and the
 * pages built as parquet-java's {@code ColumnChunkPageReader} builds them (decompressed, no
 * statistics: nothing here reads them), until the chunk's value count is reached, as parquet-java
 * does when it has no offset index. Index pages and unknown page types are skipped. The stream is
 * closed when the last page has been read, or by {@link #close}.
 */
final class StreamedColumnChunk implements PageReader, AutoCloseable {
  private static final ParquetMetadataConverter FORMAT = new ParquetMetadataConverter();

  private final SeekableInputStream in;
  private final ColumnChunkMetaData chunk;
  private final BytesInputDecompressor decompressor;
  private final Statistics<?> noStatistics;
  private final String file;
  private final long end;
  private long valuesRead;
  private boolean started;
  private boolean closed;
  private PageHeader pending;
  private DictionaryPage dictionary;
  private byte[] page = new byte[0];

  /**
   * @param in a stream of the file, positioned anywhere: the chunk seeks to its own start
   * @param file the file's name, for the messages of a chunk that is not what its footer says
   */
  StreamedColumnChunk(
      SeekableInputStream in,
      ColumnChunkMetaData chunk,
      BytesInputDecompressor decompressor,
      String file) {
    this.in = in;
    this.chunk = chunk;
    this.decompressor = decompressor;
    this.noStatistics = Statistics.getBuilderForReading(chunk.getPrimitiveType()).build();
    this.file = file;
    this.end = chunk.getStartingPos() + chunk.getTotalSize();
  }

  @Override
  public long getTotalValueCount() {
    return chunk.getValueCount();
  }

  @Override
  public DictionaryPage readDictionaryPage() {
    try {
      start();
      if (pending != null && pending.getType() == PageType.DICTIONARY_PAGE) {
        PageHeader h = pending;
        pending = null;
        byte[] own = new byte[h.getCompressed_page_size()];
        in.readFully(own);
        dictionary =
            new DictionaryPage(
                decompressor.decompress(BytesInput.from(own), h.getUncompressed_page_size()),
                h.getDictionary_page_header().getNum_values(),
                FORMAT.getEncoding(h.getDictionary_page_header().getEncoding()));
      }
      return dictionary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public DataPage readPage() {
    try {
      readDictionaryPage(); // a dictionary comes first; a reader that skips it still gets past it
      while (valuesRead < chunk.getValueCount()) {
        PageHeader h = pending != null ? pending : next();
        pending = null;
        switch (h.getType()) {
          case DATA_PAGE:
            return pageV1(h);
          case DATA_PAGE_V2:
            return pageV2(h);
          case DICTIONARY_PAGE:
            throw malformed("a second dictionary page");
          default:
            in.seek(in.getPos() + h.getCompressed_page_size()); // index pages, later formats
        }
      }
      close(); // a wide dump reads thousands of columns a row group, one after the other
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DataPage pageV1(PageHeader h) throws IOException {
    DataPageHeader d = h.getData_page_header();
    int size = read(h);
    valuesRead += d.getNum_values();
    return new DataPageV1(
        decompressor.decompress(BytesInput.from(page, 0, size), h.getUncompressed_page_size()),
        d.getNum_values(),
        h.getUncompressed_page_size(),
        noStatistics,
        FORMAT.getEncoding(d.getRepetition_level_encoding()),
        FORMAT.getEncoding(d.getDefinition_level_encoding()),
        FORMAT.getEncoding(d.getEncoding()));
  }

  private DataPage pageV2(PageHeader h) throws IOException {
    DataPageHeaderV2 d = h.getData_page_header_v2();
    int size = read(h);
    int rl = d.getRepetition_levels_byte_length();
    int dl = d.getDefinition_levels_byte_length();
    if (rl < 0 || dl < 0 || rl + dl > size) {
      throw malformed("a v2 page whose levels are longer than the page");
    }
    BytesInput data = BytesInput.from(page, rl + dl, size - rl - dl);
    if (d.isIs_compressed()) {
      data = decompressor.decompress(data, h.getUncompressed_page_size() - rl - dl);
    }
    valuesRead += d.getNum_values();
    return DataPageV2.uncompressed(
        d.getNum_rows(),
        d.getNum_nulls(),
        d.getNum_values(),
        BytesInput.from(page, 0, rl),
        BytesInput.from(page, rl, dl),
        FORMAT.getEncoding(d.getEncoding()),
        data,
        noStatistics);
  }

  /** Closes the stream (again: no-op). */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      in.close();
    }
  }

  /** Reads the page's stored bytes into {@link #page}; returns their count. */
  private int read(PageHeader h) throws IOException {
    int size = h.getCompressed_page_size();
    if (size < 0 || in.getPos() + size > end) {
      throw malformed("a page that runs past the chunk's end");
    }
    if (page.length < size) {
      page = new byte[Math.max(size, page.length + page.length / 2)];
    }
    in.readFully(page, 0, size);
    return size;
  }

  private void start() throws IOException {
    if (!started) {
      started = true;
      in.seek(chunk.getStartingPos());
      pending = chunk.getTotalSize() > 0 ? next() : null; // a row group of no rows has no page
    }
  }

  private PageHeader next() throws IOException {
    if (in.getPos() >= end) {
      throw malformed(
          "fewer values (" + valuesRead + ") than its footer's " + chunk.getValueCount());
    }
    return Util.readPageHeader(in);
  }

  private ParquetDecodingException malformed(String what) {
    return new ParquetDecodingException(
        String.format(
            "Cannot read '%s': column '%s' of the row group at byte %d has %s; the file is"
                + " damaged or was cut short, write it again",
            file, chunk.getPath().toDotString(), chunk.getStartingPos(), what));
  }
}
