package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.drift.DriftComparison;
import dev.qcal.core.drift.DriftReport;
import dev.qcal.core.drift.MethodRange;
import dev.qcal.core.drift.RangeTable;
import dev.qcal.core.drift.TensorRanges;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.TensorFlag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** drift.json byte for byte on a small hand-built comparison. */
class DriftJsonTest {
  private static TensorRanges t(String name, Set<TensorFlag> flags, double amax, double scale) {
    Map<String, MethodRange> m = new LinkedHashMap<>();
    m.put("max", new MethodRange(0.0 - amax, amax, scale));
    return TensorRanges.of(name, flags, m);
  }

  @Test
  void writesTheDocumentedLayout() {
    RangeTable base =
        new RangeTable(
            Scheme.SYMMETRIC,
            8,
            List.of("max"),
            List.of(
                t("a", Set.of(), 4, 0.5),
                t("dead", Set.of(), 2, 0.25),
                t("gone", Set.of(), 1, 0.125)));
    RangeTable now =
        new RangeTable(
            Scheme.SYMMETRIC,
            8,
            List.of("max"),
            List.of(
                t("a", Set.of(), 5, 0.625),
                t("dead", Set.of(TensorFlag.ALL_ZERO), 0, 1),
                t("new", Set.of(), 1, 0.125)));
    DriftReport r = DriftComparison.compare(base, now, OptionalDouble.of(0.1));
    String expected =
        """
        {
          "format": "qcal.drift",
          "version": 1,
          "baseline": "out/run_id=1/calibration.json",
          "quant": {
            "scheme": "symmetric",
            "bits": 8
          },
          "measure": "scale",
          "limit": 0.1,
          "methods": [
            "max"
          ],
          "tensors_compared": 2,
          "exceeded": [
            "a",
            "dead"
          ],
          "worst": {
            "tensor": "dead",
            "method": "max",
            "change": null,
            "measure": "degenerate_changed"
          },
          "appeared": [
            "new"
          ],
          "disappeared": [
            "gone"
          ],
          "tensors": [
            {
              "name": "a",
              "change": 0.25,
              "exceeds": true,
              "methods": {
                "max": {
                  "measure": "scale",
                  "baseline": {
                    "amax": 4.0,
                    "scale": 0.5
                  },
                  "current": {
                    "amax": 5.0,
                    "scale": 0.625
                  },
                  "change": 0.25
                }
              }
            },
            {
              "name": "dead",
              "change": null,
              "exceeds": true,
              "degenerate": {
                "baseline": [],
                "current": [
                  "all_zero"
                ]
              },
              "methods": {
                "max": {
                  "measure": "degenerate_changed",
                  "baseline": {
                    "amax": 2.0,
                    "scale": 0.25
                  },
                  "current": {
                    "amax": 0.0,
                    "scale": 1.0
                  },
                  "change": null
                }
              }
            }
          ]
        }
        """;
    assertEquals(expected, DriftJson.toJson(r, now, "out/run_id=1/calibration.json"));
    assertEquals(
        expected,
        DriftJson.toJson(
            DriftComparison.compare(base, now, OptionalDouble.of(0.1)),
            now,
            "out/run_id=1/calibration.json"));
  }

  @Test
  void affineEntriesCarryBothBoundsAndAReportWithoutLimitHasNull() {
    Map<String, MethodRange> b = Map.of("max", new MethodRange(-1, 3, 0.015625));
    Map<String, MethodRange> c = Map.of("max", new MethodRange(-2, 3.25, 0.0205078125));
    RangeTable base =
        new RangeTable(
            Scheme.AFFINE, 8, List.of("max"), List.of(TensorRanges.of("x", Set.of(), b)));
    RangeTable now =
        new RangeTable(
            Scheme.AFFINE, 8, List.of("max"), List.of(TensorRanges.of("x", Set.of(), c)));
    String json =
        DriftJson.toJson(DriftComparison.compare(base, now, OptionalDouble.empty()), now, "b.json");
    String tail = json.substring(json.indexOf("\"tensors\": ["));
    assertEquals(
        """
        "tensors": [
            {
              "name": "x",
              "change": 0.25,
              "exceeds": false,
              "methods": {
                "max": {
                  "measure": "range",
                  "baseline": {
                    "min": -1.0,
                    "max": 3.0,
                    "scale": 0.015625
                  },
                  "current": {
                    "min": -2.0,
                    "max": 3.25,
                    "scale": 0.0205078125
                  },
                  "change_min": 0.25,
                  "change_max": 0.0625,
                  "change": 0.25
                }
              }
            }
          ]
        }
        """,
        tail);
    assertEquals(true, json.contains("\"measure\": \"range\",\n  \"limit\": null,"));
    assertEquals(true, json.contains("\"exceeded\": [],"));
  }
}
