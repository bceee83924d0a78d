/**
 * The package as a user gets it: `npm pack` of this checkout (which builds it), installed with
 * its own Node into an empty project, and commands run there with nothing of the checkout in
 * reach but the tarball.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Schema } from "effect"

export const checkout = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

/** This process's environment without what ties a child to the checkout or to this test run. */
export const cleanEnv = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    // NODE_EXTRA_CA_CERTS stays: where the registry is reached through a proxy with a CA of its own,
    // npm needs it as soon as a cached packument is stale (without it npm retried for 10 minutes).
    const tiedToRun = /^(VITEST|npm_|NODE_)/.test(key) || ["INIT_CWD", "TEST", "NODE_OPTIONS"].includes(key)
    if (tiedToRun && key !== "NODE_EXTRA_CA_CERTS") continue
    env[key] = value
  }
  return { ...env, ...extra }
}

export interface Ran {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `command` (no shell); never throws, the caller asserts. */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number }
): Ran => {
  const result: SpawnSyncReturns<string> = spawnSync(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? cleanEnv(),
    encoding: "utf8",
    timeout: options.timeoutMs ?? 180_000,
    maxBuffer: 64 * 1024 * 1024
  })
  return {
    status: result.status,
    stdout: result.stdout ?? "",
    stderr: `${result.stderr ?? ""}${result.error === undefined ? "" : `\n${result.error.message}`}`
  }
}

/** Like `run`, but throws with the output unless the command exits 0. */
export const runOk = (...args: Parameters<typeof run>): Ran => {
  const ran = run(...args)
  if (ran.status !== 0) {
    throw new Error(`${args[0]} ${args[1].join(" ")} exited ${ran.status}\n${ran.stdout}\n${ran.stderr}`.slice(-8000))
  }
  return ran
}

/** The checkout's npm, on the checkout's pinned Node (npm scripts such as `prepack` run on it too). */
const npmEnv = () =>
  cleanEnv({ PATH: `${path.join(checkout, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}` })

const PackReport = Schema.Array(
  Schema.Struct({
    filename: Schema.String,
    size: Schema.Number,
    unpackedSize: Schema.Number,
    entryCount: Schema.Number,
    files: Schema.Array(Schema.Struct({ path: Schema.String, size: Schema.Number }))
  })
)
const decodePackReport = Schema.decodeUnknownSync(Schema.fromJsonString(PackReport))

export interface Tarball {
  readonly file: string
  readonly size: number
  readonly unpackedSize: number
  readonly files: ReadonlyArray<string>
}

/** `npm pack` of the checkout into `destination`: its `prepack` builds `dist/` from the sources first. */
export const pack = (destination: string): Tarball => {
  const ran = runOk("npm", ["pack", "--json", "--pack-destination", destination], {
    cwd: checkout,
    env: npmEnv(),
    timeoutMs: 300_000
  })
  // npm prints the lifecycle scripts' output before the report.
  const report = decodePackReport(ran.stdout.slice(ran.stdout.indexOf("[\n")))
  const entry = report[0]
  if (entry === undefined) throw new Error(`npm pack reported nothing:\n${ran.stdout}`)
  return {
    file: path.join(destination, entry.filename),
    size: entry.size,
    unpackedSize: entry.unpackedSize,
    files: entry.files.map((file) => file.path)
  }
}

/** An empty ESM project with the tarball and its own Node (`node@<major>` from the npm registry) installed. */
export const installInto = (project: string, tarball: string, nodeMajor: number) => {
  fs.mkdirSync(project, { recursive: true })
  fs.writeFileSync(
    path.join(project, "package.json"),
    `${JSON.stringify({ name: "uses-tamma-codegen", private: true, type: "module" }, null, 2)}\n`
  )
  runOk("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `node@${nodeMajor}`], {
    cwd: project,
    env: npmEnv(),
    timeoutMs: 600_000
  })
}

/** The environment of a project's commands: its `node_modules/.bin` first, as `npx` has it. */
export const projectEnv = (project: string) =>
  cleanEnv({ PATH: `${path.join(project, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}` })

/** `node` of the project's own `node@N`. */
export const projectNode = (project: string) => path.join(project, "node_modules", ".bin", "node")

/** A git repository holding a copy of `source`, one commit on `main`. */
export const gitCopy = (source: string, target: string) => {
  fs.cpSync(source, target, { recursive: true })
  if (fs.existsSync(path.join(target, "gitignore")))
    fs.renameSync(path.join(target, "gitignore"), path.join(target, ".gitignore"))
  const git = (...args: ReadonlyArray<string>) => runOk("git", args, { cwd: target })
  git("init", "-q", "-b", "main")
  git("config", "user.name", "Package Test")
  git("config", "user.email", "package-test@example.com")
  git("add", "-A")
  git("commit", "-q", "-m", "Initial commit")
}

/** `git` in `repo`, its output trimmed. */
export const gitOut = (repo: string, ...args: ReadonlyArray<string>) => runOk("git", args, { cwd: repo }).stdout.trim()
