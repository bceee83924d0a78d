/**
 * GeneratorRegistry: generators register the task types they serve; the pipeline resolves one per request.
 */
import { Context, Effect, Layer } from "effect"
import type { CodeGenerationRequest, TaskType } from "../domain/Request.ts"
import type { RenderedFile, Template } from "../domain/Template.ts"
import { GeneratorNotFoundError } from "../errors.ts"
import type { TemplateContext } from "./TemplateEngine.ts"

export interface GeneratorInput {
  readonly runId: string
  readonly request: CodeGenerationRequest
  readonly template: Template
  readonly context: TemplateContext
  /** Reads the workspace as staged so far. */
  readonly read: (path: string) => Effect.Effect<string | undefined>
}

export interface GeneratorOutput {
  readonly files: ReadonlyArray<RenderedFile>
  readonly notes: ReadonlyArray<string>
}

/** A generator: a name, the task types it serves, and its `generate` effect. */
export interface Generator {
  readonly name: string
  readonly taskTypes: ReadonlyArray<TaskType>
  /** Higher wins when several generators serve a request. */
  readonly priority: number
  /**
   * The template this generator renders for a request, when it has its own (a test generator's
   * test template); the pipeline then selects it instead of ranking the store.
   */
  readonly templateFor?: (request: CodeGenerationRequest) => string | undefined
  /** Whether it can serve this request (a model-backed generator says no when no model is configured). */
  readonly supports: (request: CodeGenerationRequest) => boolean
  readonly generate: (
    input: GeneratorInput
  ) => Effect.Effect<GeneratorOutput, { readonly _tag: string; readonly message: string }>
}

export class GeneratorRegistry extends Context.Service<
  GeneratorRegistry,
  {
    readonly register: (generator: Generator) => Effect.Effect<void>
    readonly list: Effect.Effect<ReadonlyArray<Generator>>
    readonly resolve: (request: CodeGenerationRequest) => Effect.Effect<Generator, GeneratorNotFoundError>
  }
>()("@tamma/codegen/services/GeneratorRegistry") {
  static readonly layer = Layer.sync(GeneratorRegistry, () => {
    const generators: Array<Generator> = []
    return GeneratorRegistry.of({
      register: (generator) =>
        Effect.sync(() => {
          const index = generators.findIndex((g) => g.name === generator.name)
          if (index >= 0) generators.splice(index, 1)
          generators.push(generator)
        }),
      list: Effect.sync(() => [...generators]),
      resolve: (request) =>
        Effect.suspend(() => {
          const candidates = generators
            .filter((g) => g.taskTypes.includes(request.taskType) && g.supports(request))
            .sort((a, b) => b.priority - a.priority)
          const chosen = candidates[0]
          return chosen === undefined
            ? Effect.fail(new GeneratorNotFoundError({ taskType: request.taskType }))
            : Effect.succeed(chosen)
        })
    })
  })

  /** A layer that registers `generator` when it is built. */
  static readonly register = <R>(
    make: Effect.Effect<Generator, never, R>
  ): Layer.Layer<never, never, GeneratorRegistry | R> =>
    Layer.effectDiscard(
      Effect.flatMap(make, (generator) => GeneratorRegistry.use((registry) => registry.register(generator)))
    )
}
