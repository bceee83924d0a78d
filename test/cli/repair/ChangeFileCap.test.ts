/**
 * The cap on the files of a change holds across repair rounds: each answer under the cap, the
 * change they make together over it, against a scripted model on 127.0.0.1 through the CLI.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { serveScript } from "../../../examples/scripted-model/ScriptedModel.ts"
import { maxChangeFiles } from "../../../plugins/generators/ai/AnswerFiles.ts"
import { commitAll, git, runCli, scratchFolders, writeTree } from "../support/CliProcess.ts"
import { languages, scriptedGenerateArgs } from "./Languages.ts"

const scratch = scratchFolders()
const fenced = (file: string, content: string) => `### ${file}\n\`\`\`\n${content}\`\`\`\n`
/** `count` new files of one line each, under `folder`. */
const newFiles = (folder: string, count: number) =>
  Array.from({ length: count }, (_, i) => fenced(`src/${folder}/n${i}.ts`, `export const n${i} = ${i}\n`)).join("\n")

describe("a change's file cap across repair rounds", () => {
  it("two answers of 150 new files each: the repair is refused, the run fails, nothing is written", async () => {
    const lang = languages.find((one) => one.language === "typescript")
    if (lang === undefined) throw new Error("no typescript case")
    expect(maxChangeFiles).toBeLessThan(300)
    const workspace = writeTree(scratch.tempDir("tamma-cap-"), {
      ...lang.workspace,
      "tamma.config.json": JSON.stringify({ provider: { name: "openai-compatible", split: "whole", maxRetries: 0 } })
    })
    commitAll(workspace)
    const before = { head: git(workspace, "rev-parse", "HEAD"), branches: git(workspace, "branch") }
    const model = await serveScript([
      {
        when: "# Task:",
        text: `${fenced(lang.sourcePath, lang.brokenSource)}\n${fenced(lang.testPath, lang.test)}\n${newFiles("a", 148)}`
      },
      { when: "# Repair:", text: `${fenced(lang.sourcePath, lang.source)}\n${newFiles("b", 149)}` },
      { when: "You review a code change", text: '```json\n{"findings": []}\n```' }
    ])
    scratch.onCleanup(() => model.close())
    const requestFile = path.join(scratch.tempDir("tamma-cap-request-"), "request.json")
    fs.writeFileSync(
      requestFile,
      JSON.stringify({
        taskType: "implementation",
        language: lang.language,
        template: `${lang.language}/module`,
        context: { issue: { number: 7, title: "Add clamp", acceptanceCriteria: ["clamp(15, 0, 10) is 10"] } },
        requirements: { functionality: ["limit a number to a range"] },
        parameters: { name: "clamp", functions: lang.functions, withTests: true }
      })
    )
    const run = await runCli(scriptedGenerateArgs(requestFile, workspace, model.url))
    expect(run.status).toBe(1)
    expect(JSON.parse(run.stdout).status).toBe("failed")
    expect(run.stdout).toContain(`more than the ${maxChangeFiles} files one change may hold`)
    expect({ head: git(workspace, "rev-parse", "HEAD"), branches: git(workspace, "branch") }).toEqual(before)
    expect(git(workspace, "status", "--porcelain")).toBe("")
  }, 180_000)
})
