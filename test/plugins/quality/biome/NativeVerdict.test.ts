import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Biome } from "../../../../plugins/quality/biome/Biome.ts"
import * as BiomeConfig from "../../../../plugins/quality/biome/BiomeConfig.ts"
import * as NativeVerdict from "../../../../plugins/quality/biome/NativeVerdict.ts"
import { findExecutable } from "../../../../plugins/testing/Executables.ts"

const require = createRequire(import.meta.url)
const project = path.resolve(import.meta.dirname, "../../../..")
const manifest: {
  readonly dependencies: Readonly<Record<string, string>>
  readonly optionalDependencies: Readonly<Record<string, string>>
} = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"))
const wasmVersion: string = require("@biomejs/wasm-nodejs/package.json").version

const configuration = BiomeConfig.configuration()
const key = JSON.stringify(configuration)

/** Snippets with what Biome's wasm build must find in them. */
const samples: ReadonlyArray<{ readonly name: string; readonly path: string; readonly code: string }> = [
  { name: "clean", path: "src/clean.ts", code: "export const greet = (name: string): string => name.trim()\n" },
  { name: "lint finding", path: "src/eq.ts", code: "export const same = (a: number, b: number) => a == b\n" },
  { name: "not formatted", path: "src/layout.ts", code: "export const one =   1;\n" },
  {
    name: "imports out of order",
    path: "src/imports.ts",
    code: 'import { b } from "./b"\nimport { a } from "./a"\n\nexport const both = [a, b]\n'
  },
  { name: "syntax error", path: "src/broken.ts", code: "export const = (\n" },
  { name: "clean JSX", path: "src/View.tsx", code: "export const View = () => <p>hi</p>\n" }
]

const native = NativeVerdict.currentSetup()

