/**
 * One task through the engine with the CLI's own wiring: a scratch repository, the pipeline with
 * the task's cassette, and the acceptance check in the committed tree. A run that succeeds is not
 * enough: the check decides.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect, Schema } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { CodeGenConfig } from "../../../core/domain/Config.ts"
import { loadTask } from "../../../plugins/eval/EvalTask.ts"
import { runTask, type Wiring } from "../../../plugins/eval/TaskRun.ts"
import * as NodePipeline from "../../../presets/NodePipeline.ts"

const folders: Array<string> = []
afterAll(() => Promise.all(folders.map((dir) => fs.rm(dir, { recursive: true, force: true }))))

const config = Schema.decodeUnknownSync(CodeGenConfig)({ provider: { name: "openai-compatible", split: "whole" } })
const wiring: Wiring = {
  pipelineLayer: (workspace, config, onProgress, ai) =>
    NodePipeline.layerUnlocked(workspace, config, { onProgress, ai }),
  aiLayer: NodePipeline.aiLayer,
  loadConfig: () => Effect.succeed(config)
}

const source = (rounding: string) =>
  `/** Applies a percentage discount to a price in cents, rounding half up. */\nexport function applyDiscount(cents: number, percent: number): number {\n  return ${rounding}((cents * (100 - percent)) / 100)\n}\n`

/** A TypeScript task whose model fixes `Math.floor` with `fix`; the check asks for 997 at 15% off = 847. */
const writeTask = async (fix: string) => {
  const dir = await fs.mkdtemp(nodePath.join(os.tmpdir(), "tamma-eval-task-"))
  folders.push(dir)
  const files: Record<string, string> = {
    "task.json": JSON.stringify({
      id: "price-fix",
      language: "typescript",
      kind: "bug-fix",
      check: [
        {
          argv: [
            "{node}",
            "-e",
            "import('./src/price.ts').then((m) => process.exit(m.applyDiscount(997, 15) === 847 ? 0 : 1))"
          ],
          timeoutMs: 60_000
        }
      ]
    }),
    "request.json": JSON.stringify({
      taskType: "implementation",
      language: "typescript",
      template: "typescript/module",
      context: { issue: { title: "applyDiscount rounds half a cent down" } },
      parameters: {
        name: "price",
        withTests: true,
        functions: [
          {
            name: "applyDiscount",
            params: [
              { name: "cents", type: "number" },
              { name: "percent", type: "number" }
            ],
            returns: "number",
            body: "return 0",
            examples: [{ args: [999, 50], expected: 500 }]
          }
        ]
      }
    }),
    "cassette.jsonl": [
      {
        when: "# Task:",
        response: {
          text: `src/price.ts\n<<<<<<< SEARCH\n  return Math.floor((cents * (100 - percent)) / 100)\n=======\n  return ${fix}((cents * (100 - percent)) / 100)\n>>>>>>> REPLACE\n`
        }
      },
      { when: "You review a code change", response: { text: '```json\n{"findings": []}\n```' } }
    ]
      .map((entry) => JSON.stringify(entry))
      .join("\n"),
    "workspace/package.json": JSON.stringify({
      name: "t",
      private: true,
      type: "module",
      devDependencies: { vitest: "^5.1.1" }
    }),
    "workspace/src/price.ts": source("Math.floor"),
    "workspace/test/price.test.ts":
      'import { expect, it } from "vitest"\nimport { applyDiscount } from "../src/price"\n\nit("rounds half a cent up", () => {\n  expect(applyDiscount(999, 50)).toBe(500)\n})\n'
  }
  for (const [file, content] of Object.entries(files)) {
    await fs.mkdir(nodePath.dirname(nodePath.join(dir, file)), { recursive: true })
    await fs.writeFile(nodePath.join(dir, file), content)
  }
  return dir
}

const run = (dir: string) =>
  Effect.runPromise(
    Effect.flatMap(loadTask(dir), (task) => runTask(task, wiring, { mode: undefined, prices: {} })).pipe(
      Effect.provide(NodeServices.layer)
    )
  )

describe("an evaluated task", () => {
  it("passes when the run succeeds and its check passes in the committed tree", { timeout: 180_000 }, async () => {
    const report = await run(await writeTask("Math.round"))
    expect(report.errors).toEqual([])
    expect(report.outcome).toBe("success")
    expect(report.check.status).toBe("passed")
    expect(report.passed).toBe(true)
    expect(report.calls).toBe(2)
    expect(report.untouched).toBe(false)
    expect(report.diff).toContain("+  return Math.round(")
    expect(report.checksMs).toBeGreaterThan(0)
    expect(report.overheadMs + report.checksMs + report.check.durationMs).toBeLessThanOrEqual(report.wallMs)
  })

  it("fails when the run succeeds but the acceptance check does not", { timeout: 180_000 }, async () => {
    const report = await run(await writeTask("Math.ceil"))
    expect(report.outcome).toBe("success")
    expect(report.check.status).toBe("failed")
    expect(report.passed).toBe(false)
    expect(report.verdict).toContain("the check failed")
  })
})
