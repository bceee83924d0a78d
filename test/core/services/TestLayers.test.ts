import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { Template, TemplateManifest } from "../../../core/domain/Template.ts"
import { reportFromCases } from "../../../core/domain/TestReport.ts"
import { Git } from "../../../core/services/Git.ts"
import { TemplateStore } from "../../../core/services/TemplateStore.ts"
import { TestRunner } from "../../../core/services/TestRunner.ts"
import { NunjucksEngine } from "../../../plugins/templates/nunjucks/NunjucksEngine.ts"

const template = (id: string, version: string, source: string, origin: Template["source"] = "user") =>
  new Template({
    manifest: new TemplateManifest({
      id,
      name: id,
      description: "",
      language: "typescript",
      category: "implementation",
      tags: [],
      version,
      parameters: [],
      dependencies: [],
      example: {},
      metadata: {}
    }),
    files: [{ path: "out.ts", source }],
    partials: {},
    source: origin,
    hash: `${id}@${version}:${source}`
  })

describe("Git.layerNoop", () => {
  it.effect("is a clean repository where a commit changes nothing", () =>
    Effect.gen(function* () {
      const git = yield* Git
      expect(yield* git.isRepository).toBe(true)
      expect(yield* git.status).toEqual([])
      expect(yield* git.createBranch("feature/x")).toBe("feature/x")
      expect(yield* git.commit({ files: ["a.ts"], message: "m" })).toBe("0".repeat(40))
      expect(yield* git.currentBranch).toBe("main")
    }).pipe(Effect.provide(Git.layerNoop()))
  )

  it.effect("answers with the overrides a test gives", () =>
    Effect.gen(function* () {
      const git = yield* Git
      expect(yield* git.commit({ files: [], message: "m" })).toBe("abc")
      expect(yield* git.currentBranch).toBe("main")
    }).pipe(Effect.provide(Git.layerNoop({ commit: () => Effect.succeed("abc") })))
  )
})

describe("Git.layerNone", () => {
  it.effect("is no repository, and every operation says so", () =>
    Effect.gen(function* () {
      const git = yield* Git
      expect(yield* git.isRepository).toBe(false)
      expect(Exit.isFailure(yield* Effect.exit(git.commit({ files: ["a.ts"], message: "m" })))).toBe(true)
      const error = yield* Effect.flip(git.createBranch("x"))
      expect(error._tag).toBe("GitError")
      expect(error.message).toContain("not a git repository")
      expect((yield* Effect.flip(git.ensureClean))._tag).toBe("GitError")
    }).pipe(Effect.provide(Git.layerNone))
  )
})

describe("TestRunner.layerNoop", () => {
  it.effect("runs no test and claims no compile check", () =>
    Effect.gen(function* () {
      const runner = yield* TestRunner
      const report = yield* runner.runStaged({ workspace: "/w", language: "typescript", changes: [] })
      expect({ status: report.status, passed: report.passed, failed: report.failed, cases: report.cases }).toEqual({
        status: "passed",
        passed: 0,
        failed: 0,
        cases: []
      })
      const compile = yield* runner.checkStaged({ workspace: "/w", language: "typescript", changes: [] })
      expect(compile.status).toBe("skipped")
    }).pipe(Effect.provide(TestRunner.layerNoop()))
  )

  it.effect("takes overrides", () =>
    Effect.gen(function* () {
      const runner = yield* TestRunner
      const report = yield* runner.run({ workspace: "/w", language: "go" })
      expect(report.framework).toBe("go test")
      expect((yield* runner.runStaged({ workspace: "/w", language: "go", changes: [] })).framework).toBe("none")
    }).pipe(
      Effect.provide(
        TestRunner.layerNoop({
          run: () =>
            Effect.succeed(
              reportFromCases({ framework: "go test", durationMs: 1, command: "go", output: "", cases: [] })
            )
        })
      )
    )
  )
})

describe("TemplateStore.layerMemory", () => {
  const builtin = template("ts/builtin", "1.0.0", "builtin", "builtin")

  it.effect("lists and loads built-ins, and refuses to overwrite them", () =>
    Effect.gen(function* () {
      const store = yield* TemplateStore
      expect((yield* store.list()).map((t) => [t.id, t.source])).toEqual([["ts/builtin", "builtin"]])
      expect(yield* store.list({ language: "python" })).toEqual([])
      expect((yield* store.load("ts/builtin")).hash).toBe(builtin.hash)
      expect((yield* Effect.flip(store.load("ts/builtin", "2.0.0")))._tag).toBe("TemplateNotFoundError")
      expect((yield* Effect.flip(store.load("ts/missing")))._tag).toBe("TemplateNotFoundError")
      const refused = yield* Effect.flip(store.save(template("ts/builtin", "1.0.1", "mine")))
      expect(refused._tag === "TemplateInvalidError" ? refused.problems[0]?.rule : refused._tag).toBe("read-only")
      expect((yield* Effect.flip(store.delete("ts/builtin")))._tag).toBe("TemplateNotFoundError")
    }).pipe(Effect.provide(TemplateStore.layerMemory([builtin])))
  )

  it.effect("versions saved templates: a save is a new version, rollback moves the active one", () =>
    Effect.gen(function* () {
      const store = yield* TemplateStore
      yield* store.save(template("ts/custom", "1.0.0", "one"))
      const second = yield* store.save(template("ts/custom", "1.1.0", "two"))
      expect(second).toMatchObject({ version: "1.1.0", active: true })
      expect((yield* store.load("ts/custom")).files[0]?.source).toBe("two")
      expect((yield* store.load("ts/custom", "1.0.0")).files[0]?.source).toBe("one")
      expect((yield* store.load("ts/custom")).source).toBe("workspace")
      const clash = yield* Effect.flip(store.save(template("ts/custom", "1.0.0", "other")))
      expect(clash._tag === "TemplateInvalidError" ? clash.problems[0]?.rule : clash._tag).toBe("version-exists")

      expect(yield* store.rollback("ts/custom")).toMatchObject({ version: "1.0.0", active: true })
      expect((yield* store.load("ts/custom")).files[0]?.source).toBe("one")
      expect((yield* store.versions("ts/custom")).map((v) => [v.version, v.active])).toEqual([
        ["1.0.0", true],
        ["1.1.0", false]
      ])
      expect((yield* store.list()).map((t) => `${t.id}@${t.version}`)).toEqual(["ts/builtin@1.0.0", "ts/custom@1.0.0"])
      expect((yield* Effect.flip(store.rollback("ts/custom")))._tag).toBe("TemplateNotFoundError")

      yield* store.delete("ts/custom")
      expect((yield* Effect.flip(store.load("ts/custom")))._tag).toBe("TemplateNotFoundError")
    }).pipe(Effect.provide(TemplateStore.layerMemory([builtin])))
  )

  it.effect("checks a save with the TemplateEngine when there is one", () =>
    Effect.gen(function* () {
      const store = yield* TemplateStore
      const error = yield* Effect.flip(store.save(template("ts/unsafe", "1.0.0", "{{ constructor.constructor }}")))
      expect(error._tag).toBe("TemplateInvalidError")
      expect((yield* store.list()).map((t) => t.id)).toEqual([])
    }).pipe(Effect.provide(TemplateStore.layerMemory().pipe(Layer.provideMerge(NunjucksEngine.layer))))
  )
})
