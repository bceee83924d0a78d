/**
 * The test frameworks of the built-in language packs: how each is detected, run and read. Each
 * pack lists its own in `testFrameworks`.
 */
import { existsSync, readFileSync } from "node:fs"
import * as path from "node:path"
import { Effect, Schema } from "effect"
import { TestCase } from "../../../core/domain/TestReport.ts"
import { TestRunnerMissingError } from "../../../core/errors.ts"
import type { TestFramework } from "../../../core/services/TestRunner.ts"
import { pathPythonHas, requireOnPath, virtualenvPython, workspaceBin } from "../RunnerLookup.ts"
import { parseJUnitXml } from "./JUnitXml.ts"
import { fromCases } from "./ReportFromCases.ts"

const exists = (...parts: ReadonlyArray<string>) => Effect.sync(() => existsSync(path.join(...parts)))

const packageDependencies = (workspace: string): ReadonlySet<string> => {
  try {
    const manifest = JSON.parse(readFileSync(path.join(workspace, "package.json"), "utf8")) as Record<string, unknown>
    const names = ["dependencies", "devDependencies"].flatMap((field) => {
      const deps = manifest[field]
      return typeof deps === "object" && deps !== null ? Object.keys(deps) : []
    })
    return new Set(names)
  } catch {
    return new Set()
  }
}

// vitest's JSON reporter, decoded with the fields we read.
const VitestAssertion = Schema.Struct({
  fullName: Schema.String,
  status: Schema.String,
  duration: Schema.optional(Schema.NullOr(Schema.Number)),
  failureMessages: Schema.optional(Schema.Array(Schema.String)),
  location: Schema.optional(Schema.NullOr(Schema.Struct({ line: Schema.Number })))
})
const VitestReport = Schema.Struct({
  testResults: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      message: Schema.optional(Schema.String),
      assertionResults: Schema.Array(VitestAssertion)
    })
  )
})
const decodeVitest = Schema.decodeUnknownOption(Schema.fromJsonString(VitestReport))

export const vitest: TestFramework = {
  name: "vitest",
  detect: (workspace) =>
    Effect.sync(
      () => packageDependencies(workspace).has("vitest") || existsSync(path.join(workspace, "vitest.config.ts"))
    ),
  runner: (workspace) =>
    Effect.suspend(() =>
      workspaceBin(workspace, "vitest") !== undefined
        ? Effect.void
        : Effect.fail(
            new TestRunnerMissingError({
              framework: "vitest",
              missing: ["vitest in the workspace's node_modules"],
              remedy: packageDependencies(workspace).has("vitest")
                ? "Run npm install in the workspace"
                : "Install it in the workspace with npm install --save-dev vitest"
            })
          )
    ),
  command: ({ workspace, files, reportFile }) => {
    // `runner` has found it; the bare path only fails visibly if it went away since.
    const launch = workspaceBin(workspace, "vitest") ?? {
      command: path.join(workspace, "node_modules", ".bin", "vitest"),
      args: []
    }
    return {
      command: launch.command,
      args: [...launch.args, "run", "--root", workspace, "--reporter=json", `--outputFile=${reportFile}`, ...files],
      // vitest 5 caches modules in node_modules/.vitest-cache and clears it when the lockfile changed
      // since: node_modules is read-only here, so a stale cache failed the run before any test.
      // The variables give way to a workspace config that sets them; a cache it turns on goes to scratch.
      env: {
        VITEST_FS_MODULE_CACHE: "false",
        VITEST_FS_MODULE_CACHE_PATH: path.join(path.dirname(reportFile), "vitest-cache")
      }
    }
  },
  parse: ({ report, exitCode }) => {
    const decoded = report === undefined ? undefined : decodeVitest(report)
    if (decoded === undefined || decoded._tag === "None") return fromCases([], exitCode === 0 ? 0 : 1)
    const cases = decoded.value.testResults.flatMap((file) => {
      const assertions = file.assertionResults.map(
        (a) =>
          new TestCase({
            name: a.fullName,
            file: file.name,
            status: a.status === "passed" ? "passed" : a.status === "failed" ? "failed" : "skipped",
            durationMs: a.duration ?? undefined,
            message: a.failureMessages?.[0]?.split("\n").slice(0, 6).join("\n"),
            line: a.location?.line
          })
      )
      // A file that failed to load has no assertions but a message: one failed case for it.
      return assertions.length === 0 && file.message !== undefined && file.message !== ""
        ? [new TestCase({ name: path.basename(file.name), file: file.name, status: "failed", message: file.message })]
        : assertions
    })
    return fromCases(cases, exitCode)
  }
}

export const nodeTest: TestFramework = {
  name: "node:test",
  detect: (workspace) =>
    Effect.sync(
      () => !packageDependencies(workspace).has("vitest") && existsSync(path.join(workspace, "package.json"))
    ),
  command: ({ files, reportFile }) => ({
    command: process.execPath,
    args: ["--test", "--test-reporter=junit", `--test-reporter-destination=${reportFile}`, ...files]
  }),
  parse: ({ report, exitCode }) => fromCases(report === undefined ? [] : parseJUnitXml(report), exitCode)
}

