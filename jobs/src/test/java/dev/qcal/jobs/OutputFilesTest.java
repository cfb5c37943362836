package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and directories created through {@link OutputFiles} on the local file system get what
 * Hadoop's local file system gave them (the bytes, the missing parents, the modes under its
 * configured umask), and a file that exists is refused.
 */
class OutputFilesTest {
  @TempDir java.nio.file.Path tmp;

  private static FileSystem local(String umask) throws IOException {
    Configuration conf = new Configuration();
    conf.set("fs.permissions.umask-mode", umask);
    // A file system of its own: FileSystem.get caches one per scheme, with the first conf.
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return FileSystem.getLocal(conf);
  }

  private static String mode(java.nio.file.Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void createsWhatHadoopCreatesWithItsModes() throws IOException {
    for (String umask : new String[] {"022", "077", "002"}) {
      FileSystem fs = local(umask);
      java.nio.file.Path ours = tmp.resolve("ours-" + umask);
      java.nio.file.Path hadoops = tmp.resolve("hadoop-" + umask);
      byte[] text = "qcal\n".getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = OutputFiles.create(fs, new Path(ours.resolve("a/b/f").toUri()))) {
        out.write(text);
      }
      try (OutputStream out = fs.create(new Path(hadoops.resolve("a/b/f").toUri()), false)) {
        out.write(text);
      }
      OutputFiles.mkdirs(fs, new Path(ours.resolve("d/e").toUri()));
      fs.mkdirs(new Path(hadoops.resolve("d/e").toUri()));
      for (String p : new String[] {"a", "a/b", "a/b/f", "d", "d/e"}) {
        assertEquals(mode(hadoops.resolve(p)), mode(ours.resolve(p)), umask + " " + p);
      }
      assertArrayEquals(text, Files.readAllBytes(ours.resolve("a/b/f")));
    }
    assertEquals("rw-------", mode(tmp.resolve("ours-077/a/b/f")));
    assertEquals("rwxrwxr-x", mode(tmp.resolve("ours-002/d/e")));
  }

  @Test
  void refusesAFileThatExistsAndKeepsIt() throws IOException {
    FileSystem fs = local("022");
    java.nio.file.Path file = Files.writeString(tmp.resolve("there"), "kept");
    FileAlreadyExistsException e =
        assertThrows(
            FileAlreadyExistsException.class, () -> OutputFiles.create(fs, new Path(file.toUri())));
    assertEquals(file.toString(), e.getMessage());
    assertEquals("kept", Files.readString(file));
    OutputFiles.mkdirs(fs, new Path(tmp.toUri())); // an existing directory: nothing to do
    assertTrue(Files.isDirectory(tmp));
    IOException notDir =
        assertThrows(
            IOException.class, () -> OutputFiles.mkdirs(fs, new Path(file.resolve("d").toUri())));
    assertTrue(notDir.getMessage().contains(file.toString()), notDir.getMessage());
  }
}
