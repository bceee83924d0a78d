/**
 * The CLI as a user runs it: the package's bin (`dist/cli/bin.js`, the bundle `npm run build`
 * makes), built again first when it is missing or older than any of the files it is built from,
 * so that a bench never times yesterday's code.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** The package's bin, as package.json names it. */
export const binPath = path.join(project, "dist", "cli", "bin.js")

/** What the CLI's bundles are built from: the sources, the templates, the build script and the manifest. */
const inputs = ["cli", "core", "plugins", "presets", "templates", "scripts", "package.json"]

const newestChange = (entry: string): number => {
  const stat = fs.statSync(entry, { throwIfNoEntry: false })
  if (stat === undefined) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  return fs
    .readdirSync(entry, { recursive: true, withFileTypes: true })
    .filter((child) => child.isFile())
    .reduce((newest, child) => Math.max(newest, fs.statSync(path.join(child.parentPath, child.name)).mtimeMs), 0)
}

/** Whether the bin is there and newer than every input of the build. */
export const isFresh = (): boolean => {
  const built = fs.statSync(binPath, { throwIfNoEntry: false })
  return built !== undefined && inputs.every((input) => newestChange(path.join(project, input)) <= built.mtimeMs)
}

let ready: { readonly bin: string; readonly note: string } | undefined

/** The bin, built once per process when it is stale; `note` says which bin ran and whether it was built now. */
export const builtBin = (): { readonly bin: string; readonly note: string } => {
  if (ready !== undefined) return ready
  let how = "as found, newer than its sources"
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
