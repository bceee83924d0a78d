/**
 * The child process of the crash test. It loads, then waits for a first line on stdin (the
 * parent starts it early and resets the workspace meanwhile), stages a large change set in the
 * workspace given as the first argument through the real layers (node files, isomorphic-git),
 * prints `ready`, waits for a second line, applies and commits the way the pipeline does and
 * prints `done <ms>`. The parent kills it with SIGKILL at a random moment in between; or, given a
 * phase as the third argument (`branched`, `committed`), the child stops once its journal has
 * noted that step, prints `paused <phase>` and waits to be killed: some of those phases last a few
 * milliseconds, less than a timed kill's aim varies under load.
 */
import module from "node:module"
import * as readline from "node:readline"
import { Duration, Effect, Layer } from "effect"
import { applyAndCommit } from "../../core/pipeline/ApplyCommit.ts"
import { FileManager } from "../../core/services/FileManager.ts"
import { NodeFiles } from "../../plugins/files/node/NodeFiles.ts"
import { IsomorphicGit } from "../../plugins/git/isomorphic-git/IsomorphicGit.ts"
import { changeSet } from "./ChangeSet.ts"

const [workspace = ".", countText = "300", pauseAt] = process.argv.slice(2)
const count = Number(countText)

module.enableCompileCache?.()

const lines = readline.createInterface({ input: process.stdin })
const queued: Array<() => void> = []
let received = 0
lines.on("line", () => {
  received++
  queued.shift()?.()
})
/** Resolves once `n` lines have arrived on stdin. */
const nthLine = (n: number) =>
  Effect.promise(
    () =>
      new Promise<void>((resolve) => {
        if (received >= n) resolve()
        else queued.push(resolve)
      })
  )

/** The phase the journal is in once a note of this kind is durable. */
const phaseAfter = { Branch: "branched", Commit: "committed" } as const

/** The files layer, whose notes stop the run at `pauseAt`. */
const pausing = Layer.effect(
  FileManager,
  Effect.gen(function* () {
    const files = yield* FileManager
    return {
      ...files,
      note: (runId: Parameters<typeof files.note>[0], note: Parameters<typeof files.note>[1]) =>
        files
          .note(runId, note)
          .pipe(
            Effect.andThen(
              phaseAfter[note._tag] === pauseAt
                ? Effect.sync(() => process.stdout.write(`paused ${pauseAt}\n`)).pipe(
                    Effect.andThen(Effect.sleep(Duration.hours(1)))
                  )
                : Effect.void
            )
          )
    }
  })
).pipe(Layer.provide(NodeFiles.layer(workspace)))

const program = Effect.gen(function* () {
  yield* nthLine(1)
  const files = yield* FileManager
  yield* Effect.forEach(
    changeSet(count),
    ([path, content]) => (content === undefined ? files.remove(path) : files.write(path, content)),
    { concurrency: 16, discard: true }
  )
  process.stdout.write("ready\n")
  yield* nthLine(2)
  // An open stdin would keep the process alive after the run.
  lines.close()
  process.stdin.destroy()
  const started = performance.now()
  yield* Effect.scoped(
    applyAndCommit({
      summary: "crash test",
      commit: { branch: "tamma/crash", message: "crash test", author: { name: "Crash", email: "crash@example.com" } }
    })
  )
  process.stdout.write(`done ${Math.round(performance.now() - started)}\n`)
}).pipe(Effect.provide(Layer.merge(pausing, IsomorphicGit.layer(workspace))))

await Effect.runPromise(program)
