package dev.qcal.jobs.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.OutputFiles;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What {@link OutputDirectory} checks about its target before any work and again at the commit: the
 * target can be written (its nearest existing ancestor is a directory this process can create files
 * in), and it does not exist or, when replacing, holds only the output of an earlier qcal run.
 */
final class TargetChecks {
  private TargetChecks() {}

  /**
   * Checks that {@code target} does not exist, or, with {@code overwrite}, that it is a qcal output
   * directory ({@link #isQcalOutput}).
   *
   * @throws JobException (usage) otherwise, saying what is there
   */
  static void checkTarget(FileSystem fs, Path target, boolean overwrite) throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(target);
    } catch (FileNotFoundException e) {
      return;
    }
    if (!overwrite) {
      throw JobException.usage(
          "Output directory "
              + target
              + " already exists: give --overwrite to replace it, or another --output");
    }
    if (!status.isDirectory()) {
      throw JobException.usage(
          "Cannot overwrite "
              + target
              + ": it is a file, not a qcal output directory; --overwrite replaces only the output"
              + " of an earlier qcal run: give another --output (or delete the file yourself)");
    }
    if (!isQcalOutput(fs, target)) {
      throw JobException.usage(
          "Cannot overwrite "
              + target
              + ": it is not a qcal output directory (it has no "
              + CalibrationOutput.SUMMARY
              + " of format "
              + SummaryJson.FORMAT
              + " nor "
              + DumpMarker.FILE
              + "; it holds "
              + listing(fs, target)
              + "); --overwrite replaces only the output of an earlier qcal run or an empty"
              + " directory: give another --output");
    }
  }

  /**
   * Whether {@code dir} is a directory qcal may replace: an empty one, or the output of a qcal run,
   * recognised by its {@code summary.json} of format {@value SummaryJson#FORMAT} (a calibration's)
   * or its {@value DumpMarker#FILE} of format {@value DumpMarker#FORMAT} (a captured dump's), each
   * written in the same commit as {@code _SUCCESS}.
   */
  static boolean isQcalOutput(FileSystem fs, Path dir) throws IOException {
    FileStatus[] children = fs.listStatus(dir);
    if (children.length == 0) {
      return true;
    }
    return hasFormat(fs, new Path(dir, CalibrationOutput.SUMMARY), SummaryJson.FORMAT)
        || hasFormat(fs, new Path(dir, DumpMarker.FILE), DumpMarker.FORMAT);
  }

  /** Whether {@code file} is a JSON object whose first field is {@code "format": format}. */
  private static boolean hasFormat(FileSystem fs, Path file, String format) throws IOException {
    try {
      if (!fs.getFileStatus(file).isFile()) {
        return false;
      }
    } catch (FileNotFoundException e) {
      return false;
    }
    try (InputStream in = fs.open(file);
        JsonParser p = new JsonFactory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      // "format" is the first field of both files: no need to read the rest.
      return p.nextToken() == JsonToken.FIELD_NAME
          && "format".equals(p.currentName())
          && p.nextToken() == JsonToken.VALUE_STRING
          && format.equals(p.getText());
    } catch (IOException e) {
      return false;
    }
  }

  private static String listing(FileSystem fs, Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    FileStatus[] children = fs.listStatus(dir);
    for (int i = 0; i < Math.min(children.length, 5); i++) {
      names.add(children[i].getPath().getName() + (children[i].isDirectory() ? "/" : ""));
    }
    return String.join(", ", names)
        + (children.length > 5 ? " and " + (children.length - 5) + " more" : "");
  }

  /**
   * Checks that {@code target} can be created: its nearest existing ancestor is a directory in
   * which this process can create a file (tried: permissions, ACLs and read-only mounts are only
   * known by trying). The probe is a hidden file, deleted at once.
   *
   * @throws JobException (usage) naming {@code what} and the ancestor otherwise
   */
  static void checkWritable(FileSystem fs, Path target, String what) throws IOException {
    Path ancestor = target.getParent();
    FileStatus status = null;
    while (ancestor != null) {
      try {
        status = fs.getFileStatus(ancestor);
        break;
      } catch (FileNotFoundException e) {
        ancestor = ancestor.getParent();
      }
    }
    if (status == null) {
      return; // the root of a file system that answers for no ancestor (an empty bucket): the
      // commit will tell
    }
    if (!status.isDirectory()) {
      throw JobException.usage(
          "Cannot write "
              + what
              + ": "
              + ancestor
              + " is a file, not a directory; give an --output under a directory");
    }
    Path probe = new Path(ancestor, ".qcal-probe-" + UUID.randomUUID());
    try {
      if (OutputFiles.isLocal(fs)) {
        // Opened as Hadoop's RawLocalFileSystem opens a file (java.io, so the same messages), but
        // without the chmod process Hadoop starts to set its mode (OutputFiles): the probe is
        // deleted at once.
        new FileOutputStream(OutputFiles.local(fs, probe).toFile()).close();
      } else {
        fs.create(probe, false).close();
      }
    } catch (IOException | FSError e) {
      throw JobException.usage(
          "Cannot write "
              + what
              + ": cannot create files in "
              + ancestor
              + " ("
              + rootMessage(e)
              + "); give an --output where this user can write",
          e);
    }
    try {
      fs.delete(probe, false);
    } catch (IOException e) {
      // Hidden and empty: harmless if it stays.
    }
  }

  /** The deepest cause's message: Hadoop's FSError wraps "No space left on device". */
  static String rootMessage(Throwable e) {
    Throwable deepest = e;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    String m = deepest.getMessage();
    if (m == null) {
      return deepest.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
