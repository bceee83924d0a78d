/**
 * The handlers of the `template` commands.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Console, Effect, Option, Schema } from "effect"
import { defaultFilesConfig } from "../../core/domain/Config.ts"
import type { TaskType } from "../../core/domain/Request.ts"
import { FileSystemError, TemplateInvalidError, UnsafePathError } from "../../core/errors.ts"
import { checkPath } from "../../core/services/PathPolicy.ts"
import { TemplateEngine } from "../../core/services/TemplateEngine.ts"
import { TemplateStore } from "../../core/services/TemplateStore.ts"
import { loadPackFolder, loadPartials } from "../../plugins/templates/store/PackFolder.ts"
import { UsageError } from "../CliErrors.ts"
import { loadCommandConfig } from "../ConfigTrust.ts"
import { printJson } from "../JsonOutput.ts"
import { bold, dim } from "../Render.ts"
import { jsonText, visible } from "../TerminalText.ts"

/**
 * `effect` over the template packs of the workspace `dir`: its config is read as a run reads it
 * (`loadCommandConfig`), so the workspace's `templateDirs` name no folder outside it here either.
 */
const withStore = <A, E>(dir: string, effect: Effect.Effect<A, E, TemplateStore | TemplateEngine>) =>
  Effect.gen(function* () {
    const { templatesLayer } = yield* Effect.promise(() => import("../../presets/NodePipeline.ts"))
    const workspace = path.resolve(dir)
    const config = yield* loadCommandConfig(workspace)
    return yield* effect.pipe(Effect.provide(templatesLayer(workspace, config)))
  })

const parseRef = (ref: string) => {
  const at = ref.indexOf("@")
  return at < 0 ? { id: ref, version: undefined } : { id: ref.slice(0, at), version: ref.slice(at + 1) }
}

/** A pack folder given on the command line; its partials come from the sibling `_partials` of its language. */
const loadFolder = (dir: string) =>
  Effect.gen(function* () {
    const absolute = path.resolve(dir)
    const languageRoot = path.resolve(absolute, "..", "..", "..")
    const language = path.basename(path.resolve(absolute, "..", ".."))
    const partials = yield* loadPartials(languageRoot, language)
    return yield* loadPackFolder(absolute, "workspace", partials)
  })

const safePath = (rendered: string) =>
  Effect.suspend(() => {
    const checked = checkPath(rendered, defaultFilesConfig)
    return checked instanceof UnsafePathError ? Effect.fail(checked) : Effect.succeed(checked)
  })

const readParams = (input: string) =>
  Effect.gen(function* () {
    const text = input.trimStart().startsWith("{")
      ? input
      : yield* Effect.tryPromise({
          try: () => fs.readFile(input, "utf8"),
          catch: (error) => new UsageError({ detail: `cannot read --params ${input}: ${String(error)}` })
        })
    return yield* Schema.decodeUnknownEffect(Schema.fromJsonString(Schema.Record(Schema.String, Schema.Unknown)))(
      text
    ).pipe(Effect.mapError((error) => new UsageError({ detail: `--params is not a JSON object: ${error.message}` })))
  })

type ListInput = {
  readonly workspace: string
  readonly language: Option.Option<string>
  readonly category: Option.Option<TaskType>
  readonly json: boolean
}

export const listTemplates = Effect.fn("cli.template.list")(function* ({
  workspace,
  language,
  category,
  json
}: ListInput) {
  const manifests = yield* withStore(
    workspace,
    TemplateStore.use((store) =>
      store.list({ language: Option.getOrUndefined(language), category: Option.getOrUndefined(category) })
    )
  )
  if (json) {
    yield* printJson(jsonText(manifests))
    return
  }
  for (const m of manifests) {
    yield* Console.log(
      visible(`${m.id.padEnd(40)} ${m.version.padEnd(8)} ${m.category.padEnd(15)} `) + dim(visible(m.description))
    )
  }
})

type ShowInput = { readonly workspace: string; readonly ref: string }

