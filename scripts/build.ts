/**
 * `npm run build` (and so `npm pack`): the package's `dist/`. The library (`core/`, `plugins/`,
 * `presets/`) as tsc emits it, with its declarations, for projects that import it; the CLI as
 * bundles in `dist/cli/`: started from source, Node loads ~480 modules (~390 of them effect's)
 * before a command runs, and one bundle starts ~0.1 s faster on every run.
 *
 * Every module that starts a worker or a child process finds its entry with `entryBeside(
 * import.meta.url, "Name")`; in a bundle `import.meta.url` is the bundle's, so each such entry is a
 * bundle of its own named `Name.js` beside the others in `dist/cli/`, where core/PackageRoot.ts
 * expects every bundle: one folder below `dist/`.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Schema } from "effect"
import * as esbuild from "esbuild"
import { builtFolders, digestFileName, ownCodeDigest } from "../cli/handlers/OwnCodeDigest.ts"
import { inputsFingerprint, writeInputsStamp } from "./BuildInputs.ts"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const dist = path.join(root, "dist")
const cliOut = path.join(dist, "cli")

/**
 * Dependencies bundled into the CLI: plain JavaScript that reads no file of its own at run time.
 * Every other dependency stays external (native binaries, wasm files, files resolved at run time:
 * Biome, tree-sitter, TypeScript, ESLint, Prettier…) and loads from node_modules, as installed.
 */
const bundled: ReadonlySet<string> = new Set([
  "effect",
  "@effect/platform-node",
  "@effect/sql-pg",
  "diff",
  "ignore",
  "fast-xml-parser"
])

const Manifest = Schema.Struct({
  dependencies: Schema.Record(Schema.String, Schema.String),
  optionalDependencies: Schema.optional(Schema.Record(Schema.String, Schema.String))
})
const manifest = Schema.decodeUnknownSync(Schema.fromJsonString(Manifest))(
  fs.readFileSync(path.join(root, "package.json"), "utf8")
)
const external = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.optionalDependencies ?? {})].filter(
  (name) => !bundled.has(name)
)

const sourceFolders = ["cli", "core", "plugins", "presets"] as const

/** `Name` → its source file, for every `entryBeside(import.meta.url, "Name")` in the sources. */
export const workerEntries = (): ReadonlyMap<string, string> => {
  const entries = new Map<string, string>()
  const call = /entryBeside\(\s*import\.meta\.url,\s*"([A-Za-z][A-Za-z0-9]*)"\s*\)/g
  for (const folder of sourceFolders) {
    for (const entry of fs.readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".d.ts")) continue
      const file = path.join(entry.parentPath, entry.name)
      for (const [, name = ""] of fs.readFileSync(file, "utf8").matchAll(call)) {
        const source = path.join(entry.parentPath, `${name}.ts`)
        if (!fs.existsSync(source))
          throw new Error(`${path.relative(root, file)} starts ${name}, but ${source} is missing`)
        const known = entries.get(name)
        // One folder holds every bundle: two entries of one name would overwrite each other.
        if (known !== undefined && known !== source)
          throw new Error(`two worker entries named ${name}: ${known}, ${source}`)
        entries.set(name, source)
      }
    }
  }
  return entries
}

const tsc = () => {
  const compiler = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  const ran = spawnSync(process.execPath, [compiler, "-p", path.join(root, "tsconfig.build.json")], {
    cwd: root,
    stdio: "inherit"
  })
  if (ran.status !== 0) throw new Error(`tsc exited ${ran.status ?? ran.signal}`)
}

/**
 * The CLI and each worker entry, one ESM bundle each in `dist/cli/`, with the chunks they share
 * beside them (also one folder below `dist/`, as core/PackageRoot.ts expects).
 */
export const bundle = (outdir: string) =>
  esbuild
    .build({
      entryPoints: [
        { in: path.join(root, "cli", "bin.ts"), out: "bin" },
        ...[...workerEntries()].map(([name, source]) => ({ in: source, out: name }))
      ],
      outdir,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      external,
      // Each command's handler is imported when the command runs (cli/commands/): split, those
      // imports load chunks of their own, and a run parses only what its command needs (~0.1 s of
      // start-up CPU against ~0.3 s for one bundle of everything, measured on a failing `validate`).
      splitting: true,
      // Bundled CommonJS (ws, undici's parts) calls `require` for Node's own modules: an ESM bundle
      // has none unless it makes one.
      banner: {
        js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);'
      },
      legalComments: "none",
      logLevel: "warning",
      metafile: true
    })
    .then((result) => {
      // One copy of effect: a package loaded from node_modules that imports effect would bring the
      // installed one beside the bundled one, and values of one are not those of the other.
      const second = Object.values(result.metafile.outputs)
        .flatMap((output) => output.imports)
        .filter((imported) => imported.external === true && /^(effect|@effect\/)/.test(imported.path))
        .map((imported) => imported.path)
      if (second.length > 0)
        throw new Error(`bundles import effect from node_modules: ${[...new Set(second)].join(", ")}`)
      return result
    })

