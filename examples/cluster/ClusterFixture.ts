/**
 * ClusterFixture: real worker processes (`tamma-codegen worker`) on loopback, small git
 * repositories to run jobs on, and template-only jobs — what the cluster's tests, demo and
 * benchmark share.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Schema } from "effect"
import { CodeGenerationRequest } from "../../core/domain/Request.ts"
import { GenerationJob, JobOptions, JobRepository } from "../../plugins/cluster/Job.ts"
import { freePort } from "./LocalPostgres.ts"

/** The package's own folder. */
export const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
const bin = path.join(project, "cli", "bin.ts")

export interface Worker {
  readonly name: string
  readonly process: ChildProcess
  /** Everything it wrote on stderr so far. */
  readonly log: () => string
  /** Resolves with its exit code (or signal) once it has exited. */
  readonly exited: Promise<number | string>
}

/** Starts `tamma-codegen worker` on a free port; resolves once it says it is ready. */
export const startWorker = async (
  database: string,
  options: { readonly concurrency?: number; readonly env?: Readonly<Record<string, string>> } = {}
): Promise<Worker> => {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [bin, "worker", "--database", database, "--port", String(port), "--concurrency", String(options.concurrency ?? 2)],
    { env: { ...process.env, NO_COLOR: "1", ...options.env }, stdio: ["ignore", "ignore", "pipe"] }
  )
  let log = ""
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"))
  )
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString("utf8")
      if (log.includes(" ready (concurrency")) resolve()
    })
    void exited.then((code) => reject(new Error(`worker exited with ${code} before it was ready:\n${log}`)))
  })
  return { name: `127.0.0.1:${port}`, process: child, log: () => log, exited }
}

const git = (cwd: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", ["-c", "user.name=Fixture", "-c", "user.email=fixture@example.com", ...args], {
    cwd,
    encoding: "utf8"
  }).trim()

/** A small TypeScript repository with one commit on `main`, at `dir`. */
export const makeRepository = (dir: string): string => {
  fs.mkdirSync(path.join(dir, "src"), { recursive: true })
  fs.writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: path.basename(dir), type: "module" }, null, 2)}\n`
  )
  fs.writeFileSync(path.join(dir, "src", "index.ts"), "export const version = 1\n")
  git(dir, "init", "-q", "-b", "main")
  git(dir, "add", ".")
  git(dir, "commit", "-q", "-m", "Initial commit")
  return git(dir, "rev-parse", "HEAD")
}

/** The branches of the repository at `dir` that jobs made, with their commit counts over `main`. */
export const jobBranches = (dir: string): ReadonlyMap<string, { readonly sha: string; readonly commits: number }> => {
  const lines = git(dir, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/tamma/")
  const out = new Map<string, { sha: string; commits: number }>()
  for (const line of lines.split("\n").filter((l) => l !== "")) {
    const [branch = "", sha = ""] = line.split(" ")
    out.set(branch, { sha, commits: Number(git(dir, "rev-list", "--count", `main..${branch}`)) })
  }
  return out
}

/** Whether git finds the repository at `dir` whole. */
export const fsck = (dir: string): string => git(dir, "fsck", "--strict")

const decodeRequest = Schema.decodeUnknownSync(CodeGenerationRequest)

/** A template-only job that adds the module `src/<name>.ts` with one function. */
export const moduleJob = (requestId: string, repository: string, name: string): GenerationJob =>
  new GenerationJob({
    requestId,
    repository: new JobRepository({ url: repository, baseRef: "main" }),
    request: decodeRequest({
      taskType: "implementation",
      language: "typescript",
      context: {
        issue: { title: `Add the ${name} module` },
        conventions: { naming: "kebab", sourceDir: "src", testDir: "test" }
      },
      requirements: { functionality: [`a ${name} function`] },
      template: "typescript/module",
      parameters: {
        name,
        description: `The ${name} module.`,
        withTests: false,
        functions: [
          {
            name: `${name}Length`,
            doc: "Counts the characters of a text.",
            params: [{ name: "text", type: "string", doc: "the text" }],
            returns: "number",
            body: "return text.length"
          }
        ]
      },
      options: { runTests: false, includeTests: false }
    }),
    options: new JobOptions({ provider: "none", runTests: false })
  })
