/**
 * Where ESLint runs, in `validate` and in the pipeline's quality check alike. Our tree-sitter rules
 * cover what eslint-plugin-security looks for, so ESLint (with TypeScript, a second of CPU to
 * load, and a thread busy on every JS/TS file) runs only where the workspace has an ESLint config
 * of its own (its owner wants ESLint) or where the configuration says `always`. The workspace's
 * ESLint config is never executed: where one exists, our ESLint runs with our rules.
 */
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

/** The quality tool that the scope turns off: its name among a pack's tools. */
export const eslintToolName = "eslint"

const eslintExtensions = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/

/** Whether ESLint would check `file` at all: a JavaScript or TypeScript file. */
export const isEslintCandidate = (file: string): boolean => eslintExtensions.test(file)

/**
 * The mode a run uses: a flag wins; a workspace's `never` counts as `auto`, since a repository
 * may turn a check on for its users but never off behind their back.
 */
export const effectiveMode = (flag: EslintMode | undefined, workspaceConfig: EslintMode): EslintMode =>
  flag ?? (workspaceConfig === "never" ? "auto" : workspaceConfig)

/**
 * The folders of a workspace-relative `file`, its own first and the workspace's root (`""`) last;
 * a path that leaves the workspace has none, since a config above it is someone else's.
 */
export const foldersUp = (file: string): ReadonlyArray<string> => {
  const parts = file.split(/[\\/]+/).filter((part) => part !== "" && part !== ".")
  if (parts.includes("..") || /^([\\/]|[A-Za-z]:)/.test(file)) return []
  const folders: Array<string> = []
  for (let depth = parts.length - 1; depth >= 0; depth--) folders.push(parts.slice(0, depth).join("/"))
  return folders
}

/**
 * Answers whether ESLint checks a workspace-relative file in `mode`. `hasConfig(folder)` says
 * whether a workspace folder (`""` for the root) holds one of `eslintConfigNames`; each folder
 * is asked at most once per scope.
 */
export const makeEslintScope = <E, R>(
  mode: EslintMode,
  hasConfig: (folder: string) => Effect.Effect<boolean, E, R>
) => {
  const known = new Map<string, boolean>()
  const folderHasConfig = (folder: string) =>
    Effect.suspend(() => {
      const answer = known.get(folder)
      return answer !== undefined
        ? Effect.succeed(answer)
        : Effect.tap(hasConfig(folder), (found) => Effect.sync(() => known.set(folder, found)))
    })
  const wants = (file: string): Effect.Effect<boolean, E, R> => {
    if (!isEslintCandidate(file) || mode === "never") return Effect.succeed(false)
    if (mode === "always") return Effect.succeed(true)
    return Effect.gen(function* () {
      for (const folder of foldersUp(file)) if (yield* folderHasConfig(folder)) return true
      return false
    })
  }
  /** The tools to leave out when checking `file`: ESLint, where it is not wanted. */
  const skippedTools = (file: string) =>
    Effect.map(wants(file), (wanted): ReadonlyArray<string> => (wanted ? [] : [eslintToolName]))
  /** The tools to leave out when loading a language's tools before any file is known. */
  const skippedAtStart: Effect.Effect<ReadonlyArray<string>, E, R> = mode === "always"
    ? Effect.succeed([])
    : mode === "never"
      ? Effect.succeed([eslintToolName])
      : Effect.map(folderHasConfig(""), (found) => (found ? [] : [eslintToolName]))
  return { wants, skippedTools, skippedAtStart }
}

/** Where ESLint runs over one workspace: what `makeEslintScope` returns. */
export type EslintScope<E = never, R = never> = ReturnType<typeof makeEslintScope<E, R>>

/** A scope over a workspace read through `read` (a file that cannot be read is absent). */
export const eslintScopeByReading = <E, R>(
  mode: EslintMode,
  read: (path: string) => Effect.Effect<string | undefined, E, R>
) =>
  makeEslintScope(mode, (folder) =>
    Effect.map(
      Effect.forEach(eslintConfigNames, (name) =>
        read(folder === "" ? name : `${folder}/${name}`).pipe(Effect.orElseSucceed(() => undefined))
      ),
      (found) => found.some((content) => content !== undefined)
    )
  )
