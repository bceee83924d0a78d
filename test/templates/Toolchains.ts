/**
 * The real toolchain of each built-in language, as the conformance test drives it: scaffold what
 * a project around the rendered files would hold (tsconfig, go.mod, Cargo.toml, …), then compile,
 * check the formatting where the formatter ships with the toolchain, and run the generated tests.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { NodeServices } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import ts from "typescript"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { TestRunner } from "../../core/services/TestRunner.ts"
import { Java } from "../../plugins/languages/java/Java.ts"
import { debianConsoleLauncher } from "../../plugins/testing/frameworks/JUnit.ts"
import { ProcessTestRunner } from "../../plugins/testing/ProcessTestRunner.ts"

/** `full`: compile and run the generated tests; `syntax`: the framework is not installed, parse only. */
export type Level = "full" | "syntax"

export interface CheckInput {
  /** The temp folder holding the rendered files. */
  readonly dir: string
  /** Rendered paths, relative to `dir`. */
  readonly files: ReadonlyArray<string>
  readonly level: Level
  /** The manifest's example parameters (a scaffold may read `crate`, `module`). */
  readonly example: Readonly<Record<string, unknown>>
  /** `@types/*` packages the template declares as npm dependencies. */
  readonly types: ReadonlyArray<string>
  /** A folder shared by every check of the run, for compiler caches. */
  readonly cacheDir: string
}

export interface Toolchain {
  /** What `check` runs, for the test's title. */
  readonly describe: (level: Level) => string
  /** Throws (or rejects), with the tool's output, when a step fails. */
  readonly check: (input: CheckInput) => void | Promise<void>
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url))
const nodeModules = path.join(repoRoot, "node_modules")

/** The environment of a child tool: ours, without what would make a nested vitest think it is a worker. */
const childEnv = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("VITEST") || key === "NODE_OPTIONS" || key === "NODE_ENV" || key === "TEST") continue
    env[key] = value
  }
  return { ...env, ...extra }
}

/** Runs `command` with `args` in `cwd`; throws with its output unless it exits 0. */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: NodeJS.ProcessEnv = childEnv(),
  timeout = 120_000
): string => {
  const result = spawnSync(command, [...args], { cwd, env, timeout, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 })
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`
  if (result.error !== undefined) throw new Error(`${command} ${args.join(" ")}: ${result.error.message}\n${output}`)
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status ?? result.signal}\n${output}`)
  }
  return output
}

/** Whether `command --version` runs. */
export const available = (command: string, args: ReadonlyArray<string> = ["--version"]): boolean =>
  spawnSync(command, [...args], { encoding: "utf8", timeout: 30_000 }).status === 0

const write = (file: string, content: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  if (!fs.existsSync(file)) fs.writeFileSync(file, content)
}

const withExt = (files: ReadonlyArray<string>, ...exts: ReadonlyArray<string>) =>
  files.filter((file) => exts.some((ext) => file.endsWith(ext)))

/** Biome with the settings the generated code follows (its defaults, width 100, no semicolons). */
const biomeFormatCheck = (dir: string, files: ReadonlyArray<string>) => {
  if (files.length === 0) return
  fs.writeFileSync(
    path.join(dir, "biome.json"),
    JSON.stringify({
      formatter: { indentStyle: "space", indentWidth: 2, lineWidth: 100 },
      javascript: { formatter: { quoteStyle: "double", semicolons: "asNeeded" } }
    })
  )
  run(path.join(nodeModules, ".bin", "biome"), ["format", ...files], dir)
}

const linkNodeModules = (dir: string) => {
  const link = path.join(dir, "node_modules")
  if (!fs.existsSync(link)) fs.symlinkSync(nodeModules, link, "dir")
}

const typescript: Toolchain = {
  describe: (level) => (level === "full" ? "tsc + vitest + biome format" : "TypeScript parse + biome format"),
  check: ({ dir, files, level, types }) => {
    const sources = withExt(files, ".ts")
    if (sources.length === 0) return
    if (level === "syntax") {
      for (const file of sources) {
        const text = fs.readFileSync(path.join(dir, file), "utf8")
        const out = ts.transpileModule(text, { fileName: file, reportDiagnostics: true })
        const problems = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))
        if (problems.length > 0) throw new Error(`${file}: ${problems.join("; ")}`)
      }
    } else {
      linkNodeModules(dir)
      write(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "ESNext",
            moduleResolution: "Bundler",
            lib: ["ES2023"],
            strict: true,
            noUncheckedIndexedAccess: true,
            noEmit: true,
            skipLibCheck: true,
            types
          },
          include: ["**/*.ts"],
          exclude: ["node_modules"]
        })
      )
      run(process.execPath, [path.join(nodeModules, "typescript", "bin", "tsc"), "-p", dir], dir)
      if (sources.some((file) => file.endsWith(".test.ts"))) {
        run(process.execPath, [path.join(nodeModules, "vitest", "vitest.mjs"), "run", "--root", dir], dir)
      }
    }
    biomeFormatCheck(dir, sources)
  }
}

