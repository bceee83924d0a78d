import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import { Template, TemplateManifest } from "../../../core/domain/Template.ts"
import { TemplateEngine } from "../../../core/services/TemplateEngine.ts"
import {
  camel,
  comment,
  constant,
  indent,
  kebab,
  pascal,
  pluralise,
  snake
} from "../../../plugins/templates/nunjucks/Filters.ts"
import { NunjucksEngine } from "../../../plugins/templates/nunjucks/NunjucksEngine.ts"

const manifest = (parameters: ReadonlyArray<Record<string, unknown>> = []) =>
  Schema.decodeUnknownSync(TemplateManifest)({
    id: "test/inline",
    name: "inline",
    language: "typescript",
    category: "implementation",
    version: "1.0.0",
    parameters
  })

const inline = (
  source: string,
  parameters: ReadonlyArray<Record<string, unknown>> = [],
  partials: Record<string, string> = {},
  path = "out.txt"
) =>
  new Template({
    manifest: manifest(parameters),
    files: [{ path, source }],
    partials,
    source: "workspace",
    hash: `${path}:${source}:${JSON.stringify(parameters)}:${JSON.stringify(partials)}`
  })

const render = (template: Template, context: Record<string, unknown> = {}) =>
  TemplateEngine.use((engine) => engine.render(template, context)).pipe(Effect.provide(NunjucksEngine.layer))

describe("filters", () => {
  it("convert cases", () => {
    expect(camel("user profile-id")).toBe("userProfileId")
    expect(pascal("userProfile")).toBe("UserProfile")
    expect(kebab("UserProfileID")).toBe("user-profile-id")
    expect(snake("HTTPServer config")).toBe("http_server_config")
    expect(constant("maxRetries")).toBe("MAX_RETRIES")
  })

  it("pluralise English words", () => {
    expect(pluralise("user")).toBe("users")
    expect(pluralise("category")).toBe("categories")
    expect(pluralise("box")).toBe("boxes")
    expect(pluralise("person")).toBe("people")
    expect(pluralise("day")).toBe("days")
  })

  it("indent and comment", () => {
    expect(indent("a\nb\n\nc", 2)).toBe("a\n  b\n\n  c")
    expect(indent("a\nb", 4, true)).toBe("    a\n    b")
    expect(comment("one\ntwo", "python")).toBe("# one\n# two")
    expect(comment("x", "go")).toBe("// x")
  })
})

describe("NunjucksEngine.render", () => {
  it.effect("renders file names and contents with parameters, defaults and partials", () =>
    Effect.gen(function* () {
      const template = inline(
        '{% import "m.njk" as m %}{{ m.greet(name) }} x{{ count }}',
        [
          { name: "name", type: "string", required: true },
          { name: "count", type: "number", default: 3 }
        ],
        { "m.njk": "{% macro greet(who) %}Hello {{ who | pascal }}{% endmacro %}" },
        "src/{{ name | kebab }}.txt"
      )
      const files = yield* render(template, { name: "big world" })
      expect(files).toHaveLength(1)
      expect(files[0]?.path).toBe("src/big-world.txt")
      expect(files[0]?.content).toBe("Hello BigWorld x3")
    })
  )

  it.effect("lists every parameter violation at once", () =>
    Effect.gen(function* () {
      const template = inline("{{ name }}{{ size }}{{ mode }}", [
        { name: "name", type: "string", required: true, validation: { pattern: "^[a-z]+$" } },
        { name: "size", type: "number", validation: { min: 1, max: 5 } },
        { name: "mode", type: "string", validation: { enum: ["a", "b"] } }
      ])
      const exit = yield* Effect.exit(render(template, { name: "Bad Name", size: 9, mode: "c" }))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      const failure = error?._tag === "Fail" ? error.error : undefined
      expect(failure?._tag).toBe("ParameterInvalidError")
      const problems = failure?._tag === "ParameterInvalidError" ? failure.problems.map((p) => p.parameter) : []
      expect(problems).toEqual(["name", "size", "mode"])
    })
  )

  it.effect("reports a syntax error with its line and column", () =>
    Effect.gen(function* () {
      const engine = yield* TemplateEngine
      const problems = yield* engine.validate(inline("line one\n{% if x %}\nno end"))
      const syntax = problems.find((p) => p.rule === "syntax")
      expect(syntax?.line).toBe(3)
    }).pipe(Effect.provide(NunjucksEngine.layer))
  )

  it.effect("reports undeclared variables and unused parameters", () =>
    Effect.gen(function* () {
      const engine = yield* TemplateEngine
      const problems = yield* engine.validate(
        inline("{{ missing }} {{ issue.title }}", [{ name: "unused", type: "string" }])
      )
      expect(problems.map((p) => p.rule).sort()).toEqual(["undeclared-variable", "unused-parameter"])
    }).pipe(Effect.provide(NunjucksEngine.layer))
  )
})

