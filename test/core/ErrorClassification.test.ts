import { Exit } from "effect"
import { describe, expect, it } from "vitest"
import { exitCodeOf } from "../../cli/CliErrors.ts"
import { ProviderName } from "../../core/domain/ProviderName.ts"
import {
  AIProviderError,
  badInputTags,
  GitError,
  isBadInput,
  TemplateNotFoundError,
  UnsafePathError,
  WorkspaceLockedError
} from "../../core/errors.ts"

describe("BadInput", () => {
  it("classifies the errors themselves, not their names", () => {
    expect(isBadInput(new TemplateNotFoundError({ id: "x" }))).toBe(true)
    expect(isBadInput(new UnsafePathError({ path: "../x", rule: "outside-workspace" }))).toBe(true)
    expect(isBadInput(new WorkspaceLockedError({ path: "/w" }))).toBe(true)
    expect(isBadInput(new GitError({ operation: "commit", detail: "x" }))).toBe(false)
    // Data that only looks like one is not one.
    expect(isBadInput({ _tag: "TemplateNotFoundError", id: "x" })).toBe(false)
  })

  it("its tags name every member, for errors that are data", () => {
    expect([...badInputTags].sort()).toEqual(
      [
        "ConfigInvalidError",
        "FileExistsError",
        "LanguageNotSupportedError",
        "ParameterInvalidError",
        "RequestInvalidError",
        "TemplateInvalidError",
        "TemplateNotFoundError",
        "UnsafePathError",
        "WorkspaceError",
        "WorkspaceLockedError"
      ].sort()
    )
  })

  it("is exit 2 in the CLI, other failures exit 1", () => {
    expect(exitCodeOf(Exit.fail(new TemplateNotFoundError({ id: "x" })))).toBe(2)
    expect(exitCodeOf(Exit.fail(new GitError({ operation: "commit", detail: "x" })))).toBe(1)
  })
})

describe("AIProviderError.isRetryable", () => {
  const error = (reason: AIProviderError["reason"]) => new AIProviderError({ provider: "p", reason, detail: "" })
  it("holds for transient reasons only", () => {
    for (const reason of ["rate-limit", "overloaded", "timeout", "unavailable", "server", "truncated"] as const) {
      expect(error(reason).isRetryable).toBe(true)
    }
    for (const reason of ["auth", "bad-request", "context-too-long", "answer-too-large", "unknown"] as const) {
      expect(error(reason).isRetryable).toBe(false)
    }
  })
})

describe("ProviderName", () => {
  it("is the one list of providers", () => {
    expect(ProviderName.literals).toEqual(["none", "anthropic", "openai", "openai-compatible"])
  })
})
