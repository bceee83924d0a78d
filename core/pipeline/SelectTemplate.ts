/**
 * The pipeline's template stage: the template a request names, or else the best of the store's
 * templates for its task type and language as `rankTemplates` orders them, with the runners-up.
 */
import { Effect, Option } from "effect"
import type { CodeGenerationRequest } from "../domain/Request.ts"
import type { TemplateCandidate } from "../domain/Result.ts"
import type { Template } from "../domain/Template.ts"
import { TemplateNotFoundError } from "../errors.ts"
import { LanguageRegistry } from "../services/LanguageRegistry.ts"
import { TemplateStore } from "../services/TemplateStore.ts"
import { rankTemplates } from "./TemplateSelection.ts"

/** A template reference, `id` or `id@version`. */
const parseRef = (ref: string): { readonly id: string; readonly version: string | undefined } => {
  const at = ref.indexOf("@")
  return at < 0 ? { id: ref, version: undefined } : { id: ref.slice(0, at), version: ref.slice(at + 1) }
}

/** Loads the template `ref` (`id` or `id@version`) from the store. */
export const loadTemplate = Effect.fn("CodeGenerator.loadTemplate")(function* (ref: string) {
  const { id, version } = parseRef(ref)
  return yield* (yield* TemplateStore).load(id, version)
})

/** The store's templates for the request's task type and language, best first. */
export const rankCandidates = Effect.fn("CodeGenerator.rankCandidates")(function* (request: CodeGenerationRequest) {
  const pack = yield* (yield* LanguageRegistry).get(request.language).pipe(Effect.option)
  const language = Option.match(pack, { onNone: () => request.language, onSome: (p) => p.id })
  const manifests = yield* (yield* TemplateStore).list({ category: request.taskType, language })
  return rankTemplates(request, manifests)
})

/** The template a run uses, and up to three runners-up when it was chosen by rank. */
export const selectTemplate = Effect.fn("CodeGenerator.selectTemplate")(function* (request: CodeGenerationRequest) {
  if (request.template !== undefined) {
    const template: Template = yield* loadTemplate(request.template)
    const alternatives: ReadonlyArray<TemplateCandidate> = []
    return { template, alternatives }
  }
  const ranked = yield* rankCandidates(request)
  const best = ranked[0]
  if (best === undefined) {
    return yield* new TemplateNotFoundError({
      id: `${request.language}/${request.taskType}`,
      reason: `no template for task type ${request.taskType} in language ${request.language}`
    })
  }
  const template: Template = yield* (yield* TemplateStore).load(best.id)
  return { template, alternatives: ranked.slice(1, 4) }
})
