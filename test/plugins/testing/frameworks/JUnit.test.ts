/**
 * JUnit 5 through the real runner and the real toolchains: javac + the JUnit Platform console
 * launcher (Debian's junit5), and Maven offline with Surefire.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { NodeServices } from "@effect/platform-node"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { type TestFramework, TestRunner } from "../../../../core/services/TestRunner.ts"
import { Java } from "../../../../plugins/languages/java/Java.ts"
import { makeJUnit5 } from "../../../../plugins/testing/frameworks/JUnit.ts"
import { ProcessTestRunner } from "../../../../plugins/testing/ProcessTestRunner.ts"

const fixtures = fileURLToPath(new URL("../../../fixtures/testing/", import.meta.url))
const folders: Array<string> = []

const copyFixture = (name: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tamma-${name}-`))
  folders.push(dir)
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true })
  return dir
}

const plant = (dir: string, file: string, from: string, to: string) => {
  const target = path.join(dir, file)
  const before = fs.readFileSync(target, "utf8")
  expect(before).toContain(from)
  fs.writeFileSync(target, before.replace(from, to))
}

const write = (dir: string, file: string, content: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
  fs.writeFileSync(path.join(dir, file), content)
}

afterEach(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const runnerWith = (frameworks?: Readonly<Record<string, ReadonlyArray<TestFramework>>>) =>
  ProcessTestRunner.layer(frameworks).pipe(
    Layer.provide(Layer.mergeAll(NodeServices.layer, Java.layer.pipe(Layer.provideMerge(LanguageRegistry.layer))))
  )

const run = (workspace: string, files?: ReadonlyArray<string>, runner = runnerWith()) =>
  TestRunner.use((tests) => tests.run({ workspace, language: "java", files, timeoutMs: 240_000 })).pipe(
    Effect.provide(runner)
  )

/** A Maven run takes 10 s alone and several times that on two busy cores. */
const timeout = 180_000
const calcTest = "src/test/java/calc/CalcTest.java"
const fellBack = "Maven could not resolve the project offline"

/** A second test class that fails whenever it runs: it shows whether a run was limited to the change's file. */
const brokenTest = `package calc;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

class BrokenTest {
  @Test
  void alwaysFails() {
    fail("BrokenTest ran");
  }
}
`

// Maven resolves offline only what the local repository holds: pinned in the fixture's pom.
const mavenCached = [
  "maven-surefire-plugin/3.2.5",
  "maven-compiler-plugin/3.13.0",
  "maven-resources-plugin/3.3.1"
].every((plugin) =>
  fs.existsSync(path.join(os.homedir(), ".m2", "repository", "org", "apache", "maven", "plugins", plugin))
)

const routes = [
  { route: "javac + console launcher", fixture: "java-javac", maven: false },
  { route: "Maven offline", fixture: "java-maven", maven: true }
] as const

