/**
 * GeneratorRegistry: generators register the task types they serve; the pipeline resolves one per request.
 */
import { Context, Effect, Layer } from "effect"
import type { CodeGenerationRequest, TaskType } from "../domain/Request.ts"
import type { RenderedFile, Template } from "../domain/Template.ts"
import {
  type AIProviderError,
  type ExtractionError,
  type FileExistsError,
  type FileSystemError,
  GeneratorFailedError,
  GeneratorNotFoundError,
  type ParameterInvalidError,
  type TemplateInvalidError,
  type TemplateNotFoundError,
  type TemplateRenderError,
  type UnsafeAnswerError,
  type UnsafePathError
} from "../errors.ts"
import type { LanguagePack } from "./LanguageRegistry.ts"
import type { TemplateContext } from "./TemplateEngine.ts"

/**
 * What a generator may fail with: the core errors of rendering and of a model's answer, or
 * `GeneratorFailedError` carrying a plugin's own error.
 */
export type GeneratorError =
  | GeneratorFailedError
  | AIProviderError
  | ExtractionError
  | UnsafeAnswerError
  | TemplateRenderError
  | ParameterInvalidError
  | FileExistsError
  | TemplateNotFoundError
  | TemplateInvalidError
  | UnsafePathError
  | FileSystemError

/** Fails with a plugin's own error as the core's `GeneratorFailedError`, keeping it as the cause. */
export const failAsGenerator =
  (generator: string) =>
  (error: { readonly message: string }): Effect.Effect<never, GeneratorFailedError> =>
    Effect.fail(new GeneratorFailedError({ generator, reason: error.message, cause: error }))

export interface GeneratorInput {
  readonly runId: string
  /**
   * What the next generator serving this request produces (the test generator's tests, a
   * template's files), for a generator that refines another's output rather than rendering
   * the template itself.
   */
  readonly base?: Effect.Effect<GeneratorOutput, GeneratorError>
  readonly request: CodeGenerationRequest
  readonly template: Template
  readonly context: TemplateContext
  /** Reads the workspace as staged so far. */
  readonly read: (path: string) => Effect.Effect<string | undefined>
  /**
   * Fails when a workspace symlink leads `path` out of the workspace (or into `.git`/`.tamma`).
   * A generator that pays a model calls it on every path it knows before its first call: staging
   * would refuse such a path anyway, once the calls were paid. Absent: nothing to check against.
   */
  readonly refuseLinkOut?: (path: string) => Effect.Effect<void, UnsafePathError>
}

/** An edit of an answer that did not apply, or a file the answer was asked for and did not give. */
export interface EditFailure {
  readonly path: string
  /** The SEARCH text or hunk that did not apply; empty for a missing file. */
  readonly block: string
  /** The closest region of the file, `startLine-endLine: text`, when one was found. */
  readonly closest?: string | undefined
  /** What went wrong, as it is told to the model. */
  readonly message: string
}

export interface GeneratorOutput {
  readonly files: ReadonlyArray<RenderedFile>
  readonly notes: ReadonlyArray<string>
  /** Edits that did not apply and files that are missing: the change is not whole while any remain. */
  readonly failures?: ReadonlyArray<EditFailure>
}

/** What a repair round gives a generator: the change as it stands and everything that fails. */
export interface RepairInput {
  readonly runId: string
  readonly request: CodeGenerationRequest
  /** The current content of the change's files. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>
  /** Every failure, one entry each: failed edits, compiler errors, gate violations, failing tests. */
  readonly failures: ReadonlyArray<string>
  /** Reads the workspace as it is on disk. */
  readonly read: (path: string) => Effect.Effect<string | undefined>
}

/** A generator: a name, the task types it serves, and its `generate` effect. */
export interface Generator {
  readonly name: string
  readonly taskTypes: ReadonlyArray<TaskType>
  /** Higher wins when several generators serve a request. */
  readonly priority: number
  /**
   * The template this generator renders for a request, when it has its own (a test generator's
   * test template, as the language's pack names it); the pipeline then selects it instead of
   * ranking the store. `pack` is the request's language pack, looked up once by the pipeline.
   */
  readonly templateFor?: (request: CodeGenerationRequest, pack: LanguagePack) => string | undefined
  /** Whether it can serve this request (a model-backed generator says no when no model is configured). */
  readonly supports: (request: CodeGenerationRequest) => boolean
  readonly generate: (input: GeneratorInput) => Effect.Effect<GeneratorOutput, GeneratorError>
  /**
   * Answers a repair round with the files it changes (whole, or with edits applied to the
   * current content). A generator without it gets no repair: its first output is final.
   */
  readonly repair?: (input: RepairInput) => Effect.Effect<GeneratorOutput, GeneratorError>
  /**
   * The system prompt a model reviews this generator's change with before it is applied; a
   * generator without it (or without `repair`) gets no review.
   */
  readonly reviewInstructions?: string
  /** Whether it refines the output of the next generator serving the request (given as `base`). */
  readonly refines?: boolean
}

export class GeneratorRegistry extends Context.Service<
  GeneratorRegistry,
  {
    readonly register: (generator: Generator) => Effect.Effect<void>
    readonly list: Effect.Effect<ReadonlyArray<Generator>>
    readonly resolve: (request: CodeGenerationRequest) => Effect.Effect<Generator, GeneratorNotFoundError>
    /** Every generator serving the request, best first (never empty). */
    readonly resolveAll: (
      request: CodeGenerationRequest
    ) => Effect.Effect<readonly [Generator, ...Array<Generator>], GeneratorNotFoundError>
  }
>()("@tamma/codegen/services/GeneratorRegistry") {
  static readonly layer = Layer.sync(GeneratorRegistry, () => {
    const generators: Array<Generator> = []
    const resolveAll = (request: CodeGenerationRequest) =>
      Effect.suspend(() => {
        const candidates = generators
          .filter((g) => g.taskTypes.includes(request.taskType) && g.supports(request))
          .sort((a, b) => b.priority - a.priority)
        const [first, ...rest] = candidates
        return first === undefined
          ? Effect.fail(new GeneratorNotFoundError({ taskType: request.taskType }))
          : Effect.succeed([first, ...rest] as const)
      })
    return GeneratorRegistry.of({
      register: (generator) =>
        Effect.sync(() => {
          const index = generators.findIndex((g) => g.name === generator.name)
          if (index >= 0) generators.splice(index, 1)
          generators.push(generator)
        }),
      list: Effect.sync(() => [...generators]),
      resolve: (request) => Effect.map(resolveAll(request), ([first]) => first),
      resolveAll
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