/** Known nunjucks SSTI payloads; each would set globalThis.__tammaPwned if it ran. */
const payloads: ReadonlyArray<readonly [string, string]> = [
  ["range.constructor", `{{ range.constructor("globalThis.__tammaPwned = 1")() }}`],
  ["cycler.constructor", `{{ cycler.constructor("globalThis.__tammaPwned = 1")() }}`],
  ["joiner.constructor", `{{ joiner.constructor("globalThis.__tammaPwned = 1")() }}`],
  ["lipsum globals", `{{ lipsum.__globals__.os }}`],
  ["bracket constructor", `{{ range['constructor']("globalThis.__tammaPwned = 1")() }}`],
  ["concatenated key", `{{ range['constr' + 'uctor']("globalThis.__tammaPwned = 1")() }}`],
  ["tilde concatenated key", `{{ range['constr' ~ 'uctor']("globalThis.__tammaPwned = 1")() }}`],
  ["attr filter", `{{ (range | attr('constructor'))("globalThis.__tammaPwned = 1")() }}`],
  ["literal constructor", `{{ ''.constructor.constructor("globalThis.__tammaPwned = 1")() }}`],
  ["method on a literal", `{{ 'abc'.toUpperCase() }}`],
  ["process", `{{ process.mainModule.require('child_process').execSync('id') }}`],
  ["require", `{{ require('fs') }}`],
  ["__proto__", `{% set x = {} %}{{ x.__proto__ }}`],
  ["prototype", `{{ range.prototype }}`],
  ["globalThis", `{{ globalThis.__tammaPwned }}`],
  ["Function", `{{ Function("globalThis.__tammaPwned = 1")() }}`],
  ["eval", `{{ eval("globalThis.__tammaPwned = 1") }}`],
  ["set alias", `{% set c = range.constructor %}{{ c("globalThis.__tammaPwned = 1")() }}`],
  ["dynamic include", `{% include name %}`],
  ["call on context value", `{{ issue.title.valueOf() }}`]
]

describe("injection guard", () => {
  it.effect.each(payloads)("refuses %s and runs nothing", ([, payload]) =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        render(inline(payload, [{ name: "name", type: "string" }]), { name: "x", issue: { title: "t" } })
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const reason = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      expect(reason?._tag === "Fail" ? reason.error._tag : "none").toBe("TemplateInvalidError")
      expect((globalThis as Record<string, unknown>).__tammaPwned).toBeUndefined()
    })
  )

  it("the range payload would run without the guard (the test is not vacuous)", async () => {
    const nunjucks = (await import("nunjucks")).default
    const out = nunjucks.renderString(`{{ range.constructor("return 40 + 2")() }}`, {})
    expect(out).toBe("42")
  })
})

describe("what the guard allows", () => {
  it.effect("nunjucks tests, locals named like methods, and tab indentation", () =>
    Effect.gen(function* () {
      const template = inline(
        '{% set call = "c" %}{% if items is string %}s{% elif items | length is divisibleby(2) %}even{% endif %}:{{ call }}:{{ "a\\nb" | indent("\\t") }}',
        [{ name: "items", type: "array" }]
      )
      const files = yield* render(template, { items: [1, 2] })
      expect(files[0]?.content).toBe("even:c:a\n\tb")
    })
  )

  it.effect("refuses an unknown test", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        render(inline("{% if x is constructor %}y{% endif %}", [{ name: "x", type: "string" }]), { x: "1" })
      )
      expect(Exit.isFailure(exit)).toBe(true)
    })
  )
})
