import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { CodeGenConfig } from "../../../core/domain/Config.ts"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { Template, TemplateManifest, TemplateParameter } from "../../../core/domain/Template.ts"
import { CodeGenerator } from "../../../core/pipeline/CodeGenerator.ts"
import { eslintScopeByReading, foldersUp } from "../../../core/pipeline/EslintScope.ts"
import { LanguageRegistry, type QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { TemplateStore } from "../../../core/services/TemplateStore.ts"
import { MemoryFiles } from "../../../plugins/files/memory/MemoryWorkspace.ts"
import { TemplateGenerator } from "../../../plugins/generators/template/TemplateGenerator.ts"
import { TypeScript } from "../../../plugins/languages/typescript/TypeScript.ts"
import { NunjucksEngine } from "../../../plugins/templates/nunjucks/NunjucksEngine.ts"

// `new Buffer(n)` is a finding of eslint-plugin-security only: whether ESLint ran shows in the result.
const template = new Template({
  manifest: new TemplateManifest({
    id: "typescript/buffer",
    name: "buffer",
    description: "",
    language: "typescript",
    category: "implementation",
    tags: [],
    version: "1.0.0",
    parameters: [new TemplateParameter({ name: "name", type: "string", required: true, description: "" })],
    dependencies: [],
    example: {},
    metadata: {}
  }),
  files: [{ path: "src/{{ name }}.ts", source: "export const {{ name }} = (n: number) => new Buffer(n)\n" }],
  partials: {},
  source: "builtin",
  hash: "buffer@1.0.0"
})

const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
  taskType: "implementation",
  language: "typescript",
  context: { issue: { number: 17, title: "Allocate" } },
  parameters: { name: "buffer" }
})

/** Runs `generate` on a memory workspace holding `initial`; counts what reaches the real ESLint. */
const generate = (initial: Readonly<Record<string, string>>, config?: { readonly eslint: "always" | "auto" }) =>
  Effect.gen(function* () {
    let eslintCalls = 0
    const counted = (tool: QualityTool): QualityTool =>
      tool.name !== "eslint"
        ? tool
        : {
            ...tool,
            check: (code, path) =>
              Effect.suspend(() => {
                eslintCalls++
                return tool.check(code, path)
              })
          }
    const pack = { ...TypeScript.pack, tools: TypeScript.pack.tools.map(counted) }
    const layer = CodeGenerator.layerTest({
      templates: TemplateStore.layerMemory([template]),
      plugins: Layer.mergeAll(
        LanguageRegistry.register(pack),
        TemplateGenerator.layer.pipe(Layer.provide(NunjucksEngine.layer))
      ),
      ...(config === undefined ? {} : { config: configWith(config.eslint) })
    }).pipe(Layer.provideMerge(MemoryFiles.layer(initial)))
    const result = yield* Effect.provide(
      Effect.gen(function* () {
        return yield* (yield* CodeGenerator).generate(request)
      }),
      layer
    )
    const issues = result.files.flatMap((file) => file.quality.issues)
    return { result, eslintCalls, eslintIssues: issues.filter((issue) => issue.tool === "eslint") }
  })

const configWith = (eslint: "always" | "auto") => Schema.decodeUnknownSync(CodeGenConfig)({ quality: { eslint } })

describe("generate: ESLint where the workspace has a config of its own, as in validate", () => {
  it.effect(
    "no ESLint config: ESLint is neither loaded nor run; with one, its finding is in the result",
    () =>
      Effect.gen(function* () {
        const plain = yield* generate({ "README.md": "# app\n" })
        expect(plain.eslintCalls).toBe(0)
        expect(plain.eslintIssues).toEqual([])
        expect(plain.result.files.map((file) => file.path)).toEqual(["src/buffer.ts"])

        // Never executed: ESLint runs with our rules; the file only says that the owner uses ESLint.
        const linted = yield* generate({ "eslint.config.js": "export default []\n" })
        expect(linted.eslintCalls).toBeGreaterThan(0)
        expect(linted.eslintIssues.map((issue) => issue.rule)).toContain("security/detect-new-buffer")

        // The configuration may ask for ESLint where the workspace has no config.
        const asked = yield* generate({ "README.md": "# app\n" }, { eslint: "always" })
        expect(asked.eslintIssues.map((issue) => issue.rule)).toContain("security/detect-new-buffer")
      }),
    120_000
  )

  it.effect("a config in a folder covers the files below it, and a path out of the workspace none", () =>
    Effect.gen(function* () {
      const tree: Readonly<Record<string, string>> = { "packages/web/eslint.config.mjs": "export default []\n" }
      const scope = eslintScopeByReading("auto", (path) => Effect.succeed(tree[path]))
      expect(yield* scope.wants("packages/web/src/a.ts")).toBe(true)
      expect(yield* scope.wants("packages/api/src/a.ts")).toBe(false)
      expect(yield* scope.wants("packages/web/README.md")).toBe(false)
      expect(yield* scope.skippedAtStart).toEqual(["eslint"])
      expect(foldersUp("../web/a.ts")).toEqual([])
      expect(foldersUp("/etc/a.ts")).toEqual([])
      expect(foldersUp("src/a.ts")).toEqual(["src", ""])
    })
  )
})
