import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { NodeServices } from "@effect/platform-node"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { TestRunner } from "../../../core/services/TestRunner.ts"
import { Go } from "../../../plugins/languages/go/Go.ts"
import { Java } from "../../../plugins/languages/java/Java.ts"
import { JavaScript } from "../../../plugins/languages/javascript/JavaScript.ts"
import { Python } from "../../../plugins/languages/python/Python.ts"
import { Rust } from "../../../plugins/languages/rust/Rust.ts"
import { TypeScript } from "../../../plugins/languages/typescript/TypeScript.ts"
import { ownNodeModules } from "../../../plugins/testing/ConfinedEnvironment.ts"
import { ProcessTestRunner } from "../../../plugins/testing/ProcessTestRunner.ts"

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "testing")
const folders: Array<string> = []

const copyFixture = (name: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tamma-${name}-`))
  folders.push(dir)
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true })
  // A JavaScript workspace as its user has it: its dependencies installed (here, ours).
  if (fs.existsSync(path.join(dir, "package.json"))) fs.symlinkSync(ownNodeModules, path.join(dir, "node_modules"))
  return dir
}

const plant = (dir: string, file: string, from: string, to: string) => {
  const target = path.join(dir, file)
  fs.writeFileSync(target, fs.readFileSync(target, "utf8").replace(from, to))
}

afterEach(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

// Each language's frameworks come from its pack.
const languages = Layer.mergeAll(
  TypeScript.layer,
  JavaScript.layer,
  Python.layer,
  Go.layer,
  Rust.layer,
  Java.layer
).pipe(Layer.provideMerge(LanguageRegistry.layer))
const runner = ProcessTestRunner.layer().pipe(Layer.provide(Layer.mergeAll(NodeServices.layer, languages)))

const run = (workspace: string, language: string, timeoutMs?: number) =>
  TestRunner.use((tests) => tests.run({ workspace, language, timeoutMs })).pipe(Effect.provide(runner))

const cases = [
  {
    language: "typescript",
    fixture: "typescript",
    framework: "vitest",
    file: "src/calc.ts",
    from: "a + b",
    to: "a - b"
  },
  { language: "python", fixture: "python", framework: "pytest", file: "calc/ops.py", from: "a + b", to: "a - b" },
  { language: "go", fixture: "go", framework: "go test", file: "calc.go", from: "a + b", to: "a - b" },
  { language: "rust", fixture: "rust", framework: "cargo test", file: "src/lib.rs", from: "a + b", to: "a - b" },
  // The Maven route, slower, is covered with its own time limits in frameworks/JUnit.test.ts.
  {
    language: "java",
    fixture: "java-javac",
    framework: "junit5",
    file: "src/main/java/calc/Calc.java",
    from: "a + b",
    to: "a - b"
  }
] as const

describe("ProcessTestRunner", () => {
  it.live.each(cases)("$framework passes on the $language fixture", ({ language, fixture, framework }) =>
    Effect.gen(function* () {
      const report = yield* run(copyFixture(fixture), language)
      expect(report.framework).toBe(framework)
      expect(report.status).toBe("passed")
      expect(report.passed).toBe(2)
      expect(report.failed).toBe(0)
    })
  )

  it.live.each(cases)("$framework reports a planted bug in $language with the test's name and message", (c) =>
    Effect.gen(function* () {
      const dir = copyFixture(c.fixture)
      plant(dir, c.file, c.from, c.to)
      const report = yield* run(dir, c.language)
      expect(report.status).toBe("failed")
      expect(report.failed).toBe(2)
      const failure = report.cases.find((t) => t.status === "failed" && /adds.?two.?numbers/i.test(t.name))
      expect(failure?.name).toMatch(/adds.?two.?numbers/i)
      expect(failure?.message ?? "").toMatch(/5|-1/)
    })
  )

  // vitest 5 keeps a module cache in node_modules/.vitest-cache (on by default) and clears it when
  // its metadata names another lockfile (one installed since): in the sandbox, node_modules is read-only.
  it.live("vitest runs where the dependencies it borrows hold a module cache made before their last install", () =>
    Effect.gen(function* () {
      const cache = path.join(ownNodeModules, ".vitest-cache")
      const metadata = path.join(cache, "_metadata.json")
      const existed = fs.existsSync(cache)
      const original = fs.existsSync(metadata) ? fs.readFileSync(metadata) : undefined
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          if (!existed) fs.rmSync(cache, { recursive: true, force: true })
          else if (original === undefined) fs.rmSync(metadata, { force: true })
          else fs.writeFileSync(metadata, original)
        })
      )
      fs.mkdirSync(cache, { recursive: true })
      fs.writeFileSync(metadata, '{ "lockfileHash": "stale000" }')
      const report = yield* run(copyFixture("typescript"), "typescript")
      expect(report.output).not.toContain("EROFS")
      expect(report.status).toBe("passed")
      expect(report.passed).toBe(2)
    }).pipe(Effect.scoped)
  )

  it.live("a workspace that declares vitest but has not installed it is told so, not reported as 0 failed", () =>
    Effect.gen(function* () {
      const dir = copyFixture("typescript")
      fs.rmSync(path.join(dir, "node_modules"))
      const error = yield* Effect.flip(run(dir, "typescript"))
      if (error._tag !== "TestRunnerMissingError") throw error
      expect(error.framework).toBe("vitest")
      expect(error.missing).toEqual(["vitest in the workspace's node_modules"])
      expect(error.message).toContain("npm install")
      expect(error.message).toContain("--no-run-tests")
    })
  )

  it.live("node:test runs confined: its report is read from the scratch folder", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-nodetest-"))
      folders.push(dir)
      fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "plain", "private": true, "type": "module" }')
      fs.writeFileSync(
        path.join(dir, "sum.test.js"),
        [
          'import assert from "node:assert/strict"',
          'import { test } from "node:test"',
          'test("adds", () => assert.equal(1 + 1, 2))',
          'test("fails", () => assert.equal(1 + 1, 3))'
        ].join("\n")
      )
      const report = yield* run(dir, "javascript")
      expect(report.framework).toBe("node:test")
      expect(report.passed).toBe(1)
      expect(report.failed).toBe(1)
      expect(report.cases.find((c) => c.status === "failed")?.name).toMatch(/fails$/)
    })
  )

  // Live clock: the timeout is real time, not the test clock. The grandchild's pid means nothing
  // outside the sandbox's pid namespace, so it proves it is alive by a heartbeat in the workspace.
  it.live("kills a hanging run and its children at the timeout and says so", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-hang-"))
      folders.push(dir)
      fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "hang", "private": true, "type": "module" }')
      fs.writeFileSync(
        path.join(dir, "hang.test.js"),
        [
          'import { spawn } from "node:child_process"',
          'import { test } from "node:test"',
          'test("never ends", async () => {',
          "  const beat = \"setInterval(() => require('node:fs').appendFileSync('heartbeat', '.'), 100)\"",
          '  spawn(process.execPath, ["-e", beat], { stdio: "ignore", detached: true }).unref()',
          "  await new Promise(() => {})",
          "})"
        ].join("\n")
      )
      const report = yield* run(dir, "javascript", 3_000)
      expect(report.status).toBe("timeout")
      expect(report.output).toContain("killed after 3000 ms")
      const heartbeat = path.join(dir, "heartbeat")
      expect(fs.statSync(heartbeat).size).toBeGreaterThan(0)
      yield* Effect.sleep("500 millis")
      const settled = fs.statSync(heartbeat).size
      yield* Effect.sleep("700 millis")
      expect(fs.statSync(heartbeat).size).toBe(settled)
    })
  )
})
