/**
 * Where this package's own files are, for every module that reads one at run time (templates,
 * prompts, worker entries, the digest of our code). Three layouts run the same modules: the
 * checkout (`core/PackageRoot.ts`), the library as tsc emits it (`dist/core/PackageRoot.js`) and
 * the bundled CLI, where every module shares its bundle's `import.meta.url`
 * (`dist/cli/bin.js`; scripts/build.ts keeps every bundle one folder below `dist/`). In all three
 * this module's `import.meta.url` is one folder below the folder that holds `cli/`, `core/`,
 * `plugins/` and `templates/`: that is all it relies on.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The real path of `dir`, or `dir` resolved when it does not exist. */
const realPathOf = (dir: string): string => {
  try {
    return fs.realpathSync(dir)
  } catch {
    return path.resolve(dir)
  }
}

/** The folder holding `cli/`, `core/`, `plugins/` and `templates/`: the checkout, or `dist/` once built. */
export const codeRoot: string = realPathOf(fileURLToPath(new URL("..", import.meta.url)))

/** The built-in template library (`templates/`), prompts included. */
export const templatesDir: string = path.join(codeRoot, "templates")

const isOwnPackageJson = (file: string): boolean => {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"))
    return typeof parsed === "object" && parsed !== null && "name" in parsed && parsed.name === "@tamma/codegen"
  } catch {
    return false
  }
}

/**
 * The folder of this package's package.json (the checkout, or the installed package): the code
 * root itself in a checkout, its parent once built, three folders up in a CLI-only build
 * (`dist/.cli-builds/<id>/`, scripts/build.ts). The code root when none holds it.
 */
export const packageRoot: string =
  [codeRoot, path.dirname(codeRoot), path.resolve(codeRoot, "..", "..", "..")].find((dir) =>
    isOwnPackageJson(path.join(dir, "package.json"))
  ) ?? codeRoot
