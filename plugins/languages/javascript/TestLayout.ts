/**
 * Where the JavaScript family's generated tests go: `test/<path without src/>.test.<ext>` (or the
 * request's `testDir`), vitest when the workspace declares it and node:test otherwise, importing
 * the code under test in the extension style of the target's own relative imports. TypeScript
 * shares it, so it lives with the older language.
 */
import * as posix from "node:path/posix"
import { Effect, Schema } from "effect"
import type { TestLayoutInput } from "../../../core/domain/TestLayout.ts"
import type { TestLayoutRule } from "../../../core/services/LanguageRegistry.ts"
import { loadTypeScript, relativeImports } from "./Symbols.ts"
import { javaScriptTestCases } from "./TestCases.ts"

type Framework = "vitest" | "node:test"

const PackageJson = Schema.fromJsonString(
  Schema.Struct({
    dependencies: Schema.optional(Schema.Record(Schema.String, Schema.Unknown)),
    devDependencies: Schema.optional(Schema.Record(Schema.String, Schema.Unknown))
  })
)
const decodePackageJson = Schema.decodeUnknownOption(PackageJson)

/** vitest when the workspace declares it; node:test for other JavaScript projects; `fallback` without a package.json. */
const frameworkOf = Effect.fnUntraced(function* (input: TestLayoutInput, fallback: Framework) {
  const { read } = input
  if (input.framework === "vitest" || input.framework === "node:test") return input.framework
  for (const config of ["vitest.config.ts", "vitest.config.mts", "vitest.config.js", "vitest.config.mjs"]) {
    if ((yield* read(config)) !== undefined) return "vitest" as const
  }
  const manifest = yield* read("package.json")
  if (manifest === undefined) return fallback
  const decoded = decodePackageJson(manifest)
  const deps = decoded._tag === "Some" ? { ...decoded.value.dependencies, ...decoded.value.devDependencies } : {}
  return "vitest" in deps ? ("vitest" as const) : ("node:test" as const)
})

/** The import specifier of `target` from `testPath`, in the style the target's own imports use. */
const specifierFor = Effect.fnUntraced(function* (
  target: string,
  testPath: string,
  source: string,
  framework: Framework
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

/** The layout of the JavaScript family, with the framework a workspace without package.json gets. */
export const javaScriptTestLayout = (fallback: Framework): TestLayoutRule => ({
  template: "typescript/test-from-source",
  cases: javaScriptTestCases,
  place: Effect.fnUntraced(function* (input: TestLayoutInput) {
    const { target, source } = input
    const framework = yield* frameworkOf(input, fallback)
    const extension = posix.extname(target).replace(/x$/, "")
    const testPath = posix.join(
      input.testDir ?? "test",
      `${target.replace(/^(\.\/)?src\//, "").replace(/\.[^.]+$/, "")}.test${extension}`
    )
    return {
      framework,
      testPath,
      importFrom: yield* specifierFor(target, testPath, source, framework),
      subject: posix.basename(target).replace(/\.[^.]+$/, "")
    }
  })
})
