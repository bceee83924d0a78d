/**
 * The default wiring from plain JavaScript: the preset with every built-in plugin, on a real git
 * workspace (locked while it runs), as a dry run (nothing written). Run: node preset-wiring.mjs WORKSPACE
 */
import { CodeGenerationRequest, CodeGenerator, defaultConfig } from "@tamma/codegen"
import * as NodePipeline from "@tamma/codegen/presets/NodePipeline"
import { Effect, Schema } from "effect"

const workspace = process.argv[2]
if (workspace === undefined) throw new Error("usage: node preset-wiring.mjs WORKSPACE")

const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
  taskType: "implementation",
  language: "typescript",
  template: "typescript/module",
  context: { issue: { number: 2, title: "Add a percentage helper" } },
  parameters: {
    name: "percent",
    functions: [
      {
        name: "percentOf",
        doc: "The share of a total, in percent.",
        params: [
          { name: "part", type: "number" },
          { name: "total", type: "number" }
        ],
        returns: "number",
        body: "return total === 0 ? 0 : (part / total) * 100",
        examples: [{ args: [1, 4], expected: 25 }]
      }
    ]
  },
  options: { dryRun: true, runTests: false }
})

const result = await Effect.runPromise(
  CodeGenerator.use((generator) => generator.generateCode(request)).pipe(
    Effect.provide(NodePipeline.layer(workspace, defaultConfig))
  )
)
for (const file of result.files) console.log(`${file.action} ${file.path} (quality ${file.quality.score})`)
console.log(`status: ${result.status}`)
if (result.status !== "success") process.exitCode = 1
