import { execFileSync } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, References, Schema } from "effect"
import { warmPipelineLayer } from "../../cli/ClusterPipeline.ts"
import { CodeGenerationRequest } from "../../core/domain/Request.ts"
import { GenerationJob, JobOptions, JobRepository } from "../../plugins/cluster/Job.ts"
import { JobPipeline } from "../../plugins/cluster/JobPipeline.ts"

const demo = path.join(import.meta.dirname, "../../examples/demo")

/** The demo's workspace as a committed repository whose own config asks for more than it may. */
const hostileRepository = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), "cluster-pipeline-"))
  cpSync(path.join(demo, "workspace"), dir, { recursive: true })
  renameSync(path.join(dir, "gitignore"), path.join(dir, ".gitignore"))
  writeFileSync(path.join(dir, "tamma.config.json"), JSON.stringify({ maxIterations: 50 }))
  const git = (...args: Array<string>) => execFileSync("git", args, { cwd: dir, stdio: "ignore" })
  git("init", "-q", "-b", "main")
  git("add", "-A")
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "start")
  return dir
}

describe("the worker's pipeline", () => {
  it.live(
    "logs, with the job's id, what the repository's config asked for and was refused, as generate prints it",
    () => {
      const workspace = hostileRepository()
      const warnings: Array<{ message: string; requestId: unknown }> = []
      const capturing = Logger.layer([
        Logger.make(({ logLevel, message, fiber }) => {
          if (logLevel !== "Warn") return
          const annotations = fiber.getRef(References.CurrentLogAnnotations)
          warnings.push({ message: String(message), requestId: annotations.requestId })
        })
      ])
      const request = Schema.decodeUnknownSync(CodeGenerationRequest)(
        JSON.parse(readFileSync(path.join(demo, "requests/01-text-helpers.json"), "utf8"))
      )
      const job = new GenerationJob({
        requestId: "job-1",
        repository: new JobRepository({ url: workspace, baseRef: "main" }),
        request,
        options: new JobOptions({ runTests: false })
      })
      return Effect.gen(function* () {
        const outcome = yield* JobPipeline.use((pipeline) =>
          pipeline.run({
            job,
            workspace,
            branch: "tamma/job-1",
            onProgress: () => Effect.void,
            recordAnswers: (live) => live
          })
        )
        expect(outcome.succeeded).toBe(true)
        const refused = warnings.filter((w) => w.message.includes("maxIterations"))
        expect(refused).toHaveLength(1)
        expect(refused[0]?.requestId).toBe("job-1")
      }).pipe(
        Effect.provide(Layer.mergeAll(warmPipelineLayer, capturing)),
        Effect.ensuring(Effect.sync(() => rmSync(workspace, { recursive: true, force: true })))
      )
    },
    120_000
  )
})
