/**
 * TemplateStore over folders: the built-in packs (read-only) and a versioned store of custom
 * templates under `<workspace>/.tamma/templates/`. Every save is a content-addressed version;
 * rollback moves the active pointer and never deletes history.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Clock, Effect, Layer, Schema } from "effect"
import { Template, type TemplateManifest } from "../../../core/domain/Template.ts"
import { FileSystemError, TemplateInvalidError, TemplateNotFoundError, TemplateProblem } from "../../../core/errors.ts"
import { templatesDir } from "../../../core/PackageRoot.ts"
import { TemplateEngine } from "../../../core/services/TemplateEngine.ts"
import {
  matchesFilter,
  type TemplateFilter,
  TemplateStore,
  type TemplateVersion
} from "../../../core/services/TemplateStore.ts"
import { cachedPacks } from "./PackCache.ts"
import { exists, fsError, listFiles, loadPackFolder, loadPartials, readText } from "./PackFolder.ts"

/** The built-in template library shipped with the package. */
export const builtinTemplatesDir = templatesDir

const VersionEntry = Schema.Struct({ version: Schema.String, hash: Schema.String, savedAt: Schema.String })
const StoreIndex = Schema.Struct({ active: Schema.String, versions: Schema.Array(VersionEntry) })
type StoreIndex = typeof StoreIndex.Type
const decodeIndex = Schema.decodeUnknownEffect(Schema.fromJsonString(StoreIndex))
const TemplateJson = Schema.fromJsonString(Template)
const decodeTemplate = Schema.decodeUnknownEffect(TemplateJson)
const encodeTemplate = Schema.encodeEffect(TemplateJson)

export interface FileTemplateStoreOptions {
  /** Built-in packs; defaults to the package's `templates/`. */
  readonly builtinDir?: string
  /** The workspace whose `.tamma/templates/` holds custom templates. */
  readonly workspace?: string
  /**
   * More packs laid out as the built-in ones (`<language>/<category>/<name>/template.json`), a
   * team's shared templates: searched after the workspace's, and a template here replaces a
   * built-in one of the same id.
   */
  readonly packDirs?: ReadonlyArray<string>
}

/** The templates of the packs under `dir`, by id. */
const readPacks = Effect.fnUntraced(function* (dir: string, source: "builtin" | "user") {
  const manifests = (yield* listFiles(dir)).filter(
    (file) => file.endsWith("/template.json") && !file.includes("_partials/")
  )
  const languages = [...new Set(manifests.map((file) => file.split("/")[0] ?? ""))]
  const partials = new Map(
    yield* Effect.forEach(
      languages,
      (language) => Effect.map(loadPartials(dir, language), (loaded) => [language, loaded] as const),
      { concurrency: "unbounded" }
    )
  )
  const templates = yield* Effect.forEach(
    manifests,
    (manifestPath) => {
      const folder = path.join(dir, path.dirname(manifestPath))
      const loaded = loadPackFolder(folder, source, partials.get(manifestPath.split("/")[0] ?? "") ?? {})
      // A broken built-in is a defect of the package; a broken shared pack is the user's to fix.
      return source === "builtin" ? Effect.orDie(loaded) : loaded
    },
    { concurrency: 16 }
  )
  return new Map(templates.map((template) => [template.id, template]))
})

/**
 * Reads the built-in packs into the process's copy ahead of the first store that needs them: a
 * long-lived process (an evaluation, a worker) reads them before its first run, not during it.
 */
export const preloadBuiltinPacks = (builtinDir: string = builtinTemplatesDir) =>
  Effect.asVoid(cachedPacks(builtinDir, readPacks(builtinDir, "builtin")))

