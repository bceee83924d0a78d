/**
 * JUnit 5 for Java. A project with a `pom.xml` runs through Maven offline (`mvn -o -q test`,
 * Surefire's XML reports); when Maven cannot resolve the project offline, or there is no pom, the
 * sources and tests are compiled with the JDK's compiler and run by the JUnit Platform console
 * launcher. Both routes are one `java` process running `JUnitProgram.ts`'s program, which leaves
 * one JUnit XML document at the report path, compile errors included.
 */
import { existsSync, statSync, writeFileSync } from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { TestCase } from "../../../core/domain/TestReport.ts"
import { TestRunnerMissingError } from "../../../core/errors.ts"
import type { TestFramework } from "../../../core/services/TestRunner.ts"
import { findExecutable } from "../Executables.ts"
import { compileFailedExit, junitProgram, junitProgramFile, unavailableExit } from "./JUnitProgram.ts"
import { parseJUnitXml } from "./JUnitXml.ts"
import { fromCases } from "./ReportFromCases.ts"

/** Where Debian's `junit5` package puts the launcher with the Jupiter API and engine inside. */
export const debianConsoleLauncher = "/usr/share/java/junit-platform-console-standalone.jar"

export interface JUnitOptions {
  /** The JUnit Platform console launcher, standalone jar. Default: Debian's. */
  readonly consoleLauncher?: string
  /** The PATH searched for `java`, `javac` and `mvn`. Default: this process's. */
  readonly searchPath?: string
}

const isFile = (file: string) => {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

type Route =
  | { readonly _tag: "maven"; readonly java: string; readonly launcher: string | undefined }
  | { readonly _tag: "javac"; readonly java: string; readonly launcher: string }
  | { readonly _tag: "missing"; readonly missing: ReadonlyArray<string> }

/** Which route this workspace takes with the tools installed here, or what is missing for any. */
const routeOf = (workspace: string, options: JUnitOptions): Route => {
  const searchPath = options.searchPath ?? process.env.PATH ?? ""
  const java = findExecutable("java", searchPath)
  const javac = findExecutable("javac", searchPath)
  const launcherJar = options.consoleLauncher ?? debianConsoleLauncher
  const launcher = isFile(launcherJar) ? launcherJar : undefined
  const pom = existsSync(path.join(workspace, "pom.xml"))
  const mvn = pom ? findExecutable("mvn", searchPath) : undefined
  // `java` compiles our single-file program with the JDK's compiler: a JDK is needed on both routes.
  if (java !== undefined && javac !== undefined) {
    if (mvn !== undefined) return { _tag: "maven", java, launcher }
    if (launcher !== undefined) return { _tag: "javac", java, launcher }
  }
  const missing = [
    ...(java === undefined ? ["java"] : []),
    ...(javac === undefined ? ["javac (a JDK)"] : []),
    ...(launcher === undefined
      ? [`the JUnit Platform console launcher ${launcherJar} (Debian package junit5)${pom ? " or mvn (Maven)" : ""}`]
      : [])
  ]
  return { _tag: "missing", missing }
}

/** Test framework and JDK frames say where JUnit failed, not where the test did. */
const machineryFrame = /^\s*at (org\.junit\.|org\.opentest4j\.|org\.apache\.maven\.|java\.|jdk\.|sun\.|TammaJUnit\.)/

/** A case as the model and the user should read it: no `()` after method names, a short trace. */
const tidy = (testCase: TestCase): TestCase => {
  const name = testCase.name.replace(/\(\)$/, "")
  if (testCase.message === undefined) return new TestCase({ ...testCase, name })
  const [headline = "", ...lines] = testCase.message.split("\n")
  const kept = lines.filter((line) => !machineryFrame.test(line) && !line.trimEnd().endsWith(`: ${headline}`))
  // The line of the test itself: the first frame in the test's class (`at a.b.CTest.m(CTest.java:12)`).
  const className = testCase.name.split(" > ")[0] ?? ""
  const simpleName = className.slice(className.lastIndexOf(".") + 1)
  const quoted = (text: string) => text.replace(/[.$]/g, "\\$&")
  const ownFrame = new RegExp(`^\\s*at ${quoted(className)}[.$].*\\(${quoted(simpleName)}\\.java:(\\d+)\\)`)
  const line = lines.map((text) => ownFrame.exec(text)?.[1]).find((found) => found !== undefined)
  return new TestCase({
    ...testCase,
    name,
    message: [headline, ...kept].join("\n").trim(),
    line: testCase.line ?? (line === undefined ? undefined : Number(line))
  })
}

/** JUnit 5 with an explicit launcher jar or PATH, for machines that lay them out differently. */
export const makeJUnit5 = (options: JUnitOptions = {}): TestFramework => ({
  name: "junit5",
  // Java's one framework: the workspace uses it whenever it has Java tests.
  detect: () => Effect.succeed(true),
  runner: (workspace) =>
    Effect.suspend(() => {
      const route = routeOf(workspace, options)
      return route._tag === "missing"
        ? Effect.fail(
            new TestRunnerMissingError({
              framework: "junit5",
              missing: route.missing,
              remedy: "Install a JDK with Maven, or with the JUnit Platform console launcher"
            })
          )
        : Effect.void
    }),
  command: ({ workspace, files, reportFile }) => {
    const route = routeOf(workspace, options)
    // The program lives beside the report, in the runner's scratch folder: ours, not the workspace's.
    const program = path.join(path.dirname(reportFile), junitProgramFile)
    writeFileSync(program, junitProgram)
    const launcher = route._tag === "missing" ? undefined : route.launcher
    return {
      command: route._tag === "missing" ? "java" : route.java,
      args: [
        ...(launcher === undefined ? [] : ["-cp", launcher]),
        program,
        route._tag === "maven" ? "maven" : "javac",
        reportFile,
        launcher ?? "",
        ...files
      ]
    }
  },
  parse: ({ report, exitCode }) => {
    const cases = (report === undefined ? [] : parseJUnitXml(report)).map(tidy)
    const summary = fromCases(cases, exitCode)
    return exitCode === compileFailedExit || exitCode === unavailableExit ? { ...summary, status: "error" } : summary
  }
})

/** JUnit 5 with Debian's layout and this process's PATH. */
export const junit5: TestFramework = makeJUnit5()
