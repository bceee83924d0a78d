/**
 * Property tests: random sequences of stage, apply and failure on the memory and the disk
 * layers. After any failure the tree is byte-identical to before; after a success it is the
 * staged result, exactly.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import fc from "fast-check"
import { FileManager } from "../../core/services/FileManager.ts"
import { RunHistory } from "../../core/services/RunHistory.ts"
import { makeMemoryWorkspace } from "../../plugins/files/memory/MemoryWorkspace.ts"
import { NodeFiles } from "../../plugins/files/node/NodeFiles.ts"
import { snapshot, writeFiles } from "./Workspace.ts"

class StepFailed extends Schema.TaggedError<StepFailed>()("StepFailed", {}) {}

const paths = ["a.ts", "src/b.ts", "src/c/d.ts", "e/f.ts", "g.md", "new/deep/h.ts"]
const content = fc.string({ maxLength: 40 }).map((text) => text.replaceAll("\u0000", ""))
const tree = fc.dictionary(fc.constantFrom(...paths), content, { maxKeys: paths.length })

type Op =
  | { readonly _tag: "write"; readonly path: string; readonly content: string }
  | { readonly _tag: "remove"; readonly path: string }
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ _tag: fc.constant("write" as const), path: fc.constantFrom(...paths), content }),
  fc.record({ _tag: fc.constant("remove" as const), path: fc.constantFrom(...paths) })
)

/** How the transaction ends: it succeeds, fails before or after the apply, or dies. */
const ending = fc.constantFrom(
  "success",
  "fail-before-apply",
  "fail-after-apply",
  "defect-after-apply",
  "backend-failure"
)
type Ending = typeof ending extends fc.Arbitrary<infer A> ? A : never

const expectedAfter = (before: Readonly<Record<string, string>>, ops: ReadonlyArray<Op>) => {
  const files: Record<string, string> = { ...before }
  for (const entry of ops) {
    if (entry._tag === "write") files[entry.path] = entry.content
    else delete files[entry.path]
  }
  return sorted(files)
}

const sorted = (files: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)))

/** Runs `ops` in a transaction ending as `end`; `inject` arms the backend's failure when it can. */
const transaction = (files: FileManager["Service"], ops: ReadonlyArray<Op>, end: Ending, inject: Effect.Effect<void>) =>
  files.transaction(
    Effect.gen(function* () {
      for (const entry of ops) {
        if (entry._tag === "write") yield* files.write(entry.path, entry.content)
        else yield* files.remove(entry.path)
      }
      if (end === "fail-before-apply") return yield* new StepFailed()
      if (end === "backend-failure") yield* inject
      if (end === "fail-after-apply" || end === "defect-after-apply") {
        yield* files.apply
        if (end === "defect-after-apply") return yield* Effect.die("boom")
        return yield* new StepFailed()
      }
    })
  )

describe("transactions, property-based", () => {
  it.effect("memory: a failure leaves the tree byte-identical, a success leaves exactly the staged result", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          tree,
          fc.array(op, { maxLength: 12 }),
          ending,
          fc.integer({ min: 1, max: 6 }),
          (before, ops, end, n) =>
            Effect.runPromise(
              Effect.gen(function* () {
                const backend = yield* makeMemoryWorkspace(before)
                const files = yield* FileManager.make(backend)
                const exit = yield* Effect.exit(transaction(files, ops, end, backend.failOnWrite(n)))
                const after = yield* backend.snapshot
                const changed = JSON.stringify(expectedAfter(before, ops)) !== JSON.stringify(sorted(before))
                if (Exit.isSuccess(exit)) expect(after).toEqual(expectedAfter(before, ops))
                else expect(after).toEqual(sorted(before))
                if (end !== "success" && end !== "backend-failure") expect(Exit.isFailure(exit)).toBe(true)
                if (end === "backend-failure" && changed && n === 1) expect(Exit.isFailure(exit)).toBe(true)
                // Every journal is closed, whichever way the run ended.
                expect(yield* backend.journal.openIds).toEqual([])
                if (Exit.isSuccess(exit) && changed) expect((yield* RunHistory.make(backend).runs).length).toBe(1)
              })
            )
        ),
        { numRuns: 150 }
      )
    )
  )

  it.live("disk: the same, with real files, folders and journals", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(tree, fc.array(op, { maxLength: 10 }), ending, (before, ops, end) => {
          const root = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-prop-")))
          writeFiles(root, before)
          const folders = () =>
            fs.readdirSync(root, { recursive: true }).filter((name) => !String(name).startsWith(".tamma")).length
          const beforeEntries = folders()
          // On disk, a backend failure is a folder where a staged file is to be written.
          const inject = Effect.sync(() => {
            const target = ops.find((entry) => entry._tag === "write")
            if (target !== undefined && !fs.existsSync(nodePath.join(root, target.path))) {
              fs.mkdirSync(nodePath.join(root, target.path), { recursive: true })
            }
          })
          return Effect.runPromise(
            Effect.gen(function* () {
              const files = yield* FileManager
              const exit = yield* Effect.exit(transaction(files, ops, end, inject))
              if (Exit.isSuccess(exit)) expect(snapshot(root)).toEqual(expectedAfter(before, ops))
              else if (end !== "backend-failure") {
                expect(snapshot(root)).toEqual(sorted(before))
                // No folder left behind either (temp files, created folders).
                expect(folders()).toBe(beforeEntries)
              } else expect(snapshot(root)).toEqual(sorted(before))
              const journals = nodePath.join(root, ".tamma", "journal")
              expect(fs.existsSync(journals) ? fs.readdirSync(journals) : []).toEqual([])
            }).pipe(
              Effect.provide(NodeFiles.layer(root)),
              Effect.ensuring(Effect.sync(() => fs.rmSync(root, { recursive: true, force: true })))
            )
          )
        }),
        { numRuns: 40 }
      )
    )
  )
})
