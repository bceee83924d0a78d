/**
 * Unified diffs of staged changes.
 */
import { createTwoFilesPatch } from "diff"
import type { StagedChange } from "../services/FileManager.ts"

/** A git-style unified diff of one change (`/dev/null` for created or deleted files). */
export const unifiedDiff = (change: StagedChange): string =>
  createTwoFilesPatch(
    change.before === undefined ? "/dev/null" : `a/${change.path}`,
    change.after === undefined ? "/dev/null" : `b/${change.path}`,
    change.before ?? "",
    change.after ?? "",
    undefined,
    undefined,
    { context: 3 }
  )
    .split("\n")
    .slice(1)
    .join("\n")
