/**
 * Where a command is installed: the one lookup of an executable on a PATH, for the sandbox
 * (`bwrap`), the test frameworks (`java`, `mvn`) and the compile checks.
 */
import { accessSync, constants, statSync } from "node:fs"
import * as path from "node:path"

/** The executable file `name` in the first absolute folder of `searchPath` that has one, or undefined. */
export const findExecutable = (name: string, searchPath: string | undefined = process.env.PATH): string | undefined => {
  for (const dir of (searchPath ?? "").split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue
    const candidate = path.join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {}
  }
  return undefined
}
