/**
 * The CLI as a user runs it: the package's bin (`dist/cli/bin.js`, the bundle `npm run build`
 * makes), built again first when it is missing or was not built from the files as they are now,
 * so that a bench never times yesterday's code.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { inputsFingerprint, readInputsStamp } from "../scripts/BuildInputs.ts"

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** The package's bin, as package.json names it. */
export const binPath = path.join(project, "dist", "cli", "bin.js")

/**
 * Whether the bin is there and was built from the inputs (of the checkout `root`) as they are now:
 * the stamp its build took before reading them matches them (scripts/BuildInputs.ts).
 */
export const isFresh = (root: string = project): boolean => {
  try {
    // The bin's own build: `dist/cli` links to it after a CLI-only build (scripts/build.ts).
    const buildDir = path.dirname(path.dirname(fs.realpathSync(path.join(root, "dist", "cli", "bin.js"))))
    return readInputsStamp(buildDir) === inputsFingerprint(root)
  } catch {
    return false
  }
}

let ready: { readonly bin: string; readonly note: string } | undefined

/** The bin, built once per process when it is stale; `note` says which bin ran and whether it was built now. */
export const builtBin = (): { readonly bin: string; readonly note: string } => {
  if (ready !== undefined) return ready
  let how = "as found, built from its sources as they are"
  if (!isFresh()) {
    const start = performance.now()
    // The CLI's part of the build alone: the bundles, as `npm run build` makes them.
    const ran = spawnSync(process.execPath, [path.join(project, "scripts", "build.ts"), "--cli-only"], {
      cwd: project,
      stdio: ["ignore", "inherit", "inherit"]
    })
    if (ran.status !== 0) throw new Error(`the build exited ${ran.status ?? ran.signal}`)
    how = `built now in ${((performance.now() - start) / 1000).toFixed(1)} s`
  }
  ready = { bin: binPath, note: `the bundled bin ${path.relative(project, binPath)} (${how})` }
  return ready
}
