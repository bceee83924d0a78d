/**
 * Where ESLint runs in `validate`. Our rules cover the security plugin's intent, so ESLint costs a
 * thread on every JS/TS file for little; it runs where the workspace has an ESLint config of its
 * own (its owner wants ESLint) or when the config says `always`. The workspace's config is code we
 * never execute: where one exists, our ESLint runs with our rules, not the workspace's.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect } from "effect"

export type EslintMode = "always" | "auto" | "never"

/** The names ESLint's flat config is looked up by. */
export const eslintConfigNames: ReadonlyArray<string> = [
  "eslint.config.js",
  "eslint.config.mjs",
  "eslint.config.cjs",
  "eslint.config.ts",
  "eslint.config.mts",
  "eslint.config.cts"
]

const eslintExtensions = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/

const isInside = (root: string, target: string) => {
  const relative = path.relative(root, target)
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative))
}

/**
 * The mode a run uses: a flag wins; a workspace's `never` counts as `auto`, since a repository
 * may turn a check on for its users but never off behind their back.
 */
export const effectiveMode = (flag: EslintMode | undefined, workspaceConfig: EslintMode): EslintMode =>
  flag ?? (workspaceConfig === "never" ? "auto" : workspaceConfig)

/**
 * The JS/TS files of `files` that ESLint does not see in `mode`: with `auto`, those with no ESLint
 * config in their folder or a folder above it inside `workspace`.
 */
export const filesWithoutEslint = Effect.fn("cli.filesWithoutEslint")(function* (
  files: ReadonlyArray<string>,
  mode: EslintMode,
  workspace: string
) {
  const candidates = files.filter((file) => eslintExtensions.test(file))
  if (mode === "always") return []
  if (mode === "never") return candidates
  const root = path.resolve(workspace)
  const known = new Map<string, Promise<boolean>>()
  const hasConfig = (dir: string): Promise<boolean> => {
    let answer = known.get(dir)
    if (answer === undefined) {
      answer = Promise.all(
        eslintConfigNames.map((name) =>
          fs.lstat(path.join(dir, name)).then(
            (stat) => stat.isFile(),
            () => false
          )
        )
      ).then((found) => found.some(Boolean))
      known.set(dir, answer)
    }
    return answer
  }
  const covered = async (file: string) => {
    let dir = path.dirname(path.resolve(file))
    // Only folders of the workspace count: a config above it belongs to someone else's project.
    while (isInside(root, dir)) {
      if (await hasConfig(dir)) return true
      if (dir === root) break
      dir = path.dirname(dir)
    }
    return false
  }
  const flags = yield* Effect.promise(() => Promise.all(candidates.map(covered)))
  return candidates.filter((_, index) => flags[index] === false)
})
