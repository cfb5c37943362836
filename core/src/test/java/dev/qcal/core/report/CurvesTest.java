package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.SearchPoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurvesTest {
  private static List<SearchPoint> vee(int n, int bottom) {
    List<SearchPoint> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      points.add(new SearchPoint(i, Math.abs(i - bottom) + 1));
    }
    return points;
  }

  @Test
  void shortCurvesAreKept() {
    List<SearchPoint> points = vee(400, 100);
    assertSame(points, Curves.downsample(points, 400));
  }

  @Test
  void longCurvesKeepEndsExtremesAndOrder() {
    List<SearchPoint> points = vee(2048, 1234);
    List<SearchPoint> thin = Curves.downsample(points, 400);
    assertTrue(thin.size() <= 400, "size " + thin.size());
    assertTrue(thin.size() >= 200, "size " + thin.size());
    assertEquals(points.get(0), thin.get(0));
    assertEquals(points.get(2047), thin.get(thin.size() - 1));
    assertTrue(thin.contains(points.get(1234)), "the minimum survives");
    for (int i = 1; i < thin.size(); i++) {
      assertTrue(thin.get(i).threshold() > thin.get(i - 1).threshold(), "order at " + i);
    }
    assertEquals(thin, Curves.downsample(vee(2048, 1234), 400));
  }

  @Test
  void aSpikeSurvivesDownsampling() {
    List<SearchPoint> points = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      points.add(new SearchPoint(i, i == 3333 ? 100 : 1));
    }
    assertTrue(Curves.downsample(points, 400).contains(points.get(3333)));
  }

  @Test
  void rejectsTooFewPoints() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Curves.downsample(vee(10, 2), 3));
    assertEquals("Cannot downsample a curve to fewer than 4 points (3)", e.getMessage());
  }

  @Test
  void finiteDropsNonFinitePoints() {
    List<SearchPoint> points =
        List.of(
            new SearchPoint(1, Double.POSITIVE_INFINITY),
            new SearchPoint(2, 0.5),
            new SearchPoint(Double.NaN, 1),
            new SearchPoint(3, Double.NaN));
    assertEquals(List.of(new SearchPoint(2, 0.5)), Curves.finite(points));
  }

  @Test
  void simplifyDropsWhatCannotBeSeen() {
    // Collinear points: only the ends. A 0.4 bump (under 0.5): dropped. A 2-unit peak: kept.
    assertArrayEquals(
        new boolean[] {true, false, false, true},
        Curves.simplify(new double[] {0, 1, 2, 3}, new double[] {0, 1, 2, 3}, 0.5));
    assertArrayEquals(
        new boolean[] {true, false, true},
        Curves.simplify(new double[] {0, 1, 2}, new double[] {0, 0.4, 0}, 0.5));
    assertArrayEquals(
        new boolean[] {true, true, true},
        Curves.simplify(new double[] {0, 1, 2}, new double[] {0, 2, 0}, 0.5));
    assertArrayEquals(new boolean[] {}, Curves.simplify(new double[] {}, new double[] {}, 0.5));
  }
}