describe("Biome's native CLI", () => {
  it("is pinned to the wasm build's exact version, on every platform, and installed at it", () => {
    // Another version reports other rules and messages: a clean verdict would not be the wasm build's.
    expect(manifest.dependencies["@biomejs/wasm-nodejs"]).toBe(wasmVersion)
    const platforms = Object.entries(manifest.optionalDependencies).filter(([name]) => name.startsWith("biome-native-"))
    expect(platforms.map(([name]) => name).sort()).toEqual([
      "biome-native-linux-arm64",
      "biome-native-linux-arm64-musl",
      "biome-native-linux-x64",
      "biome-native-linux-x64-musl"
    ])
    for (const [, spec] of platforms)
      expect(spec).toMatch(new RegExp(`^npm:@biomejs/cli-linux-[a-z0-9-]+@${wasmVersion}$`))
    const binary = NativeVerdict.nativeBinary()
    if (process.platform === "linux" && ["x64", "arm64"].includes(process.arch)) {
      expect(binary).toBeDefined()
      expect(execFileSync(binary ?? "", ["--version"], { encoding: "utf8" })).toContain(wasmVersion)
      // Where bubblewrap is installed, the verdicts below run rather than skip.
      if (findExecutable("bwrap") !== undefined) expect(native).toBeDefined()
    }
  })

  it.effect.skipIf(native === undefined)("calls clean only what the wasm build finds clean", () =>
    Effect.gen(function* () {
      // A format starts the wasm thread: from then on lint and format check run there, not natively.
      yield* Biome.format("export const x = 1\n", "warm-up.ts")
      const verdicts: Array<NativeVerdict.Verdict | undefined> = []
      for (const sample of samples) {
        const verdict = yield* Effect.promise(() => NativeVerdict.verdict(sample.code, sample.path, configuration, key))
        verdicts.push(verdict)
        const lint = yield* Biome.lint(sample.code, sample.path)
        const format = yield* Biome.checkFormat(sample.code, sample.path)
        expect({ sample: sample.name, lintClean: verdict?.lintClean, formatClean: verdict?.formatClean }).toEqual({
          sample: sample.name,
          lintClean: lint.length === 0,
          // A file that does not parse gets no format finding from the wasm build, but is not clean.
          formatClean: format.length === 0 && sample.name !== "syntax error"
        })
        // The rules to run again in the wasm build: exactly those it reports, unless something else came up.
        if (verdict?.rules !== undefined) {
          expect([...verdict.rules].sort()).toEqual([...new Set(lint.map((issue) => issue.rule))].sort())
        }
      }
      // The samples cover both answers of both questions.
      expect(verdicts.filter((verdict) => verdict?.lintClean === true).length).toBeGreaterThan(0)
      expect(verdicts.filter((verdict) => verdict?.lintClean === false).length).toBeGreaterThan(0)
      expect(verdicts.filter((verdict) => verdict?.formatClean === false).length).toBeGreaterThan(0)
      expect(verdicts.filter((verdict) => verdict?.rules !== undefined).length).toBeGreaterThan(0)
    })
  )

  it.skipIf(native === undefined)(
    "a first lint and format check with the CLI's help find what the wasm build finds",
    () => {
      // A fresh process, whose Biome thread has not started: its first checks ask the native CLI.
      const code = [
        'import { b } from "./b"',
        'import { a } from "./a"',
        "",
        "export const both = [a,b]",
        "export function f(x: number) {",
        "  return isNaN(arguments.length) || x == 1",
        "}",
        ""
      ].join("\n")
      const script = `
      import { Effect } from ${JSON.stringify(pathToFileURL(require.resolve("effect")).href)}
      import { Biome } from ${JSON.stringify(pathToFileURL(path.join(project, "plugins/quality/biome/Biome.ts")).href)}
      const run = Effect.runPromise
      const code = ${JSON.stringify(code)}
      // Before the thread starts: the layout the CLI prints, then a lint of only the rules it named.
      const firstFormat = await run(Biome.checkFormat(code, "src/first.ts"))
      const first = await run(Biome.lint(code, "src/first.ts"))
      // The thread runs now: every rule, and its own layout.
      const full = await run(Biome.lint(code, "src/second.ts"))
      const fullFormat = await run(Biome.checkFormat(code, "src/second.ts"))
      console.log(JSON.stringify({ first, full, firstFormat, fullFormat }))`
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-native-"))
      const output = (() => {
        try {
          fs.writeFileSync(path.join(folder, "first-checks.ts"), script)
          return execFileSync(path.join(project, "node_modules/.bin/node"), [path.join(folder, "first-checks.ts")], {
            encoding: "utf8"
          })
        } finally {
          fs.rmSync(folder, { recursive: true, force: true })
        }
      })()
      const { first, full, firstFormat, fullFormat } = JSON.parse(output)
      expect(first.length).toBeGreaterThanOrEqual(3)
      expect(first).toEqual(full)
      expect(firstFormat).toEqual([expect.objectContaining({ rule: "biome/format", line: 4 })])
      expect(firstFormat).toEqual(fullFormat)
    }
  )

  it.skipIf(native === undefined)("reads no configuration of the workspace and no variable of ours", async () => {
    // A workspace that turns the linter off next to the file, and a variable pointing Biome at it.
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-native-"))
    try {
      fs.writeFileSync(path.join(workspace, "biome.json"), JSON.stringify({ linter: { enabled: false } }))
      const file = path.join(workspace, "eq.ts")
      const code = "export const same = (a: number, b: number) => a == b\n"
      fs.writeFileSync(file, code)
      process.env.BIOME_CONFIG_PATH = path.join(workspace, "biome.json")
      const verdict = await NativeVerdict.verdict(code, file, configuration, key)
      expect(verdict).toEqual({ lintClean: false, formatClean: true, rules: ["lint/suspicious/noDoubleEquals"] })
    } finally {
      delete process.env.BIOME_CONFIG_PATH
      fs.rmSync(workspace, { recursive: true, force: true })
    }
  })

  it.skipIf(native === undefined)("runs with no network, no environment and no view of the host's files", () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-native-"))
    try {
      // The sandbox the CLI runs in, with a shell in the binary's place to look around.
      const look = (script: string) =>
        execFileSync(
          native?.bwrap ?? "",
          [...NativeVerdict.sandboxArgs("/usr/bin/sh", folder), "/biome", "-c", script],
          { encoding: "utf8", env: { ...process.env, SECRET_TOKEN: "x" } }
        ).trim()
      // Only the loopback interface: no route out.
      expect(look("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")).toBe("lo")
      expect(look("env | grep -v '^PWD=' | grep -v '^SHLVL=' | grep -v '^_=' || true")).toBe("")
      expect(look(`test -e ${JSON.stringify(project)} && echo seen || echo hidden`)).toBe("hidden")
      expect(look("touch /work/x 2>/dev/null && echo written || echo read-only")).toBe("read-only")
    } finally {
      fs.rmSync(folder, { recursive: true, force: true })
    }
  })

  it("leaves the lint and format check to the wasm build where bubblewrap is missing", () => {
    const script = `
      import { Effect } from ${JSON.stringify(pathToFileURL(require.resolve("effect")).href)}
      import { Biome } from ${JSON.stringify(pathToFileURL(path.join(project, "plugins/quality/biome/Biome.ts")).href)}
      import { currentSetup } from ${JSON.stringify(pathToFileURL(path.join(project, "plugins/quality/biome/NativeVerdict.ts")).href)}
      const code = "export const same = (a: number, b: number) => a ==  b\\n"
      const lint = await Effect.runPromise(Biome.lint(code, "src/eq.ts"))
      const format = await Effect.runPromise(Biome.checkFormat(code, "src/eq.ts"))
      console.log(JSON.stringify({ setup: currentSetup() ?? null, lint, format }))`
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-native-"))
    const output = (() => {
      try {
        fs.writeFileSync(path.join(folder, "no-bwrap.ts"), script)
        // No PATH: no bwrap to find.
        return execFileSync(path.join(project, "node_modules/.bin/node"), [path.join(folder, "no-bwrap.ts")], {
          encoding: "utf8",
          env: { HOME: os.homedir() }
        })
      } finally {
        fs.rmSync(folder, { recursive: true, force: true })
      }
    })()
    const { setup, lint, format } = JSON.parse(output)
    expect(setup).toBeNull()
    // The wasm build's findings, advices included.
    expect(lint).toEqual([expect.objectContaining({ rule: "lint/suspicious/noDoubleEquals", fix: expect.any(String) })])
    expect(format).toEqual([expect.objectContaining({ rule: "biome/format", line: 1 })])
  })

  it.runIf(native !== undefined)(
    "answers unknown for a file that runs into a limit, and stays on for the next file",
    async () => {
      // A finding on every line: a report far over a small output limit, and slow to make.
      const code = "a == b\n".repeat(2_000)
      const found = NativeVerdict.currentSetup()
      if (found === undefined) throw new Error("no native setup")
      for (const limits of [
        { timeoutMs: 20_000, maxOutput: 4096 },
        { timeoutMs: 50, maxOutput: 16 * 1024 * 1024 }
      ]) {
        expect(await NativeVerdict.ask(found, code, "flood.js", configuration, undefined, limits)).toBeUndefined()
        // One hostile file does not turn the native check off for the files after it.
        expect(NativeVerdict.currentSetup()).toEqual(native)
      }
      const clean = await NativeVerdict.ask(found, "export const x = 1\n", "x.ts", configuration, undefined)
      expect(clean).toEqual(expect.objectContaining({ lintClean: true }))
    },
    60_000
  )

  it("answers unknown, never fails, when the binary cannot run", async () => {
    const broken = { binary: "/nonexistent/biome", bwrap: native?.bwrap ?? "/nonexistent/bwrap" }
    const verdict = await NativeVerdict.ask(broken, "export const x = 1\n", "x.ts", configuration, undefined)
    expect(verdict).toBeUndefined()
    // Another setup's failure leaves this machine's verdicts on.
    expect(NativeVerdict.currentSetup()).toEqual(native)
  })
})
