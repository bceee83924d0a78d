/**
 * A share of files loads ESLint (and TypeScript with it, a second of CPU) only when some file of it
 * is to be checked by ESLint: a JSON file, whose pack has no ESLint, beside TypeScript files that
 * ESLint skips (a workspace with no ESLint config) must not load it. Threads are counted in a fresh
 * process, as they start.
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { withCountedThreads } from "../../support/CountedThreads.ts"

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const require = createRequire(import.meta.url)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-check-eslint-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const moduleUrl = (file: string) => JSON.stringify(pathToFileURL(path.join(project, file)).href)

/** The file names of the threads a warm check of `files` starts, ESLint skipped on `skipped`. */
const threadsStarted = (files: ReadonlyArray<string>, skipped: ReadonlyArray<string>): ReadonlyArray<string> => {
  const output = withCountedThreads(
    `const { Effect } = await import(${JSON.stringify(pathToFileURL(require.resolve("effect")).href)})
    const { checkInProcess } = await import(${moduleUrl("cli/handlers/CheckFiles.ts")})
    const { qualityLayer } = await import(${moduleUrl("presets/NodeQuality.ts")})
    const outcomes = await Effect.runPromise(
      checkInProcess(${JSON.stringify(files)}, undefined, 1048576, ${JSON.stringify(skipped)}, true).pipe(
        Effect.provide(qualityLayer)
      )
    )
    if (outcomes.some((outcome) => outcome === null || !("issues" in outcome))) throw new Error("a file was not checked")
    console.log(JSON.stringify(started.map((entry) => entry.split("/").pop())))
    process.exit(0)`
  )
  return JSON.parse(output)
}

describe("checkInProcess", () => {
  const ts = [path.join(dir, "a.ts"), path.join(dir, "b.ts")]
  const json = path.join(dir, "package.json")
  fs.writeFileSync(ts[0] ?? "", "export const a = 1\n")
  fs.writeFileSync(ts[1] ?? "", "export const b = 2\n")
  fs.writeFileSync(json, '{ "name": "app", "version": "1.0.0" }\n')

  it("does not load ESLint for a share whose only files without ESLint skipped are JSON", () => {
    expect(threadsStarted([...ts, json], ts).filter((name) => name.startsWith("EslintWorker"))).toEqual([])
  }, 60_000)

  it("loads ESLint when a file of the share is to be checked by it", () => {
    expect(threadsStarted([...ts, json], [ts[0] ?? ""]).filter((name) => name.startsWith("EslintWorker"))).toHaveLength(
      1
    )
  }, 60_000)
})
