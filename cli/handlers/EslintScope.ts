/**
 * Where ESLint runs in `validate`: the rule of core/pipeline/EslintScope.ts (the pipeline's quality
 * check follows the same one), over the workspace on disk.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect } from "effect"
import {
  type EslintMode,
  eslintConfigNames,
  isEslintCandidate,
  makeEslintScope
} from "../../core/pipeline/EslintScope.ts"

/**
 * Whether `dir` holds an ESLint config file (a regular file: a symlink or a folder of that name is
 * none); each folder is looked at once, also when files of it are asked about at the same time.
 */
const configLookup = () => {
  const known = new Map<string, Promise<boolean>>()
  return (dir: string) =>
    Effect.promise(() => {
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
    })
}

/**
 * The JS/TS files of `files` that ESLint does not see in `mode`: with `auto`, those with no ESLint
 * config in their folder or a folder above it inside `workspace`.
 */
export const filesWithoutEslint = Effect.fn("cli.filesWithoutEslint")(function* (
  files: ReadonlyArray<string>,
  mode: EslintMode,
  workspace: string
) {
  const root = path.resolve(workspace)
  const holdsConfig = configLookup()
  const scope = makeEslintScope(mode, (folder) => holdsConfig(path.join(root, folder)))
  const candidates = files.filter(isEslintCandidate)
  const wanted = yield* Effect.forEach(candidates, (file) => scope.wants(path.relative(root, path.resolve(file))), {
    concurrency: 16
  })
  return candidates.filter((_, index) => wanted[index] === false)
})
