/**
 * TemplateStore: built-in packs (read-only) and custom, versioned ones.
 */
import { Clock, Context, Effect, Layer } from "effect"
import type { TaskType } from "../domain/Request.ts"
import { Template, type TemplateManifest } from "../domain/Template.ts"
import { type FileSystemError, TemplateInvalidError, TemplateNotFoundError, TemplateProblem } from "../errors.ts"
import { TemplateEngine } from "./TemplateEngine.ts"

export interface TemplateFilter {
  readonly language?: string
  readonly category?: TaskType
  readonly framework?: string
}

/** Whether `manifest` passes `filter`; a template without a framework suits every framework. */
export const matchesFilter = (manifest: TemplateManifest, filter: TemplateFilter | undefined): boolean =>
  filter === undefined ||
  ((filter.language === undefined || manifest.language === filter.language) &&
    (filter.category === undefined || manifest.category === filter.category) &&
    (filter.framework === undefined || manifest.framework === undefined || manifest.framework === filter.framework))

/** One stored version of a custom template. */
export interface TemplateVersion {
  readonly version: string
  readonly hash: string
  readonly savedAt: string
  readonly active: boolean
}

export class TemplateStore extends Context.Service<
  TemplateStore,
  {
    readonly load: (
      id: string,
      version?: string
    ) => Effect.Effect<Template, TemplateNotFoundError | TemplateInvalidError | FileSystemError>
    readonly list: (
      filter?: TemplateFilter
    ) => Effect.Effect<
      ReadonlyArray<TemplateManifest & { readonly source: Template["source"] }>,
      TemplateInvalidError | FileSystemError
    >
    readonly save: (template: Template) => Effect.Effect<TemplateVersion, TemplateInvalidError | FileSystemError>
    readonly delete: (id: string) => Effect.Effect<void, TemplateNotFoundError | FileSystemError>
    readonly versions: (id: string) => Effect.Effect<ReadonlyArray<TemplateVersion>, TemplateNotFoundError>
    readonly rollback: (
      id: string,
      toVersion?: string
    ) => Effect.Effect<TemplateVersion, TemplateNotFoundError | FileSystemError>
  }
>()("@tamma/codegen/services/TemplateStore") {
  /**
   * A store in memory: `builtins` are read-only, saved templates are versioned as on disk (a
   * save is a new version, rollback moves the active pointer) and vanish with the layer. Saves
   * are checked by the TemplateEngine when one is provided.
   */
  static readonly layerMemory = (builtins: ReadonlyArray<Template> = []): Layer.Layer<TemplateStore> =>
    Layer.effect(TemplateStore, makeMemory(builtins))
}

interface MemoryEntry {
  active: string
  readonly versions: Array<{ readonly template: Template; readonly savedAt: string }>
}

const readOnly = (id: string) =>
  new TemplateInvalidError({
    id,
    problems: [
      new TemplateProblem({ file: "template.json", rule: "read-only", message: "a built-in template has this id" })
    ]
  })

const makeMemory = Effect.fnUntraced(function* (builtinList: ReadonlyArray<Template>) {
  const engine = yield* Effect.serviceOption(TemplateEngine)
  const builtins = new Map(builtinList.map((template) => [template.id, template]))
  const custom = new Map<string, MemoryEntry>()

  const versionOf = (entry: MemoryEntry, stored: MemoryEntry["versions"][number]): TemplateVersion => ({
    version: stored.template.version,
    hash: stored.template.hash,
    savedAt: stored.savedAt,
    active: stored.template.hash === entry.active
  })

  const activeOf = (entry: MemoryEntry) => entry.versions.find((v) => v.template.hash === entry.active)?.template

  const load = Effect.fn("TemplateStore.memory.load")(function* (id: string, version?: string) {
    const entry = custom.get(id)
    if (entry !== undefined) {
      const stored =
        version === undefined
          ? activeOf(entry)
          : entry.versions.findLast((v) => v.template.version === version)?.template
      if (stored === undefined) return yield* new TemplateNotFoundError({ id, version, reason: "no such version" })
      return stored
    }
    const builtin = builtins.get(id)
    if (builtin === undefined) return yield* new TemplateNotFoundError({ id, version })
    if (version !== undefined && version !== builtin.version) {
      return yield* new TemplateNotFoundError({ id, version, reason: `built-in version is ${builtin.version}` })
    }
    return builtin
  })

  const list = (filter?: TemplateFilter) =>
    Effect.sync(() => {
      const out = new Map<string, TemplateManifest & { readonly source: Template["source"] }>()
      const customs = [...custom.values()].flatMap((entry) => activeOf(entry) ?? [])
      for (const template of [...builtins.values(), ...customs]) {
        if (matchesFilter(template.manifest, filter)) {
          out.set(template.id, { ...template.manifest, source: template.source })
        }
      }
      return [...out.values()].sort((a, b) => a.id.localeCompare(b.id))
    })

  const save = Effect.fn("TemplateStore.memory.save")(function* (template: Template) {
    if (builtins.has(template.id)) return yield* readOnly(template.id)
    if (engine._tag === "Some") {
      const problems = (yield* engine.value.validate(template)).filter((p) => p.rule !== "unused-parameter")
      if (problems.length > 0) return yield* new TemplateInvalidError({ id: template.id, problems })
    }
    const entry = custom.get(template.id) ?? { active: "", versions: [] }
    const same = entry.versions.find((v) => v.template.hash === template.hash)
    if (entry.versions.some((v) => v.template.version === template.version && v.template.hash !== template.hash)) {
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
    const stored = same ?? {
      template: new Template({ ...template, source: "workspace" }),
      savedAt: new Date(yield* Clock.currentTimeMillis).toISOString()
    }
    if (same === undefined) entry.versions.push(stored)
    entry.active = template.hash
    custom.set(template.id, entry)
    return versionOf(entry, stored)
  })

  const versions = Effect.fn("TemplateStore.memory.versions")(function* (id: string) {
    const entry = custom.get(id)
    if (entry !== undefined) return entry.versions.map((stored) => versionOf(entry, stored))
    const builtin = builtins.get(id)
    if (builtin === undefined) return yield* new TemplateNotFoundError({ id })
    return [{ version: builtin.version, hash: builtin.hash, savedAt: "built-in", active: true }]
  })

  const rollback = Effect.fn("TemplateStore.memory.rollback")(function* (id: string, toVersion?: string) {
    const entry = custom.get(id)
    if (entry === undefined) {
      return yield* new TemplateNotFoundError({ id, reason: "only custom templates have versions" })
    }
    const activeAt = entry.versions.findIndex((v) => v.template.hash === entry.active)
    const target =
      toVersion === undefined
        ? entry.versions[activeAt - 1]
        : entry.versions.findLast((v) => v.template.version === toVersion)
    if (target === undefined) {
      return yield* new TemplateNotFoundError({
        id,
        version: toVersion,
        reason: toVersion === undefined ? "no earlier version" : "no such version"
      })
    }
    entry.active = target.template.hash
    return versionOf(entry, target)
  })

  const remove = Effect.fn("TemplateStore.memory.delete")(function* (id: string) {
    if (!custom.delete(id)) {
      return yield* new TemplateNotFoundError({ id, reason: "only custom templates can be removed" })
    }
  })

  return TemplateStore.of({ load, list, save, delete: remove, versions, rollback })
})
