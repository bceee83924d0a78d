/**
 * Where a target's test file goes, which framework it uses and how it imports the code under
 * test, following each language's conventions and what the workspace declares:
 * - TypeScript/JavaScript: vitest when package.json depends on it or a vitest config exists,
 *   node:test otherwise; `test/<path without src/>.test.<ext>` (or the request's `testDir`);
 *   the import specifier follows the extension style of the target's own relative imports.
 * - Python: pytest; `tests/test_<module>.py`; `from <dotted module> import …` (without `src.`).
 * - Go: go test; `<file>_test.go` beside the file, in the same package.
 * - Rust: cargo test; `tests/<module>.rs`, `use <crate>::<module path>::{…}` (crate from Cargo.toml).
 */
import * as posix from "node:path/posix"
import { Effect, Schema } from "effect"
import { goPackage } from "./GoSymbols.ts"
import { crateName } from "./RustSymbols.ts"
import type { SourceLanguage } from "./SourceLanguage.ts"
import { loadTypeScript, relativeImports } from "./TypeScriptSymbols.ts"

export interface TestLayout {
  readonly framework: "vitest" | "node:test" | "pytest" | "go test" | "cargo test"
  readonly testPath: string
  /** TS/JS module specifier, Python dotted module, Go package name, Rust `crate::path`. */
  readonly importFrom: string
  /** The module's name, for suite titles and file headers. */
  readonly subject: string
}

/** Why a layout cannot be made for a target. */
export class TestLayoutError extends Schema.TaggedError<TestLayoutError>()("TestLayoutError", {
  target: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Cannot place tests for ${this.target}: ${this.reason}`
  }
}

type Read = (path: string) => Effect.Effect<string | undefined>

const PackageJson = Schema.fromJsonString(
  Schema.Struct({
    dependencies: Schema.optional(Schema.Record(Schema.String, Schema.Unknown)),
    devDependencies: Schema.optional(Schema.Record(Schema.String, Schema.Unknown))
  })
)
const decodePackageJson = Schema.decodeUnknownOption(PackageJson)

const stemOf = (path: string) => posix.basename(path).replace(/\.[^.]+$/, "")
const withoutSrc = (path: string) => path.replace(/^(\.\/)?src\//, "")

/** vitest when the workspace declares it; node:test for other JavaScript projects; the language's default without a package.json. */
const javaScriptFramework = Effect.fnUntraced(function* (read: Read, language: SourceLanguage, requested?: string) {
  if (requested === "vitest" || requested === "node:test") return requested
  for (const config of ["vitest.config.ts", "vitest.config.mts", "vitest.config.js", "vitest.config.mjs"]) {
    if ((yield* read(config)) !== undefined) return "vitest" as const
  }
  const manifest = yield* read("package.json")
  if (manifest === undefined) return language === "typescript" ? ("vitest" as const) : ("node:test" as const)
  const decoded = decodePackageJson(manifest)
  const deps = decoded._tag === "Some" ? { ...decoded.value.dependencies, ...decoded.value.devDependencies } : {}
  return "vitest" in deps ? ("vitest" as const) : ("node:test" as const)
})

/** The import specifier of `target` from `testPath`, in the style the target's own imports use. */
const specifierFor = Effect.fnUntraced(function* (
  target: string,
  testPath: string,
  source: string,
  framework: "vitest" | "node:test"
) {
  const ts = yield* Effect.promise(() => loadTypeScript())
  const imports = relativeImports(ts, source, target)
  const extension = posix.extname(target)
  const style = imports.some((s) => /\.[cm]?ts$/.test(s))
    ? "source"
    : imports.some((s) => /\.[cm]?js$/.test(s))
      ? "js"
      : imports.length > 0
        ? "none"
        : // node:test runs files as Node resolves them: the real extension; vite resolves without one.
          framework === "node:test"
          ? "source"
          : "none"
  const base = posix.relative(posix.dirname(testPath), target.slice(0, target.length - extension.length))
  const relative = base.startsWith(".") ? base : `./${base}`
  if (style === "none") return relative
  return `${relative}${style === "source" ? extension : extension.replace("ts", "js")}`
})

export interface LayoutInput {
  readonly target: string
  readonly language: SourceLanguage
  readonly source: string
  readonly read: Read
  readonly testDir?: string
  readonly framework?: string
}

/** The conventional layout of the tests of `target`. */
export const testLayout = Effect.fnUntraced(function* (
  input: LayoutInput
): Effect.fn.Return<TestLayout, TestLayoutError> {
  const { target, language, source, read } = input
  const stem = stemOf(target)
  switch (language) {
    case "typescript":
    case "javascript": {
      const framework = yield* javaScriptFramework(read, language, input.framework)
      const extension = posix.extname(target).replace(/x$/, "")
      const testPath = posix.join(
        input.testDir ?? "test",
        `${withoutSrc(target).replace(/\.[^.]+$/, "")}.test${extension}`
      )
      return {
        framework,
        testPath,
        importFrom: yield* specifierFor(target, testPath, source, framework),
        subject: stem
      }
    }
    case "python": {
      const module = withoutSrc(target)
        .replace(/\.py$/, "")
        .replace(/\/__init__$/, "")
        .replaceAll("/", ".")
      const name = module.slice(module.lastIndexOf(".") + 1)
      return {
        framework: "pytest",
        testPath: posix.join(input.testDir ?? "tests", `test_${name}.py`),
        importFrom: module,
        subject: module
      }
    }
    case "go": {
      const pkg = goPackage(source)
      if (pkg === undefined) return yield* new TestLayoutError({ target, reason: "no package clause" })
      return {
        framework: "go test",
        testPath: posix.join(posix.dirname(target), `${stem}_test.go`),
        importFrom: pkg,
        subject: pkg
      }
    }
    case "rust": {
      const manifest = yield* read("Cargo.toml")
      const crate = manifest === undefined ? undefined : crateName(manifest)
      if (crate === undefined) return yield* new TestLayoutError({ target, reason: "no crate name in Cargo.toml" })
      if (!target.startsWith("src/") || target === "src/main.rs") {
        return yield* new TestLayoutError({ target, reason: "integration tests reach only the library under src/" })
      }
      const modules = target
        .slice("src/".length)
        .replace(/\.rs$/, "")
        .split("/")
        .filter((part) => part !== "lib" && part !== "mod")
      return {
        framework: "cargo test",
        testPath: `tests/${modules.length === 0 ? crate : modules.join("_")}.rs`,
        importFrom: [crate, ...modules].join("::"),
        subject: [crate, ...modules].join("::")
      }
    }
  }
})

/** The marker the generated files start with, so a later run may replace them but not hand-written tests. */
export const generatedMarker = "Generated by tamma-codegen from"

/** `calc_test.go` → `calc_generated_test.go`: a free name beside a hand-written test file. */
export const generatedVariant = (testPath: string): string => {
  const dir = posix.dirname(testPath)
  const base = posix.basename(testPath)
  const renamed = base.endsWith("_test.go")
    ? base.replace(/_test\.go$/, "_generated_test.go")
    : /\.test\.[^.]+$/.test(base)
      ? base.replace(/\.test\.([^.]+)$/, ".generated.test.$1")
      : base.replace(/\.([^.]+)$/, "_generated.$1")
  return dir === "." ? renamed : `${dir}/${renamed}`
}
