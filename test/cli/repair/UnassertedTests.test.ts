/**
 * A model's change is verified only by tests that assert: through the CLI against a scripted
 * model, a test that only calls the code is sent back to the model by name and line, a model
 * that never writes an assertion ends failed with nothing written, and a change with no test
 * file is asked for one.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { type ScriptEntry, serveScript } from "../../../examples/scripted-model/ScriptedModel.ts"
import { commitAll, git, runCli, scratchFolders, writeTree } from "../support/CliProcess.ts"
import { type LanguageCase, languages, scriptedGenerateArgs } from "./Languages.ts"

const scratch = scratchFolders()

interface RunJson {
  readonly status: string
  readonly errors: ReadonlyArray<{ readonly tag: string; readonly message: string }>
  readonly iterations: ReadonlyArray<{ readonly outcome: string }>
  readonly commit?: { readonly branch: string }
}

const languageCase = (language: string): LanguageCase => {
  const found = languages.find((lang) => lang.language === language)
  if (found === undefined) throw new Error(`the ${language} case is missing`)
  return found
}

/** A template of the workspace's own that writes the module and no tests (the built-in ones write both). */
const sourceOnly: Readonly<Record<string, string>> = {
  "templates/typescript/implementation/source-only/template.json": JSON.stringify({
    id: "typescript/source-only",
    name: "TypeScript module alone",
    description: "A module in src/, without tests",
    language: "typescript",
    category: "implementation",
    version: "1.0.0",
    parameters: [
      { name: "name", type: "string", required: true, description: "Module name" },
      { name: "functions", type: "array", required: true, description: "Functions" },
      { name: "withTests", type: "boolean", default: true, description: "Also write tests" }
    ]
  }),
  "templates/typescript/implementation/source-only/files/src/{{ name }}.ts.njk": "export {}\n"
}

const repository = (lang: LanguageCase, templates: Readonly<Record<string, string>> = {}): string => {
  const dir = writeTree(scratch.tempDir("tamma-unasserted-"), {
    ...lang.workspace,
    ...templates,
    "tamma.config.json": JSON.stringify({
      provider: { name: "openai-compatible", split: "whole", maxRetries: 0, concurrency: 1 },
      ...(Object.keys(templates).length === 0 ? {} : { templateDirs: ["templates"] })
    })
  })
  commitAll(dir)
  return dir
}

/** Runs `generate` for the `clamp` module with the scripted model, and reads its JSON result. */
const generate = async (
  lang: LanguageCase,
  workspace: string,
  script: ReadonlyArray<ScriptEntry>,
  template = `${lang.language}/module`,
  maxIterations?: number
) => {
  const model = await serveScript(script)
  scratch.onCleanup(() => model.close())
  const requestFile = path.join(workspace, "..", `${path.basename(workspace)}-request.json`)
  fs.writeFileSync(
    requestFile,
    JSON.stringify({
      taskType: "implementation",
      language: lang.language,
      template,
      context: { issue: { number: 7, title: "Add clamp", acceptanceCriteria: ["clamp(15, 0, 10) is 10"] } },
      requirements: { functionality: ["limit a number to a range"] },
      parameters: { name: "clamp", functions: lang.functions, withTests: true },
      ...(maxIterations === undefined ? {} : { options: { maxIterations } })
    })
  )
  scratch.onCleanup(() => fs.rmSync(requestFile, { force: true }))
  const result = await runCli(scriptedGenerateArgs(requestFile, workspace, model.url))
  const json = JSON.parse(result.stdout) as RunJson
  return { status: result.status, stderr: result.stderr, json, model }
}

const fenced = (file: string, content: string) => `### ${file}\n\`\`\`\n${content}\`\`\`\n`
const review = { when: "You review a code change", text: '```json\n{"findings": []}\n```' }

/** The request of the first repair round: the last message the model was sent with it. */
const repairRequest = (model: { readonly requests: ReadonlyArray<ReadonlyArray<{ readonly content: string }>> }) =>
  model.requests.find((messages) => messages.some((m) => m.content.includes("# Repair:")))?.at(-1)?.content ?? ""

