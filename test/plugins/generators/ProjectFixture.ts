/**
 * Small real projects under test/fixtures/projects/<language>/, copied to temp folders, and the
 * generators run on them template-only with the real engine and the built-in templates.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Layer, Schema } from "effect"
import { CodeGenerationRequest, decodeRequestJson } from "../../../core/domain/Request.ts"
import type { Template } from "../../../core/domain/Template.ts"
import { templateContextOf } from "../../../core/pipeline/TemplateContext.ts"
import { type Generator, GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { TemplateStore } from "../../../core/services/TemplateStore.ts"
import { Go } from "../../../plugins/languages/go/Go.ts"
import { JavaScript } from "../../../plugins/languages/javascript/JavaScript.ts"
import { Python } from "../../../plugins/languages/python/Python.ts"
import { Rust } from "../../../plugins/languages/rust/Rust.ts"
import { TypeScript } from "../../../plugins/languages/typescript/TypeScript.ts"
import { NunjucksEngine } from "../../../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FileTemplateStore } from "../../../plugins/templates/store/FileTemplateStore.ts"
import { ownNodeModules } from "../../../plugins/testing/ConfinedEnvironment.ts"

export const projects = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "projects")

const folders: Array<string> = []

/** A temp copy of a fixture project; a JavaScript one with its dependencies installed (ours, linked). */
export const copyProject = (name: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tamma-project-${name}-`))
  folders.push(dir)
  fs.cpSync(path.join(projects, name), dir, { recursive: true })
  if (fs.existsSync(path.join(dir, "package.json"))) fs.symlinkSync(ownNodeModules, path.join(dir, "node_modules"))
  return dir
}

/** Removes every copy made so far. */
export const removeCopies = () => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/** The fixture's request, decoded as the CLI decodes it, with `overrides` merged into its fields. */
export const projectRequest = (name: string, overrides: Partial<CodeGenerationRequest> = {}) =>
  Effect.map(
    decodeRequestJson(fs.readFileSync(path.join(projects, name, "request.json"), "utf8")),
    (request) => new CodeGenerationRequest({ ...request, ...overrides })
  ).pipe(Effect.orDie)

/** Reads `dir` as a generator's `read` does: undefined for a missing file. */
export const readFrom = (dir: string) => (file: string) =>
  Effect.sync(() => {
    const target = path.join(dir, file)
    return fs.existsSync(target) && fs.statSync(target).isFile() ? fs.readFileSync(target, "utf8") : undefined
  })

/** Writes rendered files into `dir`. */
export const writeInto = (dir: string, files: ReadonlyArray<{ readonly path: string; readonly content: string }>) => {
  for (const file of files) {
    const target = path.join(dir, file.path)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, file.content)
  }
}

/** Replaces `from` by `to` in a file of `dir`, failing the test when `from` is not there. */
export const plant = (dir: string, file: string, from: string, to: string) => {
  const target = path.join(dir, file)
  const text = fs.readFileSync(target, "utf8")
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`)
  fs.writeFileSync(target, text.replace(from, to))
}

/** The real template engine and the built-in templates. */
export const templates = FileTemplateStore.layer().pipe(Layer.provideMerge(NunjucksEngine.layer))

/** The packs of the languages the test and documentation generators read, registered. */
export const languages = Layer.mergeAll(TypeScript.layer, JavaScript.layer, Python.layer, Go.layer, Rust.layer).pipe(
  Layer.provideMerge(LanguageRegistry.layer)
)

/** Runs the registered generator that serves `request` on the files of `dir`. */
export const runGenerator = (request: CodeGenerationRequest, dir: string, template?: Template) =>
  Effect.gen(function* () {
    const registry = yield* GeneratorRegistry
    const generator: Generator = yield* registry.resolve(request)
    const chosen =
      template ??
      (yield* TemplateStore.use((store) => store.list({ category: request.taskType })).pipe(
        Effect.flatMap((manifests) => {
          const first = manifests[0]
          if (first === undefined) return Effect.die("no template for the task type")
          return TemplateStore.use((store) => store.load(first.id))
        })
      ))
    const output = yield* generator.generate({
      runId: "test-run",
      request,
      template: chosen,
      context: templateContextOf(request),
      read: readFrom(dir)
    })
    return { generator: generator.name, ...output }
  })

export const decodeRequest = Schema.decodeUnknownSync(CodeGenerationRequest)
