/**
 * The Java program that runs JUnit 5 tests for the `junit5` framework (see `JUnit.ts`), as source:
 * `java` runs a single source file directly (JEP 330), so the runner needs no build step and
 * compiling, running and collecting reports happen in one process that the runner can time out and
 * kill as a whole.
 */

/** Exit status of the program when the sources did not compile (the report lists the errors). */
export const compileFailedExit = 3
/** Exit status of the program when the toolchain it needs cannot run. */
export const unavailableExit = 4

/** The file name the program is written under; `java` compiles it in memory. */
export const junitProgramFile = "TammaJUnit.java"

/** The program's source. */
export const junitProgram = String.raw`
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Runs a workspace's JUnit 5 tests in one process and leaves one JUnit XML document at the report
 * path: through Maven offline (Surefire's reports), or compiled with the JDK's compiler and run by
 * the JUnit Platform console launcher. Compile errors become an XML report of their own.
 *
 * Arguments: maven|javac REPORT CONSOLE_JAR_OR_EMPTY [TEST_FILE...]; the working directory is the
 * workspace. Exit: 0 passed, 1 tests failed, 2 the named test classes hold no test, 3 compile errors, 4 the toolchain could not run.
 */
public final class TammaJUnit {
  static final int NO_TESTS = 2;
  static final int COMPILE_FAILED = 3;
  static final int UNAVAILABLE = 4;
  /** Build output, version control and dependency folders: never sources of this project. */
  static final Set<String> SKIPPED = Set.of(".git", ".tamma", "target", "build", "out", "bin", "node_modules", ".gradle", ".idea", ".mvn");
  static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  /** How Maven's compiler plugin prints a javac error: "[ERROR] /abs/File.java:[line,col] message". */
  static final Pattern MAVEN_COMPILE_ERROR = Pattern.compile("^\\[ERROR\\] (/.+\\.java):\\[(\\d+),\\d+\\] (.*)$");

  static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");

  record CompileError(String file, long line, String message, String detail) {}

  public static void main(String[] args) throws Exception {
    Path workspace = Path.of("").toAbsolutePath();
    Path report = Path.of(args[1]);
    String consoleJar = args[2];
    List<String> files = List.of(args).subList(3, args.length);
    int code = args[0].equals("maven")
        ? maven(workspace, report, consoleJar, files)
        : javac(workspace, report, consoleJar, files);
    System.out.flush();
    System.exit(code);
  }

  static int maven(Path workspace, Path report, String consoleJar, List<String> files) throws Exception {
    Path reports = workspace.resolve("target").resolve("surefire-reports");
    Map<Path, FileTime> before = reportsIn(reports);
    // Surefire fails when the named classes hold no test: a change's tests that do not run are no pass.
    List<String> command = new ArrayList<>(List.of("mvn", "-o", "-q", "-B", "-Dstyle.color=never"));
    List<String> classes = testClasses(workspace, files);
    if (!classes.isEmpty()) command.add("-Dtest=" + String.join(",", classes));
    command.add("test");
    Process process = new ProcessBuilder(command).directory(workspace.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
      for (String raw = reader.readLine(); raw != null; raw = reader.readLine()) {
        // Maven resets the terminal's colours even in batch mode: the report is no terminal.
        String line = ANSI.matcher(raw).replaceAll("");
        System.out.println(line);
        tail.addLast(line);
        if (tail.size() > 4000) tail.removeFirst();
      }
    }
    int exit = process.waitFor();
    List<Path> fresh = freshReports(reports, before);
    if (!fresh.isEmpty()) {
      int tests = writeMerged(report, fresh);
      if (exit == 0 && tests == 0 && !classes.isEmpty()) return noTestsRan();
      return exit;
    }
    if (exit == 0 && !classes.isEmpty()) return noTestsRan();
    List<CompileError> errors = mavenCompileErrors(workspace, tail);
    if (!errors.isEmpty()) return compileFailed(report, errors);
    if (exit != 0 && tail.stream().anyMatch(line -> line.contains("in offline mode"))) {
      if (consoleJar.isEmpty()) {
        System.err.println("Maven could not resolve the project offline, and the JUnit console launcher is not installed to run it without Maven");
        return UNAVAILABLE;
      }
      System.out.println("Maven could not resolve the project offline: compiling with javac and running the JUnit console launcher instead");
      return javac(workspace, report, consoleJar, files);
    }
    return exit;
  }

  static Map<Path, FileTime> reportsIn(Path dir) throws IOException {
    Map<Path, FileTime> found = new HashMap<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return found;
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path file : (Iterable<Path>) entries::iterator) {
        String name = file.getFileName().toString();
        if (name.startsWith("TEST-") && name.endsWith(".xml") && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          found.put(file, Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS));
        }
      }
    }
    return found;
  }

  /** Only the reports this run wrote: an earlier run's would describe other code. */
  static List<Path> freshReports(Path dir, Map<Path, FileTime> before) throws IOException {
    List<Path> fresh = new ArrayList<>();
    for (Map.Entry<Path, FileTime> entry : reportsIn(dir).entrySet()) {
      if (!entry.getValue().equals(before.get(entry.getKey()))) fresh.add(entry.getKey());
    }
    return fresh;
  }

  /** Maven prints each error twice (a summary, then in the failure), with or without a prefix on its detail lines. */
  static List<CompileError> mavenCompileErrors(Path workspace, Iterable<String> lines) {
    Map<String, CompileError> errors = new LinkedHashMap<>();
    String file = null;
    long line = 0;
    String message = null;
    StringBuilder detail = new StringBuilder();
    for (String text : lines) {
      Matcher match = MAVEN_COMPILE_ERROR.matcher(text);
      boolean continued = text.startsWith("  ") || text.startsWith("[ERROR]   ");
      if (message != null && (match.matches() || !continued)) {
        keepLonger(errors, new CompileError(file, line, message, detail.toString().strip()));
        message = null;
      }
      if (match.matches()) {
        file = relative(workspace, Path.of(match.group(1)));
        line = Long.parseLong(match.group(2));
        message = match.group(3).strip();
        detail.setLength(0);
      } else if (message != null) {
        detail.append(text.replaceFirst("^\\[ERROR\\] ", "").strip()).append('\n');
      }
    }
    if (message != null) keepLonger(errors, new CompileError(file, line, message, detail.toString().strip()));
    return new ArrayList<>(errors.values());
  }

  static void keepLonger(Map<String, CompileError> errors, CompileError error) {
    String key = error.file() + ":" + error.line() + ":" + error.message();
    CompileError known = errors.get(key);
    if (known == null || known.detail().length() < error.detail().length()) errors.put(key, error);
  }

  static int javac(Path workspace, Path report, String consoleJar, List<String> files) throws Exception {
    if (consoleJar.isEmpty()) {
      System.err.println("the JUnit Platform console launcher is not installed");
      return UNAVAILABLE;
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      System.err.println("this Java runtime has no compiler: a JDK is needed");
      return UNAVAILABLE;
    }
    Path scratch = report.toAbsolutePath().getParent();
    Path classes = scratch.resolve("classes");
    Files.createDirectories(classes);
    List<Path> sources = sourcesOf(workspace);
    if (!sources.isEmpty()) {
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      StringWriter notes = new StringWriter();
      boolean compiled;
      try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
        List<String> options = List.of("-d", classes.toString(), "-cp", consoleJar, "-encoding", "UTF-8", "-g", "-proc:none", "-nowarn");
        compiled = compiler.getTask(notes, fileManager, diagnostics, options, null, fileManager.getJavaFileObjectsFromPaths(sources)).call();
      }
      if (!compiled) {
        List<CompileError> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
          if (diagnostic.getKind() != Diagnostic.Kind.ERROR) continue;
          String file = diagnostic.getSource() == null ? "javac" : relative(workspace, Path.of(diagnostic.getSource().toUri()));
          String[] text = diagnostic.getMessage(null).split("\n", 2);
          errors.add(new CompileError(file, diagnostic.getLineNumber(), text[0], text.length > 1 ? text[1] : ""));
        }
        if (errors.isEmpty()) errors.add(new CompileError("javac", -1, notes.toString().strip(), ""));
        return compileFailed(report, errors);
      }
    }
    List<String> selected = testClasses(workspace, files);
    Path reports = scratch.resolve("junit-reports");
    Map<Path, FileTime> before = reportsIn(reports);
    List<String> launch = new ArrayList<>(List.of("--disable-banner", "--disable-ansi-colors", "--details=tree", "--details-theme=ascii", "--include-engine=junit-jupiter", "--class-path=" + classes, "--reports-dir=" + reports));
    // Maven's resource folders, so that a Maven project's tests find their files on this route too.
    for (String resources : List.of("src/main/resources", "src/test/resources")) {
      if (Files.isDirectory(workspace.resolve(resources), LinkOption.NOFOLLOW_LINKS)) launch.add("--class-path=" + workspace.resolve(resources));
    }
    if (selected.isEmpty()) launch.add("--scan-class-path=" + classes);
    // As with Maven: the named classes must hold tests, or the change's tests did not run.
    else launch.add("--fail-if-no-tests");
    for (String name : selected) launch.add("--select-class=" + name);
    // Reflection: this file is compiled before the launcher's jar is known to be on the class path.
    Class<?> launcher = Class.forName("org.junit.platform.console.ConsoleLauncher");
    Object result = launcher.getMethod("execute", PrintStream.class, PrintStream.class, String[].class)
        .invoke(null, System.out, System.err, launch.toArray(String[]::new));
    int exit = (int) result.getClass().getMethod("getExitCode").invoke(result);
    writeMerged(report, freshReports(reports, before));
    return exit;
  }

  static List<Path> sourcesOf(Path workspace) throws IOException {
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(workspace)) {
      walk.filter(file -> file.toString().endsWith(".java") && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
          .filter(file -> {
            for (Path part : workspace.relativize(file)) if (SKIPPED.contains(part.toString())) return false;
            return true;
          })
          .sorted()
          .forEach(sources::add);
    }
    return sources;
  }

  /** The fully qualified class of each test source: its package declaration plus its file name. */
  static List<String> testClasses(Path workspace, List<String> files) throws IOException {
    List<String> classes = new ArrayList<>();
    for (String name : files) {
      Path file = workspace.resolve(name).normalize();
      if (!name.endsWith(".java") || !file.startsWith(workspace) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) continue;
      String simple = file.getFileName().toString().replaceFirst("\\.java$", "");
      Matcher match = PACKAGE.matcher(Files.readString(file, StandardCharsets.UTF_8));
      classes.add(match.find() ? match.group(1) + "." + simple : simple);
    }
    if (!files.isEmpty() && classes.isEmpty()) {
      System.out.println("None of the change's test files is a Java source: running every test");
    }
    return classes;
  }

  static String relative(Path workspace, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(workspace) ? workspace.relativize(absolute).toString() : absolute.toString();
  }

  static int compileFailed(Path report, List<CompileError> errors) throws IOException {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    xml.append("<testsuite name=\"javac\" tests=\"").append(errors.size()).append("\" errors=\"").append(errors.size()).append("\">\n");
    for (CompileError error : errors) {
      String where = error.line() > 0 ? error.file() + ":" + error.line() : error.file();
      String headline = where + ": error: " + error.message();
      System.err.println(headline + (error.detail().isEmpty() ? "" : "\n" + error.detail()));
      xml.append("<testcase classname=\"javac\" name=\"").append(escape(error.file())).append("\" file=\"").append(escape(error.file())).append('"');
      if (error.line() > 0) xml.append(" line=\"").append(error.line()).append('"');
      xml.append("><error message=\"").append(escape(headline)).append("\">").append(escape(error.detail())).append("</error></testcase>\n");
    }
    xml.append("</testsuite>\n</testsuites>\n");
    Files.writeString(report, xml, StandardCharsets.UTF_8);
    return COMPILE_FAILED;
  }

  /** Surefire passes a named class that holds no test; the launcher exits 2 for it: so do we. */
  static int noTestsRan() {
    System.err.println("No test ran in the change's test classes");
    return NO_TESTS;
  }

  /** Writes the reports as one document; returns how many test cases it holds. */
  static int writeMerged(Path report, List<Path> files) throws IOException {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (Path file : files.stream().sorted().toList()) {
      // The JVM's properties say nothing about the tests and make up most of the document.
      String suite = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("^\\s*<\\?xml[^>]*\\?>", "");
      xml.append(suite.replaceAll("(?s)<properties>.*?</properties>\\s*", "")).append('\n');
    }
    xml.append("</testsuites>\n");
    Files.writeString(report, xml, StandardCharsets.UTF_8);
    return xml.toString().split("<testcase[\\s>]", -1).length - 1;
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\n', '\t' -> out.append(c);
        default -> {
          if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF) out.append(c);
        }
      }
    }
    return out.toString();
  }
}
`
