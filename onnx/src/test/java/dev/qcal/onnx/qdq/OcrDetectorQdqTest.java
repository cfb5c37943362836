package dev.qcal.onnx.qdq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.io.CalibrationTableDocument;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.qdq.QdqPlacement.Role;
import dev.qcal.onnx.qdq.QdqPlacement.Site;
import dev.qcal.onnx.testing.CalibrationTables;
import dev.qcal.onnx.testing.OcrModels;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * qdq on a real model no one here wrote: PaddleOCR's PP-OCRv4 text detector (opset 11, every weight
 * in a Constant node), with INT8 weights per tensor, which opset 11 takes without an opset
 * conversion (per-channel weights need 13, and the recognizer and classifier, opset 9, need 10:
 * those wait for the opset converter). A small calibration run (ONNX Runtime on four page-like
 * images, qcal's calibrators), then ONNX Runtime runs the float and the Q/DQ model on three other
 * images and the probability maps are compared: their SQNR, and the overlap (IoU) of the text
 * regions PaddleOCR's post-processing would take (map > 0.3). The images are drawn shapes, not
 * rendered text: the real-input proof (rendered lines, the recognizer's CTC agreement) is the
 * end-to-end test's.
 */
class OcrDetectorQdqTest {
  private static final long[] SHAPE = {1, 3, 96, 160};

  /**
   * A page-like image: dark word-shaped bars on lines over a light, slightly noisy background,
   * normalized as PaddleOCR's detector expects (ImageNet mean and std, CHW).
   */
  private static float[] page(long seed) {
    int h = (int) SHAPE[2];
    int w = (int) SHAPE[3];
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    Random random = new Random(seed);
    g.setColor(
        new Color(235 + random.nextInt(20), 235 + random.nextInt(20), 230 + random.nextInt(25)));
    g.fillRect(0, 0, w, h);
    for (int y = 8 + random.nextInt(6); y < h - 12; y += 18 + random.nextInt(8)) {
      int height = 8 + random.nextInt(5);
      for (int x = 6 + random.nextInt(10); x < w - 20; ) {
        int word = 10 + random.nextInt(30);
        int ink = random.nextInt(60);
        g.setColor(new Color(ink, ink, ink + random.nextInt(30)));
        // A word: strokes of 1-3 px with gaps, the way glyphs look at this size.
        for (int sx = x; sx < Math.min(x + word, w - 4); sx += 2 + random.nextInt(3)) {
          g.fillRect(sx, y + random.nextInt(3), 1 + random.nextInt(2), height - random.nextInt(3));
        }
        x += word + 5 + random.nextInt(8);
      }
    }
    g.dispose();
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    float[] chw = new float[3 * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        for (int c = 0; c < 3; c++) {
          float v = ((rgb >> (16 - 8 * c)) & 0xFF) / 255f + (float) random.nextGaussian() * 0.01f;
          chw[(c * h + y) * w + x] = (v - mean[c]) / std[c];
        }
      }
    }
    return chw;
  }

  @Test
  void int8PerTensorKeepsTheDetectorsProbabilityMap() throws Exception {
    OcrModels models = OcrModels.require();
    OnnxModel detector = OnnxModel.read(models.detector());
    QdqOptions options = QdqOptions.of(QdqOptions.DEFAULT_OPS, WeightGranularity.PER_TENSOR);
    List<String> activations = new ArrayList<>();
    int reads = 0;
    for (Site s : QdqPlacement.of(detector, options)) {
      if (s.role() == Role.ACTIVATION) {
        activations.add(s.tensor());
        reads += s.uses().size();
      }
    }
    assertEquals(64, reads, "the inputs of 62 Conv and 2 ConvTranspose");
    assertEquals(61, activations.size(), "three tensors feed two Convs each: one Q/DQ pair apiece");

    // Calibration: the activations the Q/DQ nodes will read, over four images.
    byte[] exposed = OrtRunner.exposing(detector.proto(), activations);
    Map<String, List<float[]>> seen = new LinkedHashMap<>();
    for (long seed = 1; seed <= 4; seed++) {
      float[] image = page(seed);
      Map<String, FloatOutput> out =
          OrtRunner.run(exposed, Map.of("x", new FloatOutput(SHAPE, image)), OptLevel.ALL_OPT);
      for (String t : activations) {
        seen.computeIfAbsent(t, k -> new ArrayList<>())
            .add(t.equals("x") ? image : out.get(t).values());
      }
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    seen.forEach(
        (t, parts) -> {
          int n = parts.stream().mapToInt(p -> p.length).sum();
          float[] all = new float[n];
          int at = 0;
          for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
          }
          values.put(t, all);
        });

    for (QdqScheme scheme : List.of(QdqScheme.SYMMETRIC, QdqScheme.AFFINE)) {
      byte[] json =
          CalibrationTables.of(
              values,
              List.of("percentile", "max"),
              new QuantSpec(8, scheme.tableScheme(), ScaleRounding.EXACT));
      CalibrationTableDocument table =
          CalibrationJson.read(new ByteArrayInputStream(json), "det.json");
      QdqResult r =
          QdqWriter.quantize(
              detector, ActivationScales.from(table, null, scheme, "det.json"), options);
      assertEquals(61, r.activations().size());
      assertEquals(64, r.weights().size());
      assertEquals(11, r.opsetAfter(), "no opset change for per-tensor INT8");
      assertTrue(
          r.model().toBytes().length < OnnxModel.read(models.detector()).toBytes().length / 2,
          "INT8 weights: the model shrinks");

      double signal = 0;
      double noise = 0;
      long both = 0;
      long either = 0;
      long text = 0;
      long pixels = 0;
      for (long seed = 101; seed <= 103; seed++) {
        Map<String, FloatOutput> in = Map.of("x", new FloatOutput(SHAPE, page(seed)));
        float[] reference =
            OrtRunner.run(detector.toBytes(), in, OptLevel.ALL_OPT).get("sigmoid_0.tmp_0").values();
        float[] quantized =
            OrtRunner.run(r.model().toBytes(), in, OptLevel.ALL_OPT)
                .get("sigmoid_0.tmp_0")
                .values();
        for (int i = 0; i < reference.length; i++) {
          signal += (double) reference[i] * reference[i];
          noise += (double) (reference[i] - quantized[i]) * (reference[i] - quantized[i]);
          // PaddleOCR's DB post-processing binarizes the map at 0.3: the text regions.
          boolean inReference = reference[i] > 0.3f;
          boolean inQuantized = quantized[i] > 0.3f;
          both += inReference && inQuantized ? 1 : 0;
          either += inReference || inQuantized ? 1 : 0;
          text += inReference ? 1 : 0;
          pixels++;
        }
      }
      double db = 10 * Math.log10(signal / noise);
      double iou = (double) both / either;
      System.out.printf(
          "PP-OCRv4 det, %s per-tensor INT8 (percentile): map SQNR %.1f dB; text regions (map >"
              + " 0.3, %.1f%% of the float map's pixels) IoU %.3f%n",
          scheme.key(), db, 100.0 * text / pixels, iou);
      // Measured (ORT 1.29): symmetric 7.7 dB, IoU 0.83; affine 11.7 dB, IoU 0.92. Per-tensor
      // weights are most of the loss (weights alone: 12.8 dB; per channel: 21.9 dB, which needs
      // opset 13), and of the activations p2o.Add.15 (max |x| 167) costs most on its own.
      assertTrue(db > 5, scheme.key() + ": SQNR " + db + " dB");
      assertTrue(iou > 0.75, scheme.key() + ": IoU " + iou);
    }
  }
}
