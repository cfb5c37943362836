package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The spark-submit jar carries qcal-onnx, ONNX Runtime, and protobuf-java relocated to {@code
 * dev.qcal.shaded.protobuf}, so whatever protobuf a cluster puts on the class path (Spark 4.0.1
 * ships 4.29.3) can never shadow the runtime qcal's generated ONNX classes need.
 */
class ShadedJarIT {
  private static final Path JAR = Paths.get(System.getProperty("qcal.it.jar"));

  @Test
  void protobufIsRelocatedAndNothingOfItsOriginalPackageIsLeft() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertEquals(List.of(), names.stream().filter(n -> n.startsWith("com/google/")).toList());
      assertTrue(
          names.contains("dev/qcal/shaded/protobuf/GeneratedMessage.class"),
          "relocated protobuf runtime");
      assertTrue(names.contains("dev/qcal/onnx/OnnxModel.class"), "qcal-onnx");
      assertTrue(
          names.contains("dev/qcal/onnx/proto/ModelProto.class"), "the generated ONNX classes");
    }
  }

  /**
   * ONNX Runtime (Spark does not ship it) is in the jar unrelocated, with its native libraries, but
   * without the macOS debug symbols; the cluster test runs it on executors.
   */
  @Test
  void onnxRuntimeAndItsNativeLibrariesAreInTheJar() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertTrue(names.contains("ai/onnxruntime/OrtSession.class"));
      for (String platform : List.of("linux-x64", "linux-aarch64")) {
        assertTrue(
            names.contains("ai/onnxruntime/native/" + platform + "/libonnxruntime.so"), platform);
        assertTrue(
            names.contains("ai/onnxruntime/native/" + platform + "/libonnxruntime4j_jni.so"),
            platform);
      }
      assertEquals(List.of(), names.stream().filter(n -> n.contains(".dSYM/")).toList());
    }
  }

  /**
   * In a class loader that sees the jar alone (no com.google.protobuf anywhere), the generated
   * classes build, serialize and parse a model through the relocated runtime.
   */
  @Test
  void onnxClassesRunOnTheRelocatedRuntimeAlone() throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> modelProto = loader.loadClass("dev.qcal.onnx.proto.ModelProto");
      assertEquals(
          "dev.qcal.shaded.protobuf.GeneratedMessage", modelProto.getSuperclass().getName());
      Object builder = modelProto.getMethod("newBuilder").invoke(null);
      builder.getClass().getMethod("setIrVersion", long.class).invoke(builder, 9L);
      Class<?> graphProto = loader.loadClass("dev.qcal.onnx.proto.GraphProto");
      Object graph = graphProto.getMethod("getDefaultInstance").invoke(null);
      builder.getClass().getMethod("setGraph", graphProto).invoke(builder, graph);
      Object model = builder.getClass().getMethod("build").invoke(builder);
      byte[] bytes = (byte[]) modelProto.getMethod("toByteArray").invoke(model);

      Class<?> onnxModel = loader.loadClass("dev.qcal.onnx.OnnxModel");
      Method parse = onnxModel.getMethod("parse", byte[].class, String.class);
      Object parsed = parse.invoke(null, bytes, "built in ShadedJarIT");
      assertEquals(9L, onnxModel.getMethod("irVersion").invoke(parsed));
      assertArrayEquals(bytes, (byte[]) onnxModel.getMethod("toBytes").invoke(parsed));
    }
  }
}
