/**
 * Rendering a 20-file template pack through our engine (parameters validated, static guard,
 * compiled templates cached) against rendering the same sources with nunjucks directly.
 */
import { Effect } from "effect"
import nunjucks from "nunjucks"
import { Template, TemplateFile, TemplateManifest } from "../core/domain/Template.ts"
import { TemplateEngine } from "../core/services/TemplateEngine.ts"
import { filters } from "../plugins/templates/nunjucks/Filters.ts"
import { NunjucksEngine } from "../plugins/templates/nunjucks/NunjucksEngine.ts"
import { type Bench, compare } from "./Timing.ts"

const source = (index: number) => `/**
 * {{ description }} ({{ ${index} }})
 */
{% for fn in functions %}
export function {{ fn.name | camel }}{{ ${index} }}({% for p in fn.params %}{{ p.name }}: {{ p.type }}{% if not loop.last %}, {% endif %}{% endfor %}): {{ fn.returns }} {
{{ fn.body | indent(2, true) }}
}
{% endfor %}
`

const files = Array.from(
  { length: 20 },
  (_, i) => new TemplateFile({ path: `src/{{ name | kebab }}-${i}.ts`, source: source(i) })
)
const manifest = new TemplateManifest({
  id: "bench/pack",
  name: "bench",
  description: "",
  language: "typescript",
  category: "implementation",
  tags: [],
  version: "1.0.0",
  parameters: [
    { name: "name", type: "string", required: true, description: "" },
    { name: "description", type: "string", required: false, description: "" },
    { name: "functions", type: "array", required: true, description: "" }
  ],
  dependencies: [],
  example: {},
  metadata: {}
})
const template = new Template({ manifest, files, partials: {}, source: "workspace", hash: "bench" })
const context = {
  name: "Bench Module",
  description: "Generated for the benchmark.",
  functions: Array.from({ length: 10 }, (_, i) => ({
    name: `compute value ${i}`,
    params: [
      { name: "a", type: "number" },
      { name: "b", type: "number" }
    ],
    returns: "number",
    body: `const sum = a + b\nreturn sum * ${i}`
  }))
}

const bench: Bench = async () => {
  const engine = await Effect.runPromise(TemplateEngine.use(Effect.succeed).pipe(Effect.provide(NunjucksEngine.layer)))
  const env = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true, lstripBlocks: true })
  // The same filters, so the ratio measures the engine's own cost: validation, guard, caching.
  for (const [name, filter] of Object.entries(filters))
    env.addFilter(name, filter as (...args: Array<unknown>) => string)
  const compiled = files.map((file) => ({
    path: new nunjucks.Template(file.path, env, file.path, true),
    body: new nunjucks.Template(file.source, env, file.path, true)
  }))
  const warm = await compare(
    () => Effect.runSync(engine.render(template, context)),
    () => compiled.map((file) => [file.path.render(context), file.body.render(context)]),
    300
  )
  // Cold: a template seen for the first time (ours validates and compiles it; nunjucks compiles it).
  let round = 0
  const cold = await compare(
    () => {
      round += 1
      const fresh = new Template({ ...template, hash: `cold-${round}` })
      return Effect.runSync(engine.render(fresh, context))
    },
    () =>
      files.map((file) => [
        new nunjucks.Template(file.path, env, file.path, true).render(context),
        new nunjucks.Template(file.source, env, file.path, true).render(context)
      ]),
    30
  )
  return [
    { name: "render a 20-file pack (warm)", ...warm, target: 1.2 },
    { name: "render a 20-file pack (first time)", ...cold, note: "ours includes the static guard" }
  ]
}

export default bench
