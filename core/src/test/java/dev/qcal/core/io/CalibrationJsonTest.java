package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.io.CalibrationTableDocument.MethodEntry;
import dev.qcal.core.io.CalibrationTableDocument.TensorEntry;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationJsonTest {

  // Expected values, derived by hand:
  // - conv1 max: amax = max(|-1.5|, |2.5|) = 2.5; scale = 2.5f/127f = 0.019685039296746254
  //   (hex 3ca14285, docs/design/formats.md §2.4).
  // - conv1 entropy: amax 2.0; scale = 2.0f/127f = 0.015748031437397003 (numpy float32).
  //   Details sorted by name; bins is an int (written as an integer); 1e-5 prints as 1.0E-5 (Java
  //   syntax); the float 0.1f widens to 0.10000000149011612. The curve is not written.
  // - AWKWARD: all zero: flags [all_zero]; amax 0 gives scale 1 (QuantSpec: zero range → 1);
  //   objective +Inf and the NaN in "kl" become null. Name escaped by JSON rules only.
  // - nan_only: one NaN: stats min/max null, flags [no_finite_values, has_nan, ...].
  private static final String GOLDEN =
      """
      {
        "format": "qcal.calibration",
        "version": 1,
        "quant": {
          "scheme": "symmetric",
          "bits": 8,
          "scale_rounding": "exact"
        },
        "methods": [
          "max",
          "entropy"
        ],
        "tensors": [
          {
            "name": "conv1",
            "stats": {
              "count": 4,
              "nan": 1,
              "pos_inf": 0,
              "neg_inf": 0,
              "min": -1.5,
              "max": 2.5
            },
            "flags": [
              "has_nan"
            ],
            "methods": {
              "max": {
                "amax": 2.5,
                "scale": 0.019685039296746254,
                "zero_point": 0,
                "bits": 8,
                "objective": null,
                "notes": [],
                "details": {}
              },
              "entropy": {
                "amax": 2.0,
                "scale": 0.015748031437397003,
                "zero_point": 0,
                "bits": 8,
                "objective": 0.125,
                "notes": [
                  "hand-made"
                ],
                "details": {
                  "bins": 128,
                  "levels": [
                    0.5,
                    1.0E-5
                  ],
                  "ratio": 0.10000000149011612,
                  "variant": "ort"
                }
              }
            }
          },
          {
            "name": "fc \\"out\\"\\n2, b",
            "stats": {
              "count": 2,
              "nan": 0,
              "pos_inf": 0,
              "neg_inf": 0,
              "min": 0.0,
              "max": 0.0
            },
            "flags": [
              "all_zero"
            ],
            "methods": {
              "max": {
                "amax": 0.0,
                "scale": 1.0,
                "zero_point": 0,
                "bits": 8,
                "objective": null,
                "notes": [
                  "all-zero tensor: zero range, scale set to 1"
                ],
                "details": {}
              },
              "entropy": {
                "amax": 0.0,
                "scale": 1.0,
                "zero_point": 0,
                "bits": 8,
                "objective": null,
                "notes": [],
                "details": {
                  "kl": [
                    null,
                    0.5
                  ]
                }
              }
            }
          },
          {
            "name": "nan_only",
            "stats": {
              "count": 1,
              "nan": 1,
              "pos_inf": 0,
              "neg_inf": 0,
              "min": null,
              "max": null
            },
            "flags": [
              "no_finite_values",
              "has_nan"
            ],
            "methods": {
              "max": {
                "amax": 0.0,
                "scale": 1.0,
                "zero_point": 0,
                "bits": 8,
                "objective": null,
                "notes": [
                  "no finite values: range set to [0, 0]"
                ],
                "details": {}
              },
              "entropy": {
                "amax": 0.0,
                "scale": 1.0,
                "zero_point": 0,
                "bits": 8,
                "objective": null,
                "notes": [],
                "details": {}
              }
            }
          }
        ]
      }
      """;

  @Test
  void writesTheGoldenDocumentByteForByte() {
    CalibrationTable table = Tables.threeTensors();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CalibrationJson.write(table, out);
    assertEquals(GOLDEN, out.toString(StandardCharsets.UTF_8));
    assertEquals(GOLDEN, CalibrationJson.toJson(table));
    assertFalse(GOLDEN.contains("\r"));
  }

  @Test
  void writesTheSameBytesTwice() {
    assertEquals(
        CalibrationJson.toJson(Tables.threeTensors()),
        CalibrationJson.toJson(Tables.threeTensors()));
  }

  @Test
  void doesNotCloseTheStream() {
    class Tracking extends ByteArrayOutputStream {
      boolean closed;

      @Override
      public void close() {
        closed = true;
      }
    }
    Tracking out = new Tracking();
    CalibrationJson.write(Tables.threeTensors(), out);
    assertFalse(out.closed);
  }

  @Test
  void writesNonAsciiNamesVerbatimInUtf8() {
    // "é" is U+00E9, two bytes in UTF-8 (c3 a9), written unescaped.
    CalibrationTable table =
        CalibrationTable.of(
            List.of(Tables.maxRow("café", Tables.INT8, 1f)), List.of("max"), Tables.INT8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CalibrationJson.write(table, out);
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("\"name\": \"café\""), text);
  }

  @Test
  void affineSchemesWriteMinAndMaxInsteadOfAmax() {
    // values {-1.5, 2.5}, uint8 affine: scale = 4/255 = 0.01568627543747425 (ORT vector 3c808081),
    // zero point rint(0 + 1.5/scale) = rint(95.625) = 96.
    QuantSpec affine = QuantSpec.affine(8);
    CalibrationTable table =
        CalibrationTable.of(
            List.of(Tables.maxRow("x", affine, -1.5f, 2.5f)), List.of("max"), affine);
    String text = CalibrationJson.toJson(table);
    assertTrue(
        text.contains(
            "\"max\": {\n"
                + "          \"min\": -1.5,\n"
                + "          \"max\": 2.5,\n"
                + "          \"scale\": 0.01568627543747425,\n"
                + "          \"zero_point\": 96,\n"),
        text);
    assertFalse(text.contains("amax"), text);
    assertTrue(text.contains("\"scheme\": \"affine\""), text);
    MethodEntry back = CalibrationJson.read(bytes(text)).tensor("x").method("max");
    assertEquals(new ClipRange(-1.5, 2.5), back.range());
    assertEquals(96, back.zeroPoint());
  }

  @Test
  void readsBackEveryValue() {
    CalibrationTable table = Tables.threeTensors();
    CalibrationTableDocument doc = CalibrationJson.read(bytes(CalibrationJson.toJson(table)));
    assertEquals(1, doc.version());
    assertEquals(table.quant(), doc.quant());
    assertEquals(table.methods(), doc.methods());
    assertEquals(table.tensors().size(), doc.tensors().size());
    for (int i = 0; i < table.tensors().size(); i++) {
      TensorCalibration want = table.tensors().get(i);
      TensorEntry got = doc.tensors().get(i);
      assertEquals(want.name(), got.name());
      assertEquals(want.stats(), got.stats());
      assertEquals(want.flags(), got.flags());
      assertEquals(List.copyOf(want.results().keySet()), List.copyOf(got.methods().keySet()));
      for (CalibrationResult r : want.results().values()) {
        MethodEntry m = got.method(r.method());
        // Symmetric schemes store amax only: the range reads back as (−amax, amax), equal in value
        // (0.0 == −0.0) to what the calibrator chose.
        assertEquals(r.amax(), m.amax(), r.method());
        assertTrue(
            r.range().min() == m.range().min() && r.range().max() == m.range().max(), r.method());
        // float32 scales exact: compare the bits.
        assertEquals(
            Float.floatToRawIntBits(r.params().scale()), Float.floatToRawIntBits(m.scale()));
        assertEquals(r.params().zeroPoint(), m.zeroPoint());
        assertEquals(r.quant().bits(), m.bits());
        assertEquals(Double.isFinite(r.objective()) ? r.objective() : Double.NaN, m.objective());
        assertEquals(r.notes(), m.notes());
      }
    }
    Map<String, Object> details = doc.tensor("conv1").method("entropy").details();
    assertEquals(List.of("bins", "levels", "ratio", "variant"), List.copyOf(details.keySet()));
    assertEquals(128L, details.get("bins"));
    assertEquals(List.of(0.5, 1e-5), details.get("levels"));
    assertEquals(0.1f, (float) (double) (Double) details.get("ratio"));
    assertEquals("ort", details.get("variant"));
    assertEquals(
        Arrays.asList(null, 0.5), doc.tensor(Tables.AWKWARD).method("entropy").details().get("kl"));
    assertEquals(Float.NEGATIVE_INFINITY, doc.tensor("nan_only").stats().max());
  }

  @Test
  void writesNullCountsOnlyWhenThereAreNullsAndReadsThemBack() {
    TensorCalibration plain = Tables.maxRow("plain", Tables.INT8, 1f, -2f);
    TensorCalibration row = Tables.maxRow("nulls", Tables.INT8, 1f, -2f);
    TensorCalibration nulls =
        new TensorCalibration(row.name(), row.stats().withNulls(3, 2), row.results());
    TensorCalibration empty = Tables.maxRow("only null rows", Tables.INT8);
    TensorCalibration onlyNullRows =
        new TensorCalibration(empty.name(), empty.stats().withNulls(0, 4), empty.results());
    String text =
        CalibrationJson.toJson(
            CalibrationTable.of(List.of(plain, nulls, onlyNullRows), List.of("max"), Tables.INT8));
    assertTrue(
        text.contains(
            "\"neg_inf\": 0,\n"
                + "        \"null\": 3,\n"
                + "        \"null_rows\": 2,\n"
                + "        \"min\": -2.0,"),
        text);
    assertTrue(text.contains("\"flags\": [\n        \"has_null\"\n      ]"), text);
    assertTrue(
        text.contains("\"flags\": [\n        \"empty\",\n        \"has_null\"\n      ]"), text);
    assertEquals(2, text.split("\"null\":", -1).length - 1, "no null count where there is none");
    CalibrationTableDocument doc = CalibrationJson.read(bytes(text));
    assertEquals(nulls.stats(), doc.tensor("nulls").stats());
    assertEquals(plain.stats(), doc.tensor("plain").stats());
    assertEquals(onlyNullRows.stats(), doc.tensor("only null rows").stats());
  }

  @Test
  void roundTripsFloat32ScalesExactly() {
    // Scales whose shortest double decimal is long: reading the decimal as double and casting to
    // float must give the very same float32 bits.
    float[] amaxes = {42.371686846861635f, 0.001f, 1e-30f, 3.4028235e38f, 6.0f, 1.0000001f};
    List<TensorCalibration> rows = new java.util.ArrayList<>();
    for (int i = 0; i < amaxes.length; i++) {
      rows.add(Tables.maxRow("t" + i, Tables.INT8, -amaxes[i], amaxes[i]));
    }
    CalibrationTable table = CalibrationTable.of(rows, List.of("max"), Tables.INT8);
    CalibrationTableDocument doc = CalibrationJson.read(bytes(CalibrationJson.toJson(table)));
    for (TensorCalibration t : table.tensors()) {
      float want = t.result("max").params().scale();
      float got = doc.tensor(t.name()).method("max").scale();
      assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), t.name());
      assertEquals(t.result("max").amax(), doc.tensor(t.name()).method("max").amax());
    }
  }

  @Test
  void rejectsAnotherFormatOrVersion() {
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () ->
                CalibrationJson.read(
                    bytes("{\"format\": \"qcal.calibration\", \"version\": 2}"), "t.json"));
    assertEquals(
        "t.json: schema version 2 is not supported (this qcal reads version 1)", e.getMessage());
    e =
        assertThrows(
            InputFormatException.class,
            () -> CalibrationJson.read(bytes("{\"format\": \"x\"}"), "t.json"));
    assertEquals("t.json: 'format' is 'x', expected 'qcal.calibration'", e.getMessage());
    e = assertThrows(InputFormatException.class, () -> CalibrationJson.read(bytes("[1"), "t.json"));
    assertTrue(e.getMessage().startsWith("t.json: not valid JSON: "), e.getMessage());
  }

  @Test
  void namesTheTensorAndFieldOfAMissingValue() {
    String text =
        CalibrationJson.toJson(Tables.threeTensors()).replaceFirst("\"scale\": [^,]*,\n", "");
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> CalibrationJson.read(bytes(text), "t.json"));
    assertEquals("t.json: tensor 'conv1': method max: missing 'scale'", e.getMessage());
  }

  @Test
  void refusesADetailItCannotWriteDeterministically() {
    CalibrationResult r =
        CalibrationResult.builder("max", ClipRange.symmetric(1), Tables.INT8)
            .detail("x", new Object())
            .build();
    TensorCalibration row =
        new TensorCalibration("t", dev.qcal.core.stats.RangeStats.of(1f), Map.of("max", r));
    CalibrationTable table = CalibrationTable.of(List.of(row), List.of("max"), Tables.INT8);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CalibrationJson.toJson(table));
    assertEquals(
        "Cannot write detail 'x' of method max for tensor 't': java.lang.Object is not a number,"
            + " string, boolean, primitive array, list or map",
        e.getMessage());
  }

  static ByteArrayInputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
