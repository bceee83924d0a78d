/**
 * TemplateEngine on nunjucks: parameters validated, every source statically checked before its
 * first render, compiled templates cached by content hash, only our filters and globals exposed.
 */
import { createHash } from "node:crypto"
import { Effect, Layer } from "effect"
import nunjucks from "nunjucks"
import { RenderedFile, type Template } from "../../../core/domain/Template.ts"
import { TemplateInvalidError, TemplateProblem, TemplateRenderError } from "../../../core/errors.ts"
import { type TemplateContext, TemplateEngine } from "../../../core/services/TemplateEngine.ts"
import { filters } from "./Filters.ts"
import { prepareContext, validateContext } from "./Parameters.ts"
import { checkSource } from "./StaticCheck.ts"

const hashOf = (...parts: ReadonlyArray<string>): string => {
  const hash = createHash("sha256")
  for (const part of parts) hash.update(part).update("\0")
  return hash.digest("hex")
}

/** An environment whose loader serves only the given partials, with our filters and no gadget globals. */
const makeEnvironment = (partials: Readonly<Record<string, string>>): nunjucks.Environment => {
  const loader: nunjucks.ILoader = {
    getSource: (name: string) => {
      const src = partials[name]
      if (src === undefined) throw new Error(`unknown partial ${name}`)
      return { src, path: name, noCache: false }
    }
  }
  const env = new nunjucks.Environment(loader, {
    autoescape: false,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true
  })
  for (const [name, filter] of Object.entries(filters))
    env.addFilter(name, filter as (...args: Array<unknown>) => string)
  // The default globals include the classic SSTI gadgets (cycler, joiner); only `range` stays.
  const globals = (env as unknown as { globals: Record<string, unknown> }).globals
  for (const name of Object.keys(globals)) if (name !== "range") delete globals[name]
  return env
}

/** Every problem of a template: its files, their paths, and the partials they reach. */
export const validateTemplate = (template: Template): ReadonlyArray<TemplateProblem> => {
  const declared = new Set(template.manifest.parameters.map((p) => p.name))
  const problems: Array<TemplateProblem> = []
  const used = new Set<string>()
  const pending: Array<[string, string]> = []
  for (const file of template.files) pending.push([file.path, file.path], [file.path, file.source])
  const seenPartials = new Set<string>()
  while (pending.length > 0) {
    const next = pending.shift()
    if (next === undefined) break
    const [name, source] = next
    const result = checkSource(source, declared)
    for (const finding of result.findings) problems.push(new TemplateProblem({ file: name, ...finding }))
    for (const free of result.freeNames) used.add(free)
    for (const ref of result.templateRefs) {
      const partial = template.partials[ref]
      if (partial === undefined) {
        problems.push(new TemplateProblem({ file: name, rule: "unknown-partial", message: `${ref} is not a partial` }))
      } else if (!seenPartials.has(ref)) {
        seenPartials.add(ref)
        pending.push([ref, partial])
      }
    }
  }
  for (const parameter of template.manifest.parameters) {
    if (!used.has(parameter.name)) {
      problems.push(
        new TemplateProblem({
          file: "template.json",
          rule: "unused-parameter",
          message: `${parameter.name} is never used`
        })
      )
    }
  }
  return problems
}

/** Problems that stop a render; an unused parameter is reported by `validate` but renders. */
const blocking = (problem: TemplateProblem) => problem.rule !== "unused-parameter"

export const NunjucksEngine = {
  layer: Layer.sync(TemplateEngine, () => {
    const validated = new Map<string, ReadonlyArray<TemplateProblem>>()
    const compiled = new Map<string, nunjucks.Template>()
    const environments = new Map<string, nunjucks.Environment>()

    const environmentFor = (template: Template) => {
      const key = hashOf(...Object.entries(template.partials).flat())
      let env = environments.get(key)
      if (env === undefined) {
        env = makeEnvironment(template.partials)
        environments.set(key, env)
      }
      return { env, key }
    }

    const compiledFor = (template: Template, source: string, name: string) => {
      const { env, key } = environmentFor(template)
      const cacheKey = hashOf(key, source)
      let entry = compiled.get(cacheKey)
      if (entry === undefined) {
        entry = new nunjucks.Template(source, env, name, true)
        compiled.set(cacheKey, entry)
      }
      return entry
    }

    const ensureValid = (template: Template) =>
      Effect.suspend(() => {
        let problems = validated.get(template.hash)
        if (problems === undefined) {
          problems = validateTemplate(template)
          validated.set(template.hash, problems)
        }
        const errors = problems.filter(blocking)
        return errors.length === 0
          ? Effect.void
          : Effect.fail(new TemplateInvalidError({ id: template.id, problems: errors }))
      })

    const renderOne = (template: Template, source: string, name: string, context: TemplateContext) =>
      Effect.try({
        try: () => compiledFor(template, source, name).render({ ...context }),
        catch: (error) =>
          new TemplateRenderError({
            id: template.id,
            file: name,
            cause: error instanceof Error ? error.message : String(error)
          })
      })

    const render = Effect.fn("TemplateEngine.render")(function* (template: Template, context: TemplateContext) {
      yield* ensureValid(template)
      const prepared = yield* validateContext(prepareContext(context, template), template)
      const out: Array<RenderedFile> = []
      for (const file of template.files) {
        const path = (yield* renderOne(template, file.path, `${file.path}#path`, prepared)).trim()
        const content = yield* renderOne(template, file.source, file.path, prepared)
        // A path that renders empty or as a bare folder is optional output this context does not want.
        if (path.length > 0 && !path.endsWith("/")) out.push(new RenderedFile({ path, content }))
      }
      return out
    })

    const compile = Effect.fn("TemplateEngine.compile")(function* (source: string, name: string) {
      const problems = checkSource(source, new Set())
        .findings.filter((finding) => finding.rule !== "undeclared-variable")
        .map((finding) => new TemplateProblem({ file: name, ...finding }))
      if (problems.length > 0) return yield* new TemplateInvalidError({ id: name, problems })
    })

    return TemplateEngine.of({
      render,
      validate: (template) => Effect.sync(() => validateTemplate(template)),
      compile,
      prepareContext,
      validateContext
    })
  })
}
