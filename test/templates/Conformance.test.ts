/**
 * Conformance of the built-in template library: every template, rendered with its manifest's
 * `example` through the real engine and store, yields files that its language's real toolchain
 * compiles, and whose own generated tests pass.
 *
 * A manifest tunes its check with metadata:
 * - `"conformance": "syntax"` — the code imports a framework that is not installed here (express,
 *   axum, Spring): render and parse only.
 * - `"requiresModules": ["flask"]` — Python modules the generated tests import; without them the
 *   template is checked as `syntax`.
 * - `"conformanceWith": "<id>"` — render that template too, with the same example, before this one
 *   (a test-only template needs the module it tests).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import type { Template } from "../../core/domain/Template.ts"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../core/services/QualityChecker.ts"
import { TemplateEngine } from "../../core/services/TemplateEngine.ts"
import { TemplateStore } from "../../core/services/TemplateStore.ts"
import { NunjucksEngine } from "../../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FileTemplateStore } from "../../plugins/templates/store/FileTemplateStore.ts"
import { languagesLayer } from "../../presets/NodeQuality.ts"
import { available, type Level, toolchains } from "./Toolchains.ts"

const layer = FileTemplateStore.layer().pipe(Layer.provideMerge(NunjucksEngine.layer))
// The language packs the CLI registers: the quality check a generated file goes through.
const quality = Effect.runSync(
  Layer.build(QualityChecker.layer.pipe(Layer.provideMerge(languagesLayer))).pipe(Effect.scoped)
)
const runWithStore = <A, E>(effect: Effect.Effect<A, E, TemplateStore | TemplateEngine>) =>
  Effect.runPromise(Effect.provide(effect, layer))

const manifests = await runWithStore(TemplateStore.use((store) => store.list()))
const builtins = manifests.filter((manifest) => manifest.source === "builtin" && manifest.language in toolchains)

const stringList = (value: unknown): ReadonlyArray<string> =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []

const levelOf = (template: Template): Level => {
  const { metadata, language } = template.manifest
  if (metadata.conformance === "syntax") return "syntax"
  const modules = stringList(metadata.requiresModules)
  if (language === "python" && modules.length > 0) {
    return available("python3", ["-c", modules.map((name) => `import ${name}`).join("; ")]) ? "full" : "syntax"
  }
  return "full"
}

const renderExample = (template: Template, example: Readonly<Record<string, unknown>>) =>
  TemplateEngine.use((engine) =>
    engine.render(template, {
      taskType: template.manifest.category,
      language: template.manifest.language,
      ...example
    })
  )

const load = (id: string) => TemplateStore.use((store) => store.load(id))

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-conformance-cache-"))
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }))

describe("built-in template library", () => {
  it("has templates for every built-in language", () => {
    const languages = new Set(builtins.map((manifest) => manifest.language))
    expect([...languages].sort()).toEqual(Object.keys(toolchains).sort())
  })

  it("ships an example for every template", () => {
    for (const manifest of builtins) expect(Object.keys(manifest.example), manifest.id).not.toHaveLength(0)
  })
})

describe.each(builtins.map((manifest) => [manifest.id, manifest.language] as const))("%s", (id, language) => {
  it("validates with no problems but unused parameters", async () => {
    const problems = await runWithStore(
      Effect.gen(function* () {
        const engine = yield* TemplateEngine
        return yield* engine.validate(yield* load(id))
      })
    )
    expect(problems.filter((problem) => problem.rule !== "unused-parameter")).toEqual([])
  })

  it("passes its language's quality check (score ≥ 0.9, no security finding) and formats idempotently", async () => {
    const files = await runWithStore(
      Effect.gen(function* () {
        const template = yield* load(id)
        return yield* renderExample(template, template.manifest.example)
      })
    )
    for (const file of files) {
      const outcome = await Effect.runPromise(
        Effect.gen(function* () {
          const registry = yield* LanguageRegistry
          const checker = yield* QualityChecker
          const pack = yield* registry.detect(file.path)
          if (Option.isNone(pack)) return undefined
          const result = yield* checker.check(file.content, pack.value.id, file.path)
          const once = yield* checker.format(file.content, pack.value.id, file.path)
          const twice = yield* checker.format(once, pack.value.id, file.path)
          return { result, once, twice }
        }).pipe(Effect.provideContext(quality))
      )
      if (outcome === undefined) continue
      const findings = outcome.result.issues.map((issue) => `${issue.line}:${issue.column} ${issue.rule}`)
      expect(outcome.result.score, `${file.path}: ${findings.join(", ")}`).toBeGreaterThanOrEqual(0.9)
      expect(
        outcome.result.issues.filter((issue) => issue.category === "security"),
        file.path
      ).toEqual([])
      expect(outcome.twice, `${file.path}: formatting is not idempotent`).toBe(outcome.once)
    }
  }, 120_000)

  it("renders its example into code the real toolchain compiles and whose tests pass", {
    timeout: 300_000
  }, async () => {
    const { files, level } = await runWithStore(
      Effect.gen(function* () {
        const template = yield* load(id)
        const example = template.manifest.example
        const companionId = template.manifest.metadata.conformanceWith
        const companion =
          typeof companionId === "string"
            ? yield* renderExample(yield* load(companionId), { ...example, withTests: false })
            : []
        return { files: [...companion, ...(yield* renderExample(template, example))], level: levelOf(template) }
      })
    )
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      expect(file.content.trim(), file.path).not.toBe("")
      if (file.path.endsWith(".md")) {
        const fences = file.content.split("\n").filter((line) => line.trimStart().startsWith("```"))
        expect(fences.length % 2, `${file.path}: unbalanced code fences`).toBe(0)
      }
    }

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tamma-conformance-${id.replace("/", "-")}-`))
    try {
      for (const file of files) {
        const target = path.join(dir, file.path)
        fs.mkdirSync(path.dirname(target), { recursive: true })
        fs.writeFileSync(target, file.content)
      }
      const manifest = manifests.find((entry) => entry.id === id)
      const types = (manifest?.dependencies ?? [])
        .filter((dependency) => dependency.kind === "npm" && dependency.name.startsWith("@types/"))
        .map((dependency) => dependency.name.slice("@types/".length))
      const toolchain = toolchains[language]
      if (toolchain === undefined) throw new Error(`no toolchain for ${language}`)
      await toolchain.check({
        dir,
        files: files.map((file) => file.path),
        level,
        example: manifest?.example ?? {},
        types,
        cacheDir
      })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
