/**
 * The child process of the crash test. It loads, then waits for a first line on stdin (the
 * parent starts it early and resets the workspace meanwhile), stages a large change set in the
 * workspace given as the first argument through the real layers (node files, isomorphic-git),
 * prints `ready`, waits for a second line, applies and commits the way the pipeline does and
 * prints `done <ms>`. The parent kills it with SIGKILL at a random moment in between.
 */
import module from "node:module"
import * as readline from "node:readline"
import { Effect, Layer } from "effect"
import { applyAndCommit } from "../../core/pipeline/ApplyCommit.ts"
import { FileManager } from "../../core/services/FileManager.ts"
import { NodeFiles } from "../../plugins/files/node/NodeFiles.ts"
import { IsomorphicGit } from "../../plugins/git/isomorphic-git/IsomorphicGit.ts"
import { changeSet } from "./ChangeSet.ts"

const [workspace = ".", countText = "300"] = process.argv.slice(2)
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
}).pipe(Effect.provide(Layer.merge(NodeFiles.layer(workspace), IsomorphicGit.layer(workspace))))

await Effect.runPromise(program)