export const pytest: TestFramework = {
  name: "pytest",
  detect: (workspace) =>
    Effect.map(
      Effect.all([
        exists(workspace, "pyproject.toml"),
        exists(workspace, "pytest.ini"),
        exists(workspace, "setup.py"),
        exists(workspace, "tests")
      ]),
      (found) => found.some(Boolean)
    ),
  runner: (workspace) =>
    Effect.suspend(() => {
      if (virtualenvPython(workspace, "pytest") !== undefined || pathPythonHas("pytest")) return Effect.void
      return requireOnPath("pytest", "python3", "Install Python 3 with pytest").pipe(
        Effect.andThen(
          Effect.fail(
            new TestRunnerMissingError({
              framework: "pytest",
              missing: ["pytest"],
              remedy: "Install it in the workspace's .venv (pip install pytest) or for the python3 on the PATH"
            })
          )
        )
      )
    }),
  // The workspace's virtualenv first: its pytest and its dependencies.
  command: ({ workspace, files, reportFile }) => ({
    command: virtualenvPython(workspace, "pytest") ?? "python3",
    args: ["-m", "pytest", "-q", "-p", "no:cacheprovider", `--junitxml=${reportFile}`, ...files],
    env: { PYTHONDONTWRITEBYTECODE: "1" }
  }),
  parse: ({ report, exitCode }) => fromCases(report === undefined ? [] : parseJUnitXml(report), exitCode)
}

// `go test -json` events, one JSON object a line.
const GoEvent = Schema.Struct({
  Action: Schema.String,
  Package: Schema.optional(Schema.String),
  Test: Schema.optional(Schema.String),
  Output: Schema.optional(Schema.String),
  Elapsed: Schema.optional(Schema.Number)
})
const decodeGoEvent = Schema.decodeUnknownOption(Schema.fromJsonString(GoEvent))

export const goTest: TestFramework = {
  name: "go test",
  detect: (workspace) => exists(workspace, "go.mod"),
  runner: () => requireOnPath("go test", "go", "Install Go (https://go.dev/dl, or the golang package of the system)"),
  command: ({ files }) => ({
    command: "go",
    args: [
      "test",
      "-json",
      ...(files.length === 0 ? ["./..."] : [...new Set(files.map((f) => `./${path.dirname(f)}`))])
    ],
    env: { GOFLAGS: "-mod=mod", GOPROXY: "off", GOTOOLCHAIN: "local" }
  }),
  parse: ({ stdout, exitCode }) => {
    const output = new Map<string, Array<string>>()
    const cases: Array<TestCase> = []
    for (const line of stdout.split("\n")) {
      const event = decodeGoEvent(line)
      if (event._tag === "None" || event.value.Test === undefined) continue
      const { Action, Test, Package, Output, Elapsed } = event.value
      const key = `${Package}/${Test}`
      if (Action === "output" && Output !== undefined) output.set(key, [...(output.get(key) ?? []), Output])
      if (Action === "pass" || Action === "fail" || Action === "skip") {
        const lines = (output.get(key) ?? []).filter((l) => !/^(=== RUN|--- (PASS|FAIL|SKIP))/.test(l.trim()))
        const location = lines.map((l) => /(\w+_test\.go):(\d+):/.exec(l)).find((m) => m !== null)
        cases.push(
          new TestCase({
            name: Test,
            file: location?.[1],
            status: Action === "pass" ? "passed" : Action === "fail" ? "failed" : "skipped",
            durationMs: Elapsed === undefined ? undefined : Elapsed * 1000,
            message: Action === "fail" ? lines.join("").trim() : undefined,
            line: location?.[2] === undefined ? undefined : Number(location[2])
          })
        )
      }
    }
    return fromCases(cases, exitCode)
  }
}

export const cargoTest: TestFramework = {
  name: "cargo test",
  detect: (workspace) => exists(workspace, "Cargo.toml"),
  runner: () => requireOnPath("cargo test", "cargo", "Install Rust with its cargo (https://rustup.rs)"),
  command: ({ files }) => ({
    command: "cargo",
    args: [
      "test",
      "--offline",
      ...files.flatMap((f) => (f.startsWith("tests/") ? ["--test", path.basename(f, ".rs")] : [])),
      "--",
      "--test-threads=1"
    ],
    env: { CARGO_TERM_COLOR: "never" }
  }),
  parse: ({ stdout, exitCode }) => {
    const failures = new Map<string, string>()
    for (const match of stdout.matchAll(/---- (\S+) stdout ----\n([\s\S]*?)(?=\n---- |\n\nfailures:|\nfailures:\n)/g)) {
      if (match[1] !== undefined) failures.set(match[1], (match[2] ?? "").trim())
    }
    const cases = [...stdout.matchAll(/^test (\S+) \.\.\. (ok|FAILED|ignored)$/gm)].map((match) => {
      const name = match[1] ?? ""
      const message = failures.get(name)
      const location = message === undefined ? null : /at ([\w/.-]+\.rs):(\d+)/.exec(message)
      return new TestCase({
        name,
        file: location?.[1],
        status: match[2] === "ok" ? "passed" : match[2] === "FAILED" ? "failed" : "skipped",
        message,
        line: location?.[2] === undefined ? undefined : Number(location[2])
      })
    })
    return fromCases(cases, exitCode)
  }
}
