package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.testing.Chromium;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, "checked as a user sees it": renders the sample report in headless Chromium (Debian's
 * {@code chromium}; {@code .ci/install-chromium} installs it), keeps a screenshot as a build
 * artifact ({@code core/target/report.png}), and fails on console messages (a script error is one),
 * on a page whose script did not run to its end, on an empty page or a missing plot. Skipped, with
 * a message, when no chromium is installed (failed on CI, see {@link Chromium#require}).
 */
@Tag("browser")
class ReportBrowserTest {
  private static final Path TARGET = Paths.get("target");
  private static final Path PAGE = TARGET.resolve("report.html");
  private static final Path SCREENSHOT = TARGET.resolve("report.png");

  @BeforeAll
  static void writeReport() throws IOException {
    Files.createDirectories(TARGET);
    try (OutputStream out = Files.newOutputStream(PAGE)) {
      HtmlReport.write(ReportFixtures.sample(), out);
    }
  }

  /** The DOM after the page's script ran, opened with #all so every section is expanded. */
  @Test
  void pageRunsItsScriptAndShowsEveryPlot() throws Exception {
    Chromium.Run run = Chromium.require().run("--dump-dom", PAGE.toUri() + "#all");
    run.assertNoConsoleMessages();
    String dom = run.stdout();
    assertTrue(
        dom.contains("data-qcal=\"ready\""), "the page's script did not finish:\n" + head(dom));
    assertTrue(dom.contains("qcal calibration report"), "empty page:\n" + head(dom));
    // 4 tensors: 3 histograms (all_zero has one too: its bin of 0), curves of percentile, mse,
    // octav.
    assertEquals(
        4,
        Chromium.count(dom, "<details class=\"t\" id=\"t\\d+\" open=\"\""),
        "sections opened by #all");
    assertEquals(4, Chromium.count(dom, "<svg class=\"h\""), "histogram plots");
    assertTrue(Chromium.count(dom, "<svg class=\"c ") >= 9, "curve plots:\n" + head(dom));
    assertEquals(4 * 4, Chromium.count(dom, "<g class=\"thr m\\d\">"), "threshold lines");
    assertTrue(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile name is shown as text");
    assertEquals(4, Chromium.count(dom, "<tr data-i="), "summary rows");
  }

  /** A screenshot, kept as a build artifact; fails on console messages or an empty image. */
  @Test
  void screenshot() throws Exception {
    Chromium chromium = Chromium.require();
    Files.deleteIfExists(SCREENSHOT);
    Chromium.Run run =
        chromium.run(
            "--screenshot=" + SCREENSHOT.toAbsolutePath(),
            "--window-size=1400,2000",
            "--hide-scrollbars",
            PAGE.toUri() + "#all");
    run.assertNoConsoleMessages();
    assertTrue(Files.exists(SCREENSHOT), "no screenshot written:\n" + run.stderr());
    assertTrue(Files.size(SCREENSHOT) > 50_000, "screenshot suspiciously small (blank page?)");
  }

  /**
   * Sorting and filtering as a user does them: a wrapper page loads the report in a frame, clicks
   * headers, types into the filter box, and writes what the table shows into its own DOM.
   */
  @Test
  void headersSortAndTheFilterBoxFilters() throws Exception {
    Chromium chromium = Chromium.require();
    Path wrapper = TARGET.resolve("report-interaction.html");
    Files.writeString(wrapper, INTERACTION, StandardCharsets.UTF_8);
    Chromium.Run run =
        chromium.run("--allow-file-access-from-files", "--dump-dom", wrapper.toUri().toString());
    run.assertNoConsoleMessages();
    String dom = run.stdout();
    String out = dom.substring(dom.indexOf("<pre id=\"out\">") + 14, dom.indexOf("</pre>"));
    String script = "&lt;script&gt;alert(1)&lt;/script&gt;";
    String zero = "all_zero";
    // The filter matches flags too: only conv1/Relu:0 has_inf (its name does not say so).
    String relu = "conv1/Relu:0";
    String enc = "encoder.layer.0.attention.output";
    assertEquals(
        String.join(
            "\n",
            "ready=ready",
            // Sorted by the primary method's (max's) gap to the best SQNR of its row, largest
            // first; all_zero has no error with any method (gap 0); ties by name.
            "initial=" + String.join("|", enc, script, relu, zero),
            "gap-sort=descending",
            "gaps=0.5|0.3|0.3|0.0",
            // values: all_zero has 1,000, the others 20,000 (ties keep the initial order).
            "values-asc=" + String.join("|", zero, enc, script, relu),
            "values-desc=" + String.join("|", enc, script, relu, zero),
            // SQNR of max: 21.5, 40.3, 40.7; all_zero has none and sorts last.
            "sqnr-asc=" + String.join("|", script, enc, relu, zero),
            "filter=" + relu,
            "shown=1 of 4 shown",
            "sections-hidden=3",
            "flag=" + relu),
        out);
  }

  /**
   * Issue 14, "never breaks a tensor name mid-word": the report in a frame 240 px wide, where the
   * longer names must wrap; every line break inside a name (found from the characters' boxes) must
   * follow a separator ({@code / . _ : -}) or white space. The old style sheet (break-all) fails
   * this.
   */
  @Test
  void namesWrapAtSeparatorsOnly() throws Exception {
    Chromium chromium = Chromium.require();
    Path wrapper = TARGET.resolve("report-narrow.html");
    Files.writeString(wrapper, NARROW, StandardCharsets.UTF_8);
    Chromium.Run run =
        chromium.run("--allow-file-access-from-files", "--dump-dom", wrapper.toUri().toString());
    run.assertNoConsoleMessages();
    String dom = run.stdout();
    String out = dom.substring(dom.indexOf("<pre id=\"out\">") + 14, dom.indexOf("</pre>"));
    assertTrue(out.startsWith("names=8 "), out);
    assertTrue(out.contains(" midword=0"), out);
    int wraps = Integer.parseInt(out.replaceAll("(?s).*wraps=(\\d+).*", "$1"));
    assertTrue(wraps >= 2, "no name wrapped, so the check proves nothing: " + out);
  }

  private static final String NARROW =
      """
      <!DOCTYPE html><html><body><pre id="out">pending</pre>
      <iframe id="f" src="report.html#all" width="240" height="600"></iframe>
      <script>
      document.getElementById('f').addEventListener('load', function () {
        var out = 'error';
        try {
          var d = this.contentDocument, mid = 0, wraps = 0, where = [], seps = '/._:- \\t';
          var els = d.querySelectorAll('#sum .nm, details.t .nm');
          Array.prototype.forEach.call(els, function (el) {
            var w = d.createTreeWalker(el, NodeFilter.SHOW_TEXT), node, top = null, prev = null;
            while ((node = w.nextNode())) {
              for (var i = 0; i < node.length; i++) {
                var r = d.createRange();
                r.setStart(node, i);
                r.setEnd(node, i + 1);
                var box = r.getClientRects()[0];
                if (!box) continue;
                if (top !== null && box.top > top + 2) {
                  wraps++;
                  if (seps.indexOf(prev) < 0 && seps.indexOf(node.data[i]) < 0) { mid++; where.push(prev + '|' + node.data[i]); }
                }
                top = box.top;
                prev = node.data[i];
              }
            }
          });
          out = 'names=' + els.length + ' midword=' + mid + ' wraps=' + wraps + (where.length ? ' at ' + where.join(' ') : '');
        } catch (e) {
          out = 'error=' + e;
        }
        document.getElementById('out').textContent = out;
      });
      </script></body></html>
      """;

  private static final String INTERACTION =
      """
      <!DOCTYPE html><html><body><pre id="out">pending</pre>
      <iframe id="f" src="report.html" width="1400" height="600"></iframe>
      <script>
      document.getElementById('f').addEventListener('load', function () {
        var out = [];
        try {
          var d = this.contentDocument;
          var names = function () {
            return Array.prototype.filter.call(d.querySelectorAll('#sum tbody tr'), function (r) {
              return !r.hidden;
            }).map(function (r) { return r.cells[0].textContent; }).join('|');
          };
          var type = function (q) {
            var f = d.getElementById('filter');
            f.value = q;
            f.dispatchEvent(new Event('input'));
          };
          out.push('ready=' + d.documentElement.getAttribute('data-qcal'));
          out.push('initial=' + names());
          out.push('gap-sort=' + d.querySelector('#sum th[data-c="4"]').getAttribute('aria-sort'));
          out.push('gaps=' + Array.prototype.map.call(d.querySelectorAll('#sum tbody tr'), function (r) {
            return r.cells[4].textContent;
          }).join('|'));
          var values = d.querySelector('#sum th[data-c="1"]');
          values.click();
          out.push('values-asc=' + names());
          values.click();
          out.push('values-desc=' + names());
          d.querySelector('#sum th[data-c="7"]').click();
          out.push('sqnr-asc=' + names());
          type('RELU');
          out.push('filter=' + names());
          out.push('shown=' + d.getElementById('shown').textContent);
          out.push('sections-hidden=' + d.querySelectorAll('details.t[hidden]').length);
          type('has_inf');
          out.push('flag=' + names());

        } catch (e) {
          out.push('error=' + e);
        }
        document.getElementById('out').textContent = out.join('\\n');
      });
      </script></body></html>
      """;

  private static String head(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
  }
}
