/**
 * The built-in prompts (`templates/prompts/`): the generation prompt templates (`*.njk`), rendered
 * with plain nunjucks, and fixed instructions (`*.md`), read as they are. They are our own trusted
 * files, so the template-pack safety check is not needed; the request's text only ever enters
 * them as data.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { Effect } from "effect"
import nunjucks from "nunjucks"
import { TemplateRenderError } from "../../../core/errors.ts"
import { templatesDir } from "../../../core/PackageRoot.ts"
import type { PromptContext } from "./PromptContext.ts"

const folder = pathToFileURL(path.join(templatesDir, "prompts", path.sep))

export interface PromptText {
  readonly system: string
  readonly user: string
}

const render = (env: nunjucks.Environment, name: string, source: string, context: PromptContext) =>
  Effect.try({
    try: () =>
      env
        .renderString(source, { ...context })
        .replace(/\n{3,}/g, "\n\n")
        .trim(),
    catch: (error) => new TemplateRenderError({ id: "prompts", file: name, cause: String(error) })
  })

const read = (name: string) =>
  Effect.tryPromise({
    try: () => fs.readFile(new URL(name, folder), "utf8"),
    catch: (error) => new TemplateRenderError({ id: "prompts", file: name, cause: String(error) })
  })

/** A fixed prompt (`templates/prompts/<name>`), without its final line break. */
export const loadPromptText = Effect.fn("PromptTemplates.loadText")(function* (name: string) {
  return (yield* read(name)).trimEnd()
})

/** Loads the templates once; the returned function renders a prompt. */
export const loadPromptTemplates = Effect.fn("PromptTemplates.load")(function* () {
  const system = yield* read("system.njk")
  const generate = yield* read("generate.njk")
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false })
  return (context: PromptContext): Effect.Effect<PromptText, TemplateRenderError> =>
    Effect.all({
      system: render(env, "system.njk", system, context),
      user: render(env, "generate.njk", generate, context)
    })
})