describe.each(routes)("JUnit 5 through $route", ({ fixture, maven }) => {
  /** Maven ran (or, without its plugins in the local repository, the run said it fell back). */
  const expectRoute = (output: string) => {
    if (!maven) expect(output).not.toMatch(/\bmvn\b|Surefire/)
    else if (mavenCached) expect(output).not.toContain(fellBack)
    else expect(output).toContain(fellBack)
  }

  it.live(
    "passes the fixture's two tests, named by class and method",
    () =>
      Effect.gen(function* () {
        const report = yield* run(copyFixture(fixture))
        expect(report.framework).toBe("junit5")
        expect(report.status).toBe("passed")
        expect(report.cases.map((c) => [c.name, c.status]).sort()).toEqual([
          ["calc.CalcTest > addsNegatives", "passed"],
          ["calc.CalcTest > addsTwoNumbers", "passed"]
        ])
        expectRoute(report.output)
      }),
    timeout
  )

  it.live(
    "reports a failing test beside a passing one, with JUnit's message and the test's line",
    () =>
      Effect.gen(function* () {
        const dir = copyFixture(fixture)
        plant(dir, calcTest, "assertEquals(-5, Calc.add(-2, -3))", "assertEquals(-6, Calc.add(-2, -3))")
        const report = yield* run(dir)
        expect(report.status).toBe("failed")
        expect([report.passed, report.failed]).toEqual([1, 1])
        expect(report.cases.find((c) => c.name === "calc.CalcTest > addsTwoNumbers")?.status).toBe("passed")
        const failure = report.cases.find((c) => c.status === "failed")
        expect(failure?.name).toBe("calc.CalcTest > addsNegatives")
        expect(failure?.message?.split("\n")[0]).toBe("expected: <-6> but was: <-5>")
        expect(failure?.message).toContain("at calc.CalcTest.addsNegatives(CalcTest.java:15)")
        expect(failure?.message).not.toContain("org.junit.")
        expect(failure?.line).toBe(15)
        expectRoute(report.output)
      }),
    timeout
  )

  it.live(
    "reports a test that does not compile as an error carrying the compiler's message",
    () =>
      Effect.gen(function* () {
        const dir = copyFixture(fixture)
        plant(dir, calcTest, "Calc.add(2, 3)", "Calc.plus(2, 3)")
        const report = yield* run(dir)
        expect(report.status).toBe("error")
        expect(report.passed).toBe(0)
        const error = report.cases.find((c) => c.file === calcTest)
        expect(error?.status).toBe("failed")
        expect(error?.line).toBe(10)
        expect(error?.message).toMatch(/^src\/test\/java\/calc\/CalcTest\.java:10: error: cannot find symbol\n/)
        expect(error?.message).toContain("symbol:   method plus(int,int)")
      }),
    timeout
  )

  it.live(
    "runs only the change's test class when given files, and every class otherwise",
    () =>
      Effect.gen(function* () {
        const dir = copyFixture(fixture)
        write(dir, "src/test/java/calc/BrokenTest.java", brokenTest)
        const only = yield* run(dir, [calcTest])
        expect(only.status).toBe("passed")
        expect(only.cases.map((c) => c.name).sort()).toEqual([
          "calc.CalcTest > addsNegatives",
          "calc.CalcTest > addsTwoNumbers"
        ])
        const all = yield* run(dir)
        expect(all.status).toBe("failed")
        expect(all.cases.find((c) => c.name === "calc.BrokenTest > alwaysFails")?.message).toMatch(/^BrokenTest ran/)
      }),
    2 * timeout
  )

  it.live(
    "fails when the change's test class holds no test: its tests did not run",
    () =>
      Effect.gen(function* () {
        const dir = copyFixture(fixture)
        write(dir, "src/test/java/calc/EmptyTest.java", "package calc;\n\nclass EmptyTest {}\n")
        const report = yield* run(dir, ["src/test/java/calc/EmptyTest.java"])
        expect(report.status).toBe("error")
        expect(report.passed).toBe(0)
      }),
    timeout
  )
})

describe("JUnit 5 toolchain choice", () => {
  it.live(
    "falls back to javac when the pom does not resolve offline, and says so",
    () =>
      Effect.gen(function* () {
        const dir = copyFixture("java-maven")
        plant(
          dir,
          "pom.xml",
          "<dependencies>",
          "<dependencies>\n    <dependency><groupId>invalid.tamma.nowhere</groupId><artifactId>absent</artifactId><version>0.0.1</version><scope>test</scope></dependency>"
        )
        const report = yield* run(dir)
        expect(report.output).toContain(fellBack)
        expect(report.status).toBe("passed")
        expect(report.passed).toBe(2)
      }),
    timeout
  )

  it.effect("fails with what is missing when neither Maven nor the console launcher is there", () =>
    Effect.gen(function* () {
      const missing = path.join(os.tmpdir(), "tamma-no-such-launcher.jar")
      const runner = runnerWith({ java: [makeJUnit5({ consoleLauncher: missing })] })
      const error = yield* Effect.flip(run(copyFixture("java-javac"), undefined, runner))
      if (error._tag !== "TestRunnerMissingError") throw error
      expect(error.framework).toBe("junit5")
      expect(error.missing.join(", ")).toContain(missing)
      expect(error.missing.join(", ")).toContain("junit5")
      expect(error.message).toContain("--no-run-tests")
    })
  )

  it.effect("names the JDK when java and javac are not on the PATH", () =>
    Effect.gen(function* () {
      const runner = runnerWith({ java: [makeJUnit5({ searchPath: os.tmpdir() })] })
      const error = yield* Effect.flip(run(copyFixture("java-maven"), undefined, runner))
      if (error._tag !== "TestRunnerMissingError") throw error
      expect(error.missing.join(", ")).toMatch(/^java, javac \(a JDK\)/)
      expect(error.missing.join(", ")).not.toContain("console launcher")
    })
  )
})
