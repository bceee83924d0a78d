/**
 * Applying 1,000 generated files with the real layers — stage, journal, atomic writes (temp,
 * fsync, rename), branch and commit (isomorphic-git, blobs from the staged contents) — against
 * what a user would otherwise run: fs.writeFile for each file, then `git add -A` and
 * `git commit` with the git CLI. Target (DESIGN §9): at most 2× the baseline.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect, Layer } from "effect"
import { Journal, JournalFile } from "../core/domain/RunRecord.ts"
import { applyAndCommit } from "../core/pipeline/ApplyCommit.ts"
import { FileManager } from "../core/services/FileManager.ts"
import { makeNodeBackend, NodeFiles } from "../plugins/files/node/NodeFiles.ts"
import { IsomorphicGit } from "../plugins/git/isomorphic-git/IsomorphicGit.ts"
import { type Bench, time } from "./Timing.ts"

const fileCount = 1000
const runs = 5
const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" }
const git = (dir: string, ...args: ReadonlyArray<string>) => execFileSync("git", args, { cwd: dir, env })

/** The generated files: a module and its test per feature, in twenty folders. */
const generated = (): ReadonlyArray<readonly [string, string]> =>
  Array.from({ length: fileCount }, (_, i) => [
    `src/feature${i % 20}/${i % 2 === 0 ? "module" : "module.test"}${i}.ts`,
    `export const value${i} = ${i}\n${"export const line = 'generated content'\n".repeat(10 + (i % 30))}`
  ])

/** A repository with a README committed on main, in a fresh temp folder. */
const repository = () => {
  const dir = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-bench-")))
  git(dir, "init", "--quiet", "--initial-branch=main")
  git(dir, "config", "user.name", "Bench")
  git(dir, "config", "user.email", "bench@example.com")
  fs.writeFileSync(nodePath.join(dir, "README.md"), "# bench\n")
  git(dir, "add", "--all")
  git(dir, "commit", "--quiet", "-m", "initial")
  return dir
}

/** The median time of `work` on a fresh repository each time (making and removing it not counted). */
const timed = async (work: (dir: string) => Promise<void>) => {
  const dirs: Array<string> = []
  const samples: Array<number> = []
  try {
    await time(async () => {
      const dir = repository()
      dirs.push(dir)
      const started = performance.now()
      await work(dir)
      samples.push(performance.now() - started)
    }, runs)
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
  }
  // Warm-up runs first: the median of the measured ones only.
  const measured = samples.slice(samples.length - runs).sort((a, b) => a - b)
  return measured[Math.floor(measured.length / 2)] ?? 0
}

const files = generated()

const baseline = (dir: string) =>
  (async () => {
    for (const [path, content] of files) {
      const full = nodePath.join(dir, path)
      await fs.promises.mkdir(nodePath.dirname(full), { recursive: true })
      await fs.promises.writeFile(full, content)
    }
    git(dir, "checkout", "--quiet", "-b", "generated")
    git(dir, "add", "--all")
    git(dir, "commit", "--quiet", "-m", "generated")
  })()

const pipeline = (dir: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const manager = yield* FileManager
      yield* Effect.forEach(files, ([path, content]) => manager.write(path, content), {
        concurrency: 16,
        discard: true
      })
      yield* Effect.scoped(
        applyAndCommit({ summary: "bench", commit: { branch: "tamma/bench", message: "generated" } })
      )
    }).pipe(Effect.provide(Layer.merge(NodeFiles.layer(dir), IsomorphicGit.layer(dir))))
  )

/** The journal alone: writing it durably (one fsynced file) and closing it. */
const journalOnly = (dir: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const backend = yield* makeNodeBackend(dir)
      const journal = new Journal({
        runId: "bench",
        startedAt: Date.now(),
        summary: "bench",
        files: files.map(([path, after]) => new JournalFile({ path, before: undefined, after })),
        createdFolders: []
      })
      yield* backend.journal.open(journal)
      yield* backend.journal.close("bench", undefined)
    })
  )

const bench: Bench = async () => {
  const baselineMs = await timed(baseline)
  const oursMs = await timed(pipeline)
  const journalMs = await timed(journalOnly)
  return [
    {
      name: `apply and commit ${fileCount} files (stage → journal → atomic writes → commit)`,
      oursMs,
      baselineMs,
      target: 2,
      note: "baseline: fs.writeFile + git add/commit (CLI)"
    },
    {
      name: "the journal alone (write, fsync, close)",
      oursMs: journalMs,
      baselineMs: 0,
      note: `${((journalMs / oursMs) * 100).toFixed(1)}% of the apply`
    }
  ]
}

export default bench