/**
 * The digest of what `dist` holds now (cli/handlers/OwnCodeDigest.ts), written beside the bundles:
 * the bundled CLI reads it instead of hashing ~870 files on every run. Written aside and renamed,
 * so a bin finds the whole file or none (and then hashes).
 */
export const writeCodeDigest = async (distDir: string): Promise<string> => {
  const digest = await ownCodeDigest(distDir, builtFolders)
  const file = path.join(distDir, "cli", digestFileName)
  const aside = `${file}.${process.pid}`
  fs.writeFileSync(aside, `${JSON.stringify({ digest })}\n`)
  fs.renameSync(aside, file)
  return digest
}

/** Where CLI-only builds go, each whole in a folder of its own (`<id>/cli`, `<id>/templates`). */
const cliBuilds = path.join(dist, ".cli-builds")

/**
 * How long a build stays once another replaced it: a bin started on it imports its command's chunk
 * and starts its workers from its own folder later, and a cluster worker can run for long.
 */
const keepReplacedMs = 60 * 60_000

/** The build folder `dist/cli` links to now, or undefined when it is no link to one. */
const linkedBuild = (): string | undefined => {
  try {
    return fs.lstatSync(cliOut).isSymbolicLink() ? path.dirname(fs.realpathSync(cliOut)) : undefined
  } catch {
    return undefined
  }
}

/**
 * The CLI alone, into a build folder of its own, then `dist/cli` made a link to it by renaming a
 * new link over the old one: at every moment `dist/cli` is a whole build, and Node runs a bin
 * from its real path, so a bin started on an older build loads its chunks, workers and templates
 * (core/PackageRoot.ts: beside its folder) from that build, which stays for `keepReplacedMs`.
 * Builds running at once each write their own folder; the last rename wins.
 */
const buildCliOnly = async (inputs: string) => {
  const own = path.join(cliBuilds, `${Date.now().toString(36)}-${process.pid}`)
  fs.cpSync(path.join(root, "templates"), path.join(own, "templates"), { recursive: true })
  await bundle(path.join(own, "cli"))
  await writeCodeDigest(own)
  writeInputsStamp(own, inputs)
  const link = path.join(dist, `.cli-link-${process.pid}`)
  fs.rmSync(link, { force: true })
  fs.symlinkSync(path.relative(dist, path.join(own, "cli")), link)
  let replaced = linkedBuild()
  if (replaced === undefined && fs.existsSync(cliOut)) {
    // A full build's folder: a link cannot be renamed over a folder, so it moves among the builds
    // first (the one moment `dist/cli` is missing, once after each full build).
    replaced = path.join(cliBuilds, `full-${path.basename(own)}`)
    fs.mkdirSync(replaced)
    fs.renameSync(cliOut, path.join(replaced, "cli"))
  }
  fs.renameSync(link, cliOut)
  const now = new Date()
  // Its time says since when it is replaced: a bin may have started on it until then.
  if (replaced !== undefined) fs.utimesSync(replaced, now, now)
  const live = linkedBuild()
  for (const name of fs.readdirSync(cliBuilds)) {
    const folder = path.join(cliBuilds, name)
    if (folder === own || folder === live) continue
    if (now.getTime() - fs.statSync(folder).mtimeMs > keepReplacedMs)
      fs.rmSync(folder, { recursive: true, force: true })
  }
}

/**
 * The whole of `dist/`; with `--cli-only`, the CLI alone (its bundles and the templates it reads),
 * in about a second and whatever tsc would say of work in progress elsewhere: what the benches run.
 */
const main = async (cliOnly: boolean) => {
  // Taken before the build reads a file: one saved while it runs leaves the stamp behind.
  const inputs = inputsFingerprint(root)
  if (cliOnly) return buildCliOnly(inputs)
  fs.rmSync(dist, { recursive: true, force: true })
  tsc()
  fs.cpSync(path.join(root, "templates"), path.join(dist, "templates"), { recursive: true })
  await bundle(cliOut)
  await writeCodeDigest(dist)
  writeInputsStamp(dist, inputs)
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv.includes("--cli-only"))
