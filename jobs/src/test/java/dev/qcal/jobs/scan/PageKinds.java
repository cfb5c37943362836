package dev.qcal.jobs.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * What the values column of a test dump really holds (page versions, value encodings, codecs, row
 * groups, pages per row group): the tests assert it, so a writer setting that silently did nothing
 * fails the test instead of testing less than it claims.
 */
final class PageKinds {
  private PageKinds() {}

  static Set<String> of(Path dir) {
    return of(dir, "values");
  }

  /** What column {@code column} of the test dump at {@code dir} holds. */
  static Set<String> of(Path dir, String column) {
    Set<String> kinds = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          (Iterable<Path>) files.filter(p -> p.toString().endsWith(".parquet"))::iterator) {
        try (ParquetFileReader r =
            ParquetFileReader.open(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(f.toString()), new Configuration()))) {
          ColumnDescriptor values = null;
          for (ColumnDescriptor c : r.getFileMetaData().getSchema().getColumns()) {
            if (c.getPath()[0].equals(column)) {
              values = c;
            }
          }
          if (r.getRowGroups().size() > 1) {
            kinds.add("several row groups");
          }
          for (BlockMetaData b : r.getRowGroups()) {
            for (var chunk : b.getColumns()) {
              if (chunk.getPath().toArray()[0].equals(column)) {
                kinds.add(chunk.getCodec().name());
              }
            }
          }
          PageReadStore group;
          while ((group = r.readNextRowGroup()) != null) {
            PageReader pages = group.getPageReader(values);
            if (pages.readDictionaryPage() != null) {
              kinds.add("dictionary page");
            }
            int n = 0;
            DataPage p;
            while ((p = pages.readPage()) != null) {
              n++;
              if (p instanceof DataPageV2) {
                kinds.add("V2");
                kinds.add(((DataPageV2) p).getDataEncoding().name());
              } else {
                kinds.add("V1");
                kinds.add(((DataPageV1) p).getValueEncoding().name());
              }
            }
            if (n > group.getRowCount()) {
              kinds.add("more pages than rows");
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return kinds;
  }
}