const snapshot = (workspace: string) => ({
  head: git(workspace, "rev-parse", "HEAD"),
  branches: git(workspace, "branch", "--format=%(refname:short)"),
  status: git(workspace, "status", "--porcelain")
})

/** Each language's passing test file with its second test's assertion taken out: it only calls `clamp`. */
const cases = [
  {
    language: "typescript",
    assertion: "expect(clamp(15, 0, 10)).toBe(10)",
    call: "clamp(15, 0, 10)",
    caught: "limits a value above the range (test/clamp.test.ts:8) asserts nothing"
  },
  {
    language: "python",
    assertion: "assert clamp(15, 0, 10) == 10",
    call: "clamp(15, 0, 10)",
    caught: "test_limits_a_value_above_the_range (tests/test_clamp.py:10) asserts nothing"
  }
]

describe.each(cases)("a model's $language tests that assert nothing", (c) => {
  const lang = languageCase(c.language)
  const hollow = lang.test.replace(c.assertion, c.call)

  it("are sent back to the model by name and line, and its tests that assert are committed", async () => {
    expect(hollow).not.toBe(lang.test)
    const workspace = repository(lang)
    const { status, json, model } = await generate(lang, workspace, [
      { when: "# Task:", text: `${fenced(lang.sourcePath, lang.source)}\n${fenced(lang.testPath, hollow)}` },
      { when: "# Repair:", text: fenced(lang.testPath, lang.test) },
      review
    ])
    expect(json.errors).toEqual([])
    expect(status).toBe(0)
    expect(json.status).toBe("success")
    expect(json.iterations.map((i) => i.outcome)).toEqual(["tests-failed", "passed"])
    expect(repairRequest(model)).toContain(`test: ${c.caught}`)
    const branch = json.commit?.branch ?? ""
    expect(git(workspace, "show", `${branch}:${lang.testPath}`)).toContain(c.assertion)
    expect(git(workspace, "status", "--porcelain")).toBe("")
  })

  it("end the run failed with nothing written when the model never makes them assert", async () => {
    const workspace = repository(lang)
    const before = snapshot(workspace)
    const answer = `${fenced(lang.sourcePath, lang.source)}\n${fenced(lang.testPath, hollow)}`
    // Two rounds are the run's limit here: the first answer and one repair.
    const { status, json, stderr } = await generate(
      lang,
      workspace,
      [
        { when: "# Task:", text: answer },
        { when: "# Repair:", text: answer }
      ],
      undefined,
      2
    )
    expect(status).toBe(1)
    expect(json.status).toBe("failed")
    expect(json.errors[0]?.tag).toBe("TestsFailedError")
    expect(json.errors[0]?.message).toContain(c.caught)
    expect(json.iterations.map((i) => i.outcome)).toEqual(["tests-failed", "tests-failed"])
    // The runner's own verdict was a pass: the step says why it failed anyway.
    expect(stderr).toMatch(/2 passed, 0 failed, 0 skipped, 1 assert nothing/)
    expect(snapshot(workspace)).toEqual(before)
  })
})

describe("a model's implementation with no test file", () => {
  it("is asked for tests, and commits once they come", async () => {
    const lang = languageCase("typescript")
    const workspace = repository(lang, sourceOnly)
    const { status, json, model } = await generate(
      lang,
      workspace,
      [
        { when: "# Task:", text: fenced(lang.sourcePath, lang.source) },
        { when: "# Repair:", text: fenced(lang.testPath, lang.test) },
        review
      ],
      "typescript/source-only"
    )
    expect(json.errors).toEqual([])
    expect(status).toBe(0)
    expect(json.iterations.map((i) => i.outcome)).toEqual(["tests-failed", "passed"])
    expect(repairRequest(model)).toContain("test: no test file in the change")
    expect(git(workspace, "show", `${json.commit?.branch}:${lang.testPath}`)).toBe(lang.test.trimEnd())
  })
})