export const show = Effect.fn("cli.template.show")(function* ({ workspace, ref }: ShowInput) {
  const { id, version } = parseRef(ref)
  const template = yield* withStore(
    workspace,
    TemplateStore.use((store) => store.load(id, version))
  )
  const m = template.manifest
  yield* Console.log(`${bold(visible(m.id))}@${visible(`${m.version} (${template.source}) — ${m.name}`)}`)
  yield* Console.log(visible(m.description))
  yield* Console.log(
    visible(`language ${m.language}, category ${m.category}${m.framework ? `, framework ${m.framework}` : ""}`)
  )
  for (const p of m.parameters) {
    yield* Console.log(
      visible(`  ${p.name}: ${p.type}${p.required ? " (required)" : ""}  `) + dim(visible(p.description))
    )
  }
  for (const file of template.files) yield* Console.log(`  file ${visible(file.path)}`)
})

type ValidateInput = { readonly dir: string }

export const validateTemplate = Effect.fn("cli.template.validate")(function* ({ dir }: ValidateInput) {
  const template = yield* loadFolder(dir)
  const problems = yield* withStore(
    ".",
    TemplateEngine.use((engine) => engine.validate(template))
  )
  const errors = problems.filter((p) => p.rule !== "unused-parameter")
  for (const p of problems) {
    yield* Console.log(
      visible(`${p.file}${p.line === undefined ? "" : `:${p.line}:${p.column ?? 0}`} [${p.rule}] ${p.message}`)
    )
  }
  if (errors.length > 0) return yield* new TemplateInvalidError({ id: template.id, problems: errors })
  yield* Console.log(visible(`${template.id}@${template.version} is valid`))
})

type RenderInput = {
  readonly workspace: string
  readonly ref: string
  readonly params: Option.Option<string>
  readonly out: Option.Option<string>
}

export const render = Effect.fn("cli.template.render")(function* ({ workspace, ref, params, out }: RenderInput) {
  const { id, version } = parseRef(ref)
  const files = yield* withStore(
    workspace,
    Effect.gen(function* () {
      const store = yield* TemplateStore
      const engine = yield* TemplateEngine
      const template = yield* store.load(id, version)
      const values = Option.isSome(params) ? yield* readParams(params.value) : template.manifest.example
      return yield* engine.render(template, { issue: { title: template.manifest.name }, ...values })
    })
  )
  // Every rendered path passes the workspace's path rules before anything is written.
  if (Option.isSome(out)) for (const file of files) yield* safePath(file.path)
  for (const file of files) {
    if (Option.isSome(out)) {
      const target = path.join(out.value, yield* safePath(file.path))
      yield* Effect.tryPromise({
        try: async () => {
          await fs.mkdir(path.dirname(target), { recursive: true })
          await fs.writeFile(target, file.content)
        },
        catch: (error) => new FileSystemError({ path: target, operation: "write", cause: String(error) })
      })
      yield* Console.log(`wrote ${visible(target)}`)
    } else {
      yield* Console.log(`${bold(`// ${visible(file.path)}`)}\n${visible(file.content)}`)
    }
  }
})

type AddInput = { readonly workspace: string; readonly dir: string }

export const add = Effect.fn("cli.template.add")(function* ({ workspace, dir }: AddInput) {
  const template = yield* loadFolder(dir)
  const saved = yield* withStore(
    workspace,
    TemplateStore.use((store) => store.save(template))
  )
  yield* Console.log(`saved ${template.id}@${saved.version} (${saved.hash.slice(0, 12)})`)
})

type VersionsInput = { readonly workspace: string; readonly id: string }

export const versions = Effect.fn("cli.template.versions")(function* ({ workspace, id }: VersionsInput) {
  const all = yield* withStore(
    workspace,
    TemplateStore.use((store) => store.versions(id))
  )
  for (const v of all)
    yield* Console.log(`${v.active ? "*" : " "} ${v.version.padEnd(10)} ${v.hash.slice(0, 12)} ${v.savedAt}`)
})

type RollbackInput = { readonly workspace: string; readonly id: string; readonly to: Option.Option<string> }

export const rollback = Effect.fn("cli.template.rollback")(function* ({ workspace, id, to }: RollbackInput) {
  const active = yield* withStore(
    workspace,
    TemplateStore.use((store) => store.rollback(id, Option.getOrUndefined(to)))
  )
  yield* Console.log(`${id} now at ${active.version} (${active.hash.slice(0, 12)})`)
})

type RemoveInput = { readonly workspace: string; readonly id: string }

export const removeTemplate = Effect.fn("cli.template.remove")(function* ({ workspace, id }: RemoveInput) {
  yield* withStore(
    workspace,
    TemplateStore.use((store) => store.delete(id))
  )
  yield* Console.log(`removed ${id}`)
})