const javascript: Toolchain = {
  describe: (level) => (level === "full" ? "node --check + node --test + biome format" : "node --check + biome format"),
  check: ({ dir, files, level }) => {
    const sources = withExt(files, ".js", ".mjs")
    if (sources.length === 0) return
    write(path.join(dir, "package.json"), JSON.stringify({ type: "module" }))
    for (const file of sources) run(process.execPath, ["--check", file], dir)
    if (level === "full" && sources.some((file) => /\.test\.m?js$/.test(file))) {
      linkNodeModules(dir)
      run(process.execPath, ["--test", ...sources.filter((file) => /\.test\.m?js$/.test(file))], dir)
    }
    biomeFormatCheck(dir, sources)
  }
}

const python: Toolchain = {
  describe: (level) => (level === "full" ? "py_compile + pytest (with doctests)" : "py_compile"),
  check: ({ dir, files, level }) => {
    const sources = withExt(files, ".py")
    if (sources.length === 0) return
    run("python3", ["-m", "py_compile", ...sources], dir)
    if (level === "full") {
      run(
        "python3",
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules", ...sources],
        dir,
        childEnv({ PYTHONDONTWRITEBYTECODE: "1" })
      )
    }
  }
}

const goEnv = (cacheDir: string) =>
  childEnv({
    GOFLAGS: "-mod=mod",
    GOPROXY: "off",
    GOTOOLCHAIN: "local",
    GOWORK: "off",
    GOCACHE: path.join(cacheDir, "go-build"),
    GOPATH: path.join(cacheDir, "go-path"),
    CGO_ENABLED: "0"
  })

const go: Toolchain = {
  describe: (level) => (level === "full" ? "gofmt + go vet + go test" : "gofmt"),
  check: ({ dir, files, level, example, cacheDir }) => {
    const sources = withExt(files, ".go")
    if (sources.length === 0) return
    const unformatted = run("gofmt", ["-l", ...sources], dir).trim()
    if (unformatted.length > 0)
      throw new Error(`not gofmt-formatted: ${unformatted}\n${run("gofmt", ["-d", ...sources], dir)}`)
    if (level === "syntax") return
    const module = typeof example.module === "string" ? example.module : "example.com/app"
    write(path.join(dir, "go.mod"), `module ${module}\n\ngo 1.19\n`)
    run("go", ["vet", "./..."], dir, goEnv(cacheDir))
    run("go", ["test", "./..."], dir, goEnv(cacheDir))
  }
}

const rust: Toolchain = {
  describe: (level) => (level === "full" ? "rustfmt --check + cargo test" : "rustfmt --check (parse + format)"),
  check: ({ dir, files, level, example, cacheDir }) => {
    const sources = withExt(files, ".rs")
    if (sources.length === 0) return
    run("rustfmt", ["--check", "--edition", "2021", ...sources], dir)
    if (level === "syntax") return
    const crate = typeof example.crate === "string" ? example.crate : "app"
    write(
      path.join(dir, "Cargo.toml"),
      `[package]\nname = "${crate}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n`
    )
    const modules = sources
      .filter((file) => /^src\/[^/]+\.rs$/.test(file) && file !== "src/lib.rs" && file !== "src/main.rs")
      .map((file) => path.basename(file, ".rs"))
    if (modules.length > 0) write(path.join(dir, "src", "lib.rs"), modules.map((m) => `pub mod ${m};\n`).join(""))
    run(
      "cargo",
      ["test", "--offline", "--quiet"],
      dir,
      childEnv({ CARGO_TARGET_DIR: path.join(cacheDir, "cargo-target"), CARGO_TERM_COLOR: "never" }),
      240_000
    )
  }
}

/** The product's test runner, so that the generated tests run exactly as a user's would. */
const testRunner = ProcessTestRunner.layer().pipe(
  Layer.provide(Layer.mergeAll(NodeServices.layer, Java.layer.pipe(Layer.provideMerge(LanguageRegistry.layer))))
)

const java: Toolchain = {
  describe: (level) =>
    level === "full" ? "javac -Xlint:all -Werror + JUnit 5 through the product's test runner" : "javac parse only",
  check: async ({ dir, files, level, cacheDir }) => {
    const sources = withExt(files, ".java")
    if (sources.length === 0) return
    if (level === "syntax") {
      run("javac", ["-XDshould-stop.ifNoError=PARSE", "-XDshould-stop.ifError=PARSE", "-d", "out", ...sources], dir)
      return
    }
    // Warnings fail the template too; the runner compiles again, into its own scratch folder.
    const classes = fs.mkdtempSync(path.join(cacheDir, "javac-"))
    run("javac", ["-Xlint:all", "-Werror", "-cp", debianConsoleLauncher, "-d", classes, ...sources], dir)
    const tests = sources.filter((file) => file.startsWith("src/test/java/"))
    if (tests.length === 0) return
    const report = await Effect.runPromise(
      TestRunner.use((runner) => runner.run({ workspace: dir, language: "java", files: tests })).pipe(
        Effect.provide(testRunner)
      )
    )
    if (report.status !== "passed" || report.passed === 0) {
      const failures = report.cases.filter((c) => c.status === "failed").map((c) => `${c.name}: ${c.message ?? ""}`)
      throw new Error(
        `${report.command}: ${report.status}, ${report.passed} passed\n${failures.join("\n")}\n${report.output}`
      )
    }
  }
}

/** The toolchain of each built-in language. */
export const toolchains: Readonly<Record<string, Toolchain>> = { typescript, javascript, python, go, rust, java }
