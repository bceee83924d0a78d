/**
 * The documentation generator (template-only): adds doc comments (JSDoc, Python docstrings, Go
 * `//` comments, Rust `///`) to the exported symbols of `parameters.target` files that lack one,
 * through the language's `doc-comments` template, and adds or updates a README section when
 * `parameters.readme` asks. Every documented file is checked: its code without comments must be
 * what it was, or the run fails with `DocChangedCodeError`.
 */
import { Effect, Option, Schema } from "effect"
import type { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { RenderedFile, type Template } from "../../../core/domain/Template.ts"
import {
  failAsGenerator,
  type Generator,
  type GeneratorInput,
  GeneratorRegistry
} from "../../../core/services/GeneratorRegistry.ts"
import { type LanguagePack, LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { TemplateEngine } from "../../../core/services/TemplateEngine.ts"
import { TemplateStore } from "../../../core/services/TemplateStore.ts"
import { codeDifference, commentSyntaxOf } from "./CommentStripping.ts"
import { documentationNotes, planDocs } from "./DocBlocks.ts"
import { DocChangedCodeError, DocTargetError } from "./DocGeneratorError.ts"
import { ReadmeRequest, withSection } from "./ReadmeSection.ts"

/** The parameters this generator reads: one target or several, and an optional README section. */
export const DocParameters = Schema.Struct({
  target: Schema.optional(Schema.Union([Schema.NonEmptyString, Schema.Array(Schema.NonEmptyString)])),
  readme: Schema.optional(ReadmeRequest),
  /** The README to update; `README.md` unless given. */
  readmePath: Schema.optional(Schema.NonEmptyString)
})
const decodeParameters = Schema.decodeUnknownEffect(DocParameters)

/** Refuses a documented file whose code, comments aside, is not the original's. */
export const checkOnlyComments = (path: string, pack: LanguagePack, before: string, after: string) => {
  const syntax = commentSyntaxOf(pack)
  const difference = syntax === undefined ? undefined : codeDifference(before, after, syntax)
  return difference === undefined ? Effect.void : Effect.fail(new DocChangedCodeError({ path, ...difference }))
}

const isDocTemplate = (template: Template, id: string) =>
  template.manifest.metadata.generator === "documentation" && template.id === id

export const DocGenerator = {
  name: "documentation",
  /** Whether the generator serves a request: a `documentation` task naming targets or a README section. */
  supports: (request: CodeGenerationRequest): boolean =>
    request.taskType === "documentation" &&
    (request.parameters.target !== undefined || request.parameters.readme !== undefined),
  layer: GeneratorRegistry.register(
    Effect.gen(function* () {
      const engine = yield* TemplateEngine
      const store = yield* TemplateStore
      const languages = yield* LanguageRegistry

      const documentFile = Effect.fnUntraced(function* (input: GeneratorInput, target: string) {
        const fail = (problem: DocTargetError["problem"], detail: string) =>
          new DocTargetError({ target, problem, detail })
        const pack = Option.getOrUndefined(yield* languages.detect(target))
        const reader = pack?.symbols
        const documentation = pack?.documentation
        if (pack === undefined || reader === undefined || documentation === undefined || !reader.reads(target))
          return yield* fail("unsupported-language", "no symbol reader for this file type")
        const source = yield* input.read(target)
        if (source === undefined) return yield* fail("not-found", "the file is not in the workspace")
        const symbols = yield* reader.read(source, target)
        const notes = documentationNotes(input.request.requirements.documentation)
        const plan = planDocs(source, symbols, documentation.docstring, notes)
        if (plan.documented.length === 0) {
          return { files: [], notes: [`${target}: every exported symbol already has a doc comment`, ...plan.skipped] }
        }
        const id = documentation.template
        const template = isDocTemplate(input.template, id) ? input.template : yield* store.load(id)
        const rendered = yield* engine.render(template, { ...input.context, path: target, blocks: plan.blocks })
        for (const file of rendered) {
          if (file.path !== target) {
            return yield* new DocChangedCodeError({ path: file.path, line: 0, before: "", after: "(a new file)" })
          }
          yield* checkOnlyComments(target, pack, source, file.content)
        }
        return {
          files: rendered,
          notes: [`${target}: doc comments for ${plan.documented.join(", ")}`, ...plan.skipped]
        }
      })

      const generate = Effect.fn("DocGenerator.generate")(function* (input: GeneratorInput) {
        const parameters = yield* decodeParameters(input.request.parameters).pipe(
          Effect.mapError(
            (error) =>
              new DocTargetError({ target: "(parameters)", problem: "invalid-parameters", detail: error.message })
          )
        )
        const targets =
          parameters.target === undefined
            ? []
            : typeof parameters.target === "string"
              ? [parameters.target]
              : parameters.target
        const documented = yield* Effect.forEach(targets, (target) => documentFile(input, target.replace(/^\.\//, "")))
        const files = documented.flatMap((d) => d.files)
        const notes = documented.flatMap((d) => d.notes)
        if (parameters.readme !== undefined) {
          const path = parameters.readmePath ?? "README.md"
          const before = (yield* input.read(path)) ?? ""
          const after = withSection(before, parameters.readme)
          if (after !== before) {
            files.push(new RenderedFile({ path, content: after }))
            notes.push(
              `${path}: section "${parameters.readme.title}" ${before.includes(parameters.readme.title) ? "updated" : "added"}`
            )
          }
        }
        return { files, notes }
      })

      const generator: Generator = {
        name: DocGenerator.name,
        taskTypes: ["documentation"],
        priority: 5,
        supports: DocGenerator.supports,
        templateFor: (_request, pack) => pack.documentation?.template,
        // A target it refuses is this plugin's own error: the core knows it as a generator failure.
        generate: (input) =>
          generate(input).pipe(
            Effect.catchTag(["DocTargetError", "DocChangedCodeError"], failAsGenerator(DocGenerator.name))
          )
      }
      return generator
    })
  )
}
