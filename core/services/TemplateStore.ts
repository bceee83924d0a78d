/**
 * TemplateStore: built-in packs (read-only) and custom, versioned ones.
 */
import { Context, type Effect } from "effect"
import type { TaskType } from "../domain/Request.ts"
import type { Template, TemplateManifest } from "../domain/Template.ts"
import type { FileSystemError, TemplateInvalidError, TemplateNotFoundError } from "../errors.ts"

export interface TemplateFilter {
  readonly language?: string
  readonly category?: TaskType
  readonly framework?: string
}

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
>()("@tamma/codegen/services/TemplateStore") {}