export const FileTemplateStore = {
  layer: (options: FileTemplateStoreOptions = {}) =>
    Layer.effect(
      TemplateStore,
      Effect.gen(function* () {
        const engine = yield* TemplateEngine
        const builtinDir = options.builtinDir ?? builtinTemplatesDir
        const customDir =
          options.workspace === undefined ? undefined : path.join(options.workspace, ".tamma", "templates")
        let builtins: Map<string, Template> | undefined

        const loadBuiltins = Effect.gen(function* () {
          if (builtins !== undefined) return builtins
          // The package's packs are the same for every workspace: read once per process. A
          // team's packs come from the workspace's config, so each store reads its own.
          const found = new Map(yield* cachedPacks(builtinDir, readPacks(builtinDir, "builtin")))
          for (const dir of options.packDirs ?? []) {
            for (const template of (yield* readPacks(dir, "user")).values()) found.set(template.id, template)
          }
          builtins = found
          return found
        })

        const folderOf = (id: string) =>
          customDir === undefined ? undefined : path.join(customDir, id.replaceAll("/", "__"))

        const readIndex = (id: string) =>
          Effect.gen(function* () {
            const folder = folderOf(id)
            if (folder === undefined || !(yield* exists(path.join(folder, "index.json")))) return undefined
            const text = yield* readText(path.join(folder, "index.json"))
            return yield* decodeIndex(text).pipe(Effect.mapError(fsError(folder, "decode index of")))
          })

        const writeIndex = (id: string, index: StoreIndex) =>
          Effect.gen(function* () {
            const folder = folderOf(id)
            if (folder === undefined) return
            const target = path.join(folder, "index.json")
            yield* Effect.tryPromise({
              try: async () => {
                await fs.writeFile(`${target}.tmp`, `${JSON.stringify(index, null, 2)}\n`)
                await fs.rename(`${target}.tmp`, target)
              },
              catch: fsError(target, "write")
            })
          })

        const readVersion = (id: string, hash: string) =>
          Effect.gen(function* () {
            const folder = folderOf(id) ?? ""
            const text = yield* readText(path.join(folder, "versions", `${hash}.json`))
            return yield* decodeTemplate(text).pipe(Effect.mapError(fsError(folder, "decode version of")))
          })

        const toVersion =
          (index: StoreIndex) =>
          (entry: StoreIndex["versions"][number]): TemplateVersion => ({
            ...entry,
            active: entry.hash === index.active
          })

        const customIds = Effect.gen(function* () {
          if (customDir === undefined || !(yield* exists(customDir))) return []
          const entries = yield* Effect.tryPromise({
            try: () => fs.readdir(customDir),
            catch: fsError(customDir, "list")
          })
          return entries.map((entry) => entry.replaceAll("__", "/"))
        })

        const load = Effect.fn("TemplateStore.load")(function* (id: string, version?: string) {
          const index = yield* readIndex(id)
          if (index !== undefined) {
            const entry =
              version === undefined
                ? index.versions.find((v) => v.hash === index.active)
                : index.versions.findLast((v) => v.version === version)
            if (entry === undefined) return yield* new TemplateNotFoundError({ id, version, reason: "no such version" })
            return yield* readVersion(id, entry.hash)
          }
          const builtin = (yield* loadBuiltins).get(id)
          if (builtin === undefined) return yield* new TemplateNotFoundError({ id, version })
          if (version !== undefined && version !== builtin.version) {
            return yield* new TemplateNotFoundError({ id, version, reason: `built-in version is ${builtin.version}` })
          }
          return builtin
        })

        const list = Effect.fn("TemplateStore.list")(function* (filter?: TemplateFilter) {
          const out = new Map<string, TemplateManifest & { readonly source: Template["source"] }>()
          for (const template of (yield* loadBuiltins).values()) {
            if (matchesFilter(template.manifest, filter))
              out.set(template.id, { ...template.manifest, source: template.source })
          }
          for (const id of yield* customIds) {
            const template = yield* load(id).pipe(Effect.orElseSucceed(() => undefined))
            if (template !== undefined && matchesFilter(template.manifest, filter)) {
              out.set(id, { ...template.manifest, source: template.source })
            }
          }
          return [...out.values()].sort((a, b) => a.id.localeCompare(b.id))
        })

        const save = Effect.fn("TemplateStore.save")(function* (template: Template) {
          const folder = folderOf(template.id)
          if (folder === undefined) {
            return yield* new FileSystemError({
              path: "",
              operation: "save template",
              cause: "no workspace configured"
            })
          }
          if ((yield* loadBuiltins).has(template.id)) {
            return yield* new TemplateInvalidError({
              id: template.id,
              problems: [
                new TemplateProblem({
                  file: "template.json",
                  rule: "read-only",
                  message: "a built-in template has this id"
                })
              ]
            })
          }
          const problems = (yield* engine.validate(template)).filter((p) => p.rule !== "unused-parameter")
          if (problems.length > 0) return yield* new TemplateInvalidError({ id: template.id, problems })
          const index = (yield* readIndex(template.id)) ?? { active: "", versions: [] }
          const same = index.versions.find((v) => v.hash === template.hash)
          const clash = index.versions.find((v) => v.version === template.version && v.hash !== template.hash)
          if (clash !== undefined) {
            return yield* new TemplateInvalidError({
              id: template.id,
              problems: [
                new TemplateProblem({
                  file: "template.json",
                  rule: "version-exists",
                  message: `version ${template.version} is already stored with other content; bump the version`
                })
              ]
            })
          }
          const savedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
          const stored = new Template({ ...template, source: "workspace" })
          if (same === undefined) {
            const text = yield* encodeTemplate(stored).pipe(Effect.mapError(fsError(folder, "encode template for")))
            const target = path.join(folder, "versions", `${template.hash}.json`)
            yield* Effect.tryPromise({
              try: async () => {
                await fs.mkdir(path.dirname(target), { recursive: true })
                await fs.writeFile(target, text)
              },
              catch: fsError(target, "write")
            })
          }
          const versions =
            same === undefined
              ? [...index.versions, { version: template.version, hash: template.hash, savedAt }]
              : index.versions
          const next = { active: template.hash, versions }
          yield* writeIndex(template.id, next)
          return toVersion(next)(same ?? { version: template.version, hash: template.hash, savedAt })
        })

        const versions = Effect.fn("TemplateStore.versions")(function* (id: string) {
          const index = yield* readIndex(id).pipe(Effect.orElseSucceed(() => undefined))
          if (index !== undefined) return index.versions.map(toVersion(index))
          const builtin = (yield* loadBuiltins.pipe(Effect.orElseSucceed(() => new Map<string, Template>()))).get(id)
          if (builtin === undefined) return yield* new TemplateNotFoundError({ id })
          return [{ version: builtin.version, hash: builtin.hash, savedAt: "built-in", active: true }]
        })

        const rollback = Effect.fn("TemplateStore.rollback")(function* (id: string, toVersion?: string) {
          const index = yield* readIndex(id)
          if (index === undefined)
            return yield* new TemplateNotFoundError({ id, reason: "only custom templates have versions" })
          const activeAt = index.versions.findIndex((v) => v.hash === index.active)
          const target =
            toVersion === undefined
              ? index.versions[activeAt - 1]
              : index.versions.findLast((v) => v.version === toVersion)
          if (target === undefined) {
            return yield* new TemplateNotFoundError({
              id,
              version: toVersion,
              reason: toVersion === undefined ? "no earlier version" : "no such version"
            })
          }
          const next = { ...index, active: target.hash }
          yield* writeIndex(id, next)
          return { ...target, active: true }
        })

        const remove = Effect.fn("TemplateStore.delete")(function* (id: string) {
          const folder = folderOf(id)
          if (folder === undefined || !(yield* exists(folder))) {
            return yield* new TemplateNotFoundError({ id, reason: "only custom templates can be removed" })
          }
          yield* Effect.tryPromise({ try: () => fs.rm(folder, { recursive: true }), catch: fsError(folder, "remove") })
        })

        return TemplateStore.of({ load, list, save, delete: remove, versions, rollback })
      })
    )
}
