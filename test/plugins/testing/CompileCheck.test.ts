/**
 * The compile check of a staged change against the real compilers: errors of the change with
 * file and line, errors the workspace already had not blamed on it, and a compiler that is not
 * installed skipping the check instead of claiming anything.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { NodeServices } from "@effect/platform-node"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import type { StagedChange } from "../../../core/services/FileManager.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { TestRunner } from "../../../core/services/TestRunner.ts"
import { Go } from "../../../plugins/languages/go/Go.ts"
import { Java } from "../../../plugins/languages/java/Java.ts"
import { TypeScript } from "../../../plugins/languages/typescript/TypeScript.ts"
import { ProcessTestRunner } from "../../../plugins/testing/ProcessTestRunner.ts"

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "testing")
const folders: Array<string> = []

afterEach(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const copyFixture = (name: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tamma-compile-${name}-`))
  folders.push(dir)
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true })
  return dir
}

const registry = Layer.mergeAll(TypeScript.layer, Java.layer, Go.layer).pipe(Layer.provideMerge(LanguageRegistry.layer))
const runner = ProcessTestRunner.layer().pipe(Layer.provide(Layer.mergeAll(NodeServices.layer, registry)))

const check = (workspace: string, language: string, changes: ReadonlyArray<StagedChange>) =>
  TestRunner.use((tests) => tests.checkStaged({ workspace, language, changes, timeoutMs: 170_000 })).pipe(
    Effect.provide(runner)
  )

const modified = (workspace: string, file: string, from: string, to: string): StagedChange => {
  const before = fs.readFileSync(path.join(workspace, file), "utf8")
  return { path: file, before, after: before.replace(from, to) }
}

describe("TestRunner.checkStaged", () => {
  it.effect(
    "a Maven project's change is compiled by Maven, its error reported at the change's file and line",
    () =>
      Effect.gen(function* () {
        const workspace = copyFixture("java-maven")
        const file = "src/main/java/calc/Calc.java"
        const report = yield* check(workspace, "java", [modified(workspace, file, "return a + b;", "return a + c;")])
        expect(report.status).toBe("failed")
        expect(report.command).toContain("mvn")
        expect(report.diagnostics.map((d) => [d.file, d.line])).toEqual([[file, 9]])
        expect(report.diagnostics[0]?.message).toContain("cannot find symbol")
      }),
    180_000
  )

  it.effect("errors the workspace had before the change are not the change's", () =>
    Effect.gen(function* () {
      const workspace = copyFixture("typescript")
      fs.writeFileSync(path.join(workspace, "src", "old.ts"), "export const broken: number = 'text'\n")
      fs.writeFileSync(
        path.join(workspace, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, types: [] },
          include: ["src"]
        })
      )
      const added: StagedChange = { path: "src/fine.ts", before: undefined, after: "export const fine = 1\n" }
      const report = yield* check(workspace, "typescript", [added])
      expect(report.status).toBe("skipped")
      expect(report.output).toContain("without the change too")
      const broken: StagedChange = { path: "src/bad.ts", before: undefined, after: "export const bad: string = 2\n" }
      const blamed = yield* check(workspace, "typescript", [broken])
      expect(blamed.status).toBe("failed")
      expect(blamed.diagnostics.map((d) => [d.file, d.line])).toEqual([["src/bad.ts", 1]])
    })
  )

  it.effect("a file the compiler names by its path in the sandbox is named as in the workspace", () =>
    Effect.gen(function* () {
      const workspace = copyFixture("typescript")
      fs.writeFileSync(
        path.join(workspace, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, files: ["src/calc.ts"] })
      )
      const referenced = yield* check(workspace, "typescript", [
        modified(workspace, "src/calc.ts", "export", '/// <reference path="./gone.ts" />\nexport')
      ])
      expect(referenced.status).toBe("failed")
      expect(referenced.diagnostics.map((d) => [d.file, d.message])).toEqual([
        ["src/calc.ts", "TS6053: File 'src/gone.ts' not found."]
      ])
      // The same error without the change, in another sandbox, is the same error: not the change's.
      fs.writeFileSync(
        path.join(workspace, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, types: [] },
          files: ["src/calc.ts", "src/gone.ts"]
        })
      )
      const before = yield* check(workspace, "typescript", [modified(workspace, "src/calc.ts", "a + b", "a - b")])
      expect(before.status).toBe("skipped")
      expect(before.output).toContain("without the change too")
    })
  )

  it.effect("a compiler that is not installed skips the check and says so", () =>
    Effect.gen(function* () {
      const workspace = copyFixture("go")
      const saved = process.env.PATH
      process.env.PATH = path.dirname(process.execPath)
      const report = yield* check(workspace, "go", [modified(workspace, "calc.go", "a + b", "a + c")]).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            process.env.PATH = saved
          })
        )
      )
      expect(report.status).toBe("skipped")
      expect(report.output).toBe("go is not installed")
      expect(report.diagnostics).toEqual([])
    })
  )
})
