package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.testing.Qcal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every reference the sources and the docs make to the repository's own documentation resolves: a
 * Java file or Markdown page that names a {@code docs/…} path or another repository {@code .md}
 * file names one that exists; a section it cites ({@code docs/design/algorithms.md §3.4, §4.4}) is
 * a heading of that page ({@code ### 3.4 …}); a Markdown link to a repository file (and its {@code
 * #anchor}) points at something that exists. A {@code §} in Java near a page name or "notes" must
 * come with its page; others cite books or papers and are left alone.
 */
class DocLinksTest {
  /** Directories never searched: build output, fetched models, VCS data. */
  private static final Set<String> SKIPPED_DIRS =
      Set.of(".git", "target", ".cache", "node_modules");

  /**
   * A repository path: under a top-level directory, or any relative path to a {@code .md} file (a
   * path inside a URL or another repository's path, preceded by {@code /} or {@code :}, is not).
   */
  private static final Pattern REPO_PATH =
      Pattern.compile(
          "(?<![\\w/.:-])((?:docs|core|jobs|onnx|data|conf|bin)/[\\w./-]*[\\w/]|[\\w.-]+/[\\w./-]*\\.md\\b)");

  /** A page and the sections cited right after it: {@code docs/x.md §1, §2.3 and §4}. */
  private static final Pattern PAGE_SECTIONS =
      Pattern.compile("(docs/[\\w./-]+\\.md)((?:[ ,;]*(?:and |or )?§\\d+(?:\\.\\d+)*)*)");

  /** In Markdown, a page named by a path relative to the page itself: {@code formats.md §2.1}. */
  private static final Pattern MD_PAGE_SECTIONS =
      Pattern.compile("(?<![\\w/.-])([\\w./-]+\\.md)((?:[ ,;]*(?:and |or )?§\\d+(?:\\.\\d+)*)+)");

  private static final Pattern SECTION = Pattern.compile("§(\\d+(?:\\.\\d+)*)");

  /** Markdown links {@code [text](target)}, not images of remote pages. */
  private static final Pattern MD_LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

  /** A Java comment's line break and its continuation marker, so citations read as one line. */
  private static final Pattern COMMENT_BREAK = Pattern.compile("\\R[ \\t]*(?:\\*(?!/)|//)?[ \\t]*");

  private final Map<Path, List<String>> headings = new HashMap<>();

  @Test
  void everyCitedPageSectionAndLinkExists() throws IOException {
    Map<String, List<String>> problems = new TreeMap<>();
    for (Path file : sources()) {
      String rel = Qcal.ROOT.relativize(file).toString().replace('\\', '/');
      List<String> found = check(file);
      if (!found.isEmpty()) {
        problems.put(rel, found);
      }
    }
    Map<String, List<String>> unexpected = new TreeMap<>(problems);
    assertTrue(
        unexpected.isEmpty(),
        () ->
            "References to documentation that does not exist (write the page or section, or fix the"
                + " citation):\n"
                + unexpected.entrySet().stream()
                    .map(e -> e.getKey() + ":\n  " + String.join("\n  ", e.getValue()))
                    .collect(Collectors.joining("\n")));
  }

  @Test
  void theCheckFindsWhatIsMissing() throws IOException {
    Path page = Qcal.ROOT.resolve("docs/design/algorithms.md");
    assertEquals(List.of(), sectionProblems(page, "1.2, §3.4 and §9"));
    assertEquals(List.of("docs/design/algorithms.md has no §99.1"), sectionProblems(page, "99.1"));
    List<String> found = new ArrayList<>();
    checkPaths("see docs/design/nowhere.md and docs/architecture.md", found);
    assertEquals(List.of("docs/design/nowhere.md does not exist"), found);
    found.clear();
    checkPaths("the SQL is design/perf.md's variant, not https://x.org/docs/a.md", found);
    assertEquals(List.of("design/perf.md does not exist"), found);
    found.clear();
    checkPaths("[README](../README.md), [gone](../gone.md)", Qcal.ROOT.resolve("docs"), found);
    assertEquals(List.of("../gone.md does not exist"), found);
    found.clear();
    checkJavaSections("(docs/design/formats.md §2.1) and a bare (§2.4)", found);
    assertEquals(List.of("§2.4 is cited without its page (docs/…md §2.4)"), found);
    found.clear();
    checkJavaSections(
        "(design notes §1.3); the bound is N. J. Higham's (Accuracy and Stability, §2–§4)", found);
    assertEquals(List.of("§1.3 is cited without its page (docs/…md §1.3)"), found);
    assertEquals("31-calibrationjson-ort-json", slug("3.1 `calibration.json` [`ort-json`]"));
  }

  private static List<Path> sources() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(Qcal.ROOT)) {
      walk.filter(p -> Files.isRegularFile(p))
          .filter(p -> !skipped(Qcal.ROOT.relativize(p)))
          .filter(p -> !p.getFileName().toString().equals("DocLinksTest.java")) // its own examples
          .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  private static boolean skipped(Path rel) {
    for (Path part : rel) {
      if (SKIPPED_DIRS.contains(part.toString())) {
        return true;
      }
    }
    return false;
  }

  private List<String> check(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> found = new ArrayList<>();
    if (file.toString().endsWith(".java")) {
      String joined = COMMENT_BREAK.matcher(text).replaceAll(" ");
      checkPaths(joined, found);
      checkJavaSections(joined, found);
    } else {
      checkPaths(text, file.getParent(), found);
      checkMarkdownSections(file, text, found);
      checkLinks(file, text, found);
    }
    return new ArrayList<>(new LinkedHashSet<>(found));
  }

  /** Repository paths under docs/, and any repository .md path, must exist. */
  private static void checkPaths(String text, List<String> found) {
    checkPaths(text, Qcal.ROOT, found);
  }

  /**
   * As {@link #checkPaths(String, List)}, a path starting {@code ./} or {@code ../} (a Markdown
   * page's relative link) resolved against {@code base}, the page's directory.
   */
  private static void checkPaths(String text, Path base, List<String> found) {
    Matcher m = REPO_PATH.matcher(text);
    while (m.find()) {
      String path = m.group(1).replaceAll("[.]+$", "");
      Path resolved =
          path.startsWith("./") || path.startsWith("../")
              ? base.resolve(path).normalize()
              : Qcal.ROOT.resolve(path);
      if ((path.startsWith("docs/") || path.endsWith(".md")) && !Files.exists(resolved)) {
        found.add(path + " does not exist");
      }
    }
  }

  private void checkJavaSections(String text, List<String> found) {
    Matcher m = PAGE_SECTIONS.matcher(text);
    boolean[] cited = new boolean[text.length()];
    while (m.find()) {
      Arrays.fill(cited, m.start(), m.end(), true);
      found.addAll(sectionProblems(Qcal.ROOT.resolve(m.group(1)), m.group(2)));
    }
    Matcher bare = SECTION.matcher(text);
    while (bare.find()) {
      // A section of a book or paper ("Higham, §2") is not ours; one near a page or notes is.
      String before = text.substring(Math.max(0, bare.start() - 40), bare.start());
      if (!cited[bare.start()] && (before.contains(".md") || before.contains("notes"))) {
        found.add(
            "§" + bare.group(1) + " is cited without its page (docs/…md §" + bare.group(1) + ")");
      }
    }
  }

  /**
   * In Markdown a section after a page is that page's ({@code docs/…} from the repository's root,
   * another path from the page's directory); a bare one is the page's own.
   */
  private void checkMarkdownSections(Path file, String text, List<String> found) {
    Matcher m = MD_PAGE_SECTIONS.matcher(text);
    StringBuilder rest = new StringBuilder();
    int last = 0;
    while (m.find()) {
      rest.append(text, last, m.start());
      last = m.end();
      String page = m.group(1);
      Path resolved =
          page.startsWith("docs/")
              ? Qcal.ROOT.resolve(page)
              : file.getParent().resolve(page).normalize();
      if (!Files.isRegularFile(resolved)) {
        found.add(page + " (cited with a section) does not exist");
      }
      found.addAll(sectionProblems(resolved, m.group(2)));
    }
    rest.append(text.substring(last));
    Matcher bare = SECTION.matcher(rest);
    while (bare.find()) {
      found.addAll(sectionProblems(file, bare.group(1)));
    }
  }

  private List<String> sectionProblems(Path page, String sections) {
    List<String> out = new ArrayList<>();
    if (!Files.isRegularFile(page)) {
      return out; // reported by checkPaths
    }
    List<String> titles = headings(page);
    Matcher s = Pattern.compile("(\\d+(?:\\.\\d+)*)").matcher(sections);
    while (s.find()) {
      String number = s.group(1);
      Pattern heading = Pattern.compile(Pattern.quote(number) + "\\.?\\s.*");
      if (titles.stream().noneMatch(t -> heading.matcher(t).matches())) {
        out.add(Qcal.ROOT.relativize(page).toString().replace('\\', '/') + " has no §" + number);
      }
    }
    return out;
  }

  private void checkLinks(Path file, String text, List<String> found) {
    Matcher m = MD_LINK.matcher(text);
    while (m.find()) {
      String target = m.group(1);
      if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
        continue; // http:, https:, mailto:
      }
      int hash = target.indexOf('#');
      String path = hash < 0 ? target : target.substring(0, hash);
      String anchor = hash < 0 ? null : target.substring(hash + 1);
      Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
      if (!Files.exists(resolved)) {
        found.add("link " + target + " points at a file that does not exist");
      } else if (anchor != null && resolved.toString().endsWith(".md")) {
        Set<String> slugs =
            headings(resolved).stream().map(DocLinksTest::slug).collect(Collectors.toSet());
        if (!slugs.contains(anchor)) {
          found.add("link " + target + ": no heading with that anchor");
        }
      }
    }
  }

  /** The page's headings without their #s, outside code blocks. */
  private List<String> headings(Path page) {
    return headings.computeIfAbsent(
        page,
        p -> {
          List<String> out = new ArrayList<>();
          boolean code = false;
          try {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
              if (line.startsWith("```")) {
                code = !code;
              } else if (!code && line.matches("#{1,6} .*")) {
                out.add(line.replaceFirst("^#+ ", "").trim());
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return out;
        });
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }
}
