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
import { contextValidator, prepareContext, validateContext } from "./Parameters.ts"
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

/** A render error with the file it happened in. */
class RenderFailure extends Error {
  readonly file: string
  constructor(file: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.file = file
  }
}

/** Problems that stop a render; an unused parameter is reported by `validate` but renders. */
const blocking = (problem: TemplateProblem) => problem.rule !== "unused-parameter"

export const NunjucksEngine = {
  layer: Layer.sync(TemplateEngine, () => {
    /**
     * Everything a template needs to render, built once: its problems, its environment, its
     * compiled sources and its parameter validator. Keyed by the template object for the hot
     * path, and by content (files and partials) so equal templates share the work.
     */
    interface Prepared {
      readonly problems: ReadonlyArray<TemplateProblem>
      readonly files: ReadonlyArray<{
        readonly path: nunjucks.Template
        readonly body: nunjucks.Template
        readonly name: string
      }>
      readonly validate: ReturnType<typeof contextValidator>
    }
    const byObject = new WeakMap<Template, Prepared>()
    const byContent = new Map<string, Prepared>()

    const prepare = (template: Template): Prepared => {
      const known = byObject.get(template)
      if (known !== undefined) return known
      const key = hashOf(template.hash, ...Object.entries(template.partials).flat())
      let prepared = byContent.get(key)
      if (prepared === undefined) {
        const problems = validateTemplate(template)
        const env = makeEnvironment(template.partials)
        // Sources with blocking problems are never compiled, let alone rendered.
        const files = problems.some(blocking)
          ? []
          : template.files.map((file) => ({
              name: file.path,
              path: new nunjucks.Template(file.path, env, `${file.path}#path`, true),
              body: new nunjucks.Template(file.source, env, file.path, true)
            }))
        prepared = { problems, files, validate: contextValidator(template) }
        byContent.set(key, prepared)
      }
      byObject.set(template, prepared)
      return prepared
    }

    /** Renders every file in one synchronous pass; the first failure names its file. */
    const renderAll = (template: Template, prepared: Prepared, values: TemplateContext) =>
      Effect.try({
        try: () => {
          const out: Array<RenderedFile> = []
          for (const file of prepared.files) {
            let current = `${file.name}#path`
            try {
              const path = file.path.render(values).trim()
              current = file.name
              const content = file.body.render(values)
              // A path that renders empty or as a bare folder is optional output this context does not want.
              if (path.length > 0 && !path.endsWith("/")) out.push(new RenderedFile({ path, content }))
            } catch (error) {
              throw new RenderFailure(current, error)
            }
          }
          return out
        },
        catch: (error) =>
          error instanceof RenderFailure
            ? new TemplateRenderError({ id: template.id, file: error.file, cause: error.message })
            : new TemplateRenderError({ id: template.id, file: "(render)", cause: String(error) })
      })

    const render = Effect.fn("TemplateEngine.render")(function* (template: Template, context: TemplateContext) {
      const prepared = yield* Effect.try({
        try: () => prepare(template),
        catch: (error) =>
          new TemplateRenderError({
            id: template.id,
            file: "(compile)",
            cause: error instanceof Error ? error.message : String(error)
          })
      })
      const errors = prepared.problems.filter(blocking)
      if (errors.length > 0) return yield* new TemplateInvalidError({ id: template.id, problems: errors })
      const values = yield* prepared.validate(prepareContext(context, template))
      return yield* renderAll(template, prepared, values)
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
