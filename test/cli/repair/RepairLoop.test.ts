/**
 * Model-backed runs through the CLI against a scripted model on 127.0.0.1, in every language:
 * a failing test and a second answer that fixes it, an answer that does not compile and one that
 * does, edits that never apply, an answer that changes nothing, and a prose answer for one file
 * of a change asked file by file. Each asserts the exit code, the result, and the tree with git.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { type ScriptEntry, serveScript } from "../../../examples/scripted-model/ScriptedModel.ts"
import { commitAll, git, runCli, scratchFolders, writeTree } from "../support/CliProcess.ts"
import { type LanguageCase, languages, scriptedGenerateArgs } from "./Languages.ts"

const scratch = scratchFolders()

/** A git repository holding `files`, committed on main. */
const repository = (files: Readonly<Record<string, string>>, config: unknown): string => {
  const dir = writeTree(scratch.tempDir("tamma-repair-"), { ...files, "tamma.config.json": JSON.stringify(config) })
  commitAll(dir)
  return dir
}

interface RunResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly json: {
    readonly status: string
    readonly errors: ReadonlyArray<{ readonly tag: string; readonly message: string }>
    readonly iterations: ReadonlyArray<{
      readonly index: number
      readonly outcome: string
      readonly reason: string
      readonly calls: number
    }>
    readonly files: ReadonlyArray<{ readonly path: string; readonly action: string }>
    readonly commit?: { readonly branch: string; readonly sha: string }
  }
}

/** Runs `generate` on `workspace` with the scripted model, and reads its JSON result. */
const generate = async (
  lang: LanguageCase,
  workspace: string,
  script: ReadonlyArray<ScriptEntry>,
  withTests = true,
  template = `${lang.language}/module`
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
      context: {
        issue: {
          number: 7,
          title: "Add clamp",
          acceptanceCriteria: ["clamp(15, 0, 10) is 10", "clamp(5, 0, 10) is 5"]
        }
      },
      requirements: { functionality: ["limit a number to a range"] },
      parameters: { name: "clamp", functions: lang.functions, withTests }
    })
  )
  scratch.onCleanup(() => fs.rmSync(requestFile, { force: true }))
  const args = scriptedGenerateArgs(requestFile, workspace, model.url)
  const result = await runCli(args)
  const json = JSON.parse(result.stdout) as RunResult["json"]
  return { run: { ...result, json }, model }
}

const fenced = (file: string, content: string) => `### ${file}\n\`\`\`\n${content}\`\`\`\n`
const searchReplace = (file: string, search: string, replace: string) =>
  `${file}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`
const review = { when: "You review a code change", text: '```json\n{"findings": []}\n```' }

/** The tree of the workspace's HEAD, its branches and whether its work tree is clean. */
const snapshot = (workspace: string) => ({
  head: git(workspace, "rev-parse", "HEAD"),
  branches: git(workspace, "branch", "--format=%(refname:short)"),
  status: git(workspace, "status", "--porcelain")
})

const config = (split: "whole" | "per-file") => ({
  provider: { name: "openai-compatible", split, maxRetries: 0, concurrency: 1 }
})

describe.each(languages)("a model-backed run in $language", (lang) => {
  it("repairs a failing test with a second answer and commits the change whole", async () => {
    const workspace = repository(lang.workspace, config("whole"))
    const failing = lang.test.replace(lang.assertion.right, lang.assertion.wrong)
    expect(failing).not.toBe(lang.test)
    const { run, model } = await generate(lang, workspace, [
      {
        when: "# Task:",
        text: `Here it is.\n\n${fenced(lang.sourcePath, lang.source)}\n${fenced(lang.testPath, failing)}`
      },
      { when: "# Repair:", text: searchReplace(lang.testPath, lang.assertion.wrong, lang.assertion.right) },
      review
    ])
    expect(run.json.errors).toEqual([])
    expect(run.status).toBe(0)
    expect(run.json.status).toBe("success")
    expect(run.json.iterations.map((i) => i.outcome)).toEqual(["tests-failed", "passed"])
    // The repair message carried the failing test.
    const repair = model.requests.find((messages) => messages.some((m) => m.content.includes("# Repair:")))
    expect(repair?.at(-1)?.content).toContain("test: ")
    const branch = run.json.commit?.branch ?? ""
    expect(git(workspace, "show", `${branch}:${lang.testPath}`)).toContain(lang.assertion.right.split("\n")[0])
    expect(git(workspace, "show", `${branch}:${lang.sourcePath}`)).toContain("lamp")
    expect(git(workspace, "status", "--porcelain")).toBe("")
  })

  it("repairs a change that does not compile", async () => {
    const workspace = repository(lang.workspace, config("whole"))
    const { run, model } = await generate(lang, workspace, [
      { when: "# Task:", text: `${fenced(lang.sourcePath, lang.brokenSource)}\n${fenced(lang.testPath, lang.test)}` },
      { when: "# Repair:", text: fenced(lang.sourcePath, lang.source) },
      review
    ])
    expect(run.json.errors).toEqual([])
    expect(run.status).toBe(0)
    expect(run.json.iterations.map((i) => i.outcome)).toEqual(["compile-failed", "passed"])
    const repair = model.requests.find((messages) => messages.some((m) => m.content.includes("# Repair:")))
    expect(repair?.at(-1)?.content).toContain(`compile: ${lang.sourcePath}`)
    // The second answer's source, as the formatter lays it out: the broken `limit` is gone.
    const committed = git(workspace, "show", `${run.json.commit?.branch}:${lang.sourcePath}`)
    expect(committed).toContain("lamp")
    expect(committed).not.toMatch(/\blimit\b/)
  })

  it("ends failed with nothing written when the edits never apply", async () => {
    const workspace = repository({ ...lang.workspace, [lang.sourcePath]: lang.source }, config("whole"))
    const before = snapshot(workspace)
    const wrong = searchReplace(lang.sourcePath, "this line is not in the file", "nor is this one")
    const { run } = await generate(
      lang,
      workspace,
      [
        { when: "# Task:", text: wrong },
        { when: "# Repair:", text: wrong },
        { when: "# Repair:", text: wrong }
      ],
      false
    )
    expect(run.status).toBe(1)
    expect(run.json.status).toBe("failed")
    expect(run.json.errors[0]?.tag).toBe("EditFailedError")
    expect(run.json.iterations).toHaveLength(3)
    expect(snapshot(workspace)).toEqual(before)
  })

  it("ends failed with NoChangeError when the answer changes nothing", async () => {
    const workspace = repository({ ...lang.workspace, [lang.sourcePath]: lang.source }, config("whole"))
    const before = snapshot(workspace)
    const prose = "The file already does what the issue asks; it needs no change."
    const { run } = await generate(
      lang,
      workspace,
      [
        { when: "# Task:", text: prose },
        { when: "# Repair:", text: prose },
        { when: "# Repair:", text: prose }
      ],
      false
    )
    expect(run.status).toBe(1)
    expect(run.json.errors[0]?.tag).toBe("NoChangeError")
    expect(snapshot(workspace)).toEqual(before)
  })

  it("takes a prose answer for one file of a change asked file by file as no change to it", async () => {
    const own = lang.twoFileTemplate
    const templates = Object.fromEntries(
      Object.entries(own?.files ?? {}).map(([file, content]) => [`templates/${file}`, content])
    )
    const workspace = repository(
      { ...lang.workspace, ...templates, [lang.sourcePath]: lang.source },
      { ...config("per-file"), ...(own === undefined ? {} : { templateDirs: ["templates"] }) }
    )
    const { run } = await generate(
      lang,
      workspace,
      [
        { when: `Answer with ${lang.sourcePath} only`, text: "This file needs no change." },
        { when: `Answer with ${lang.testPath} only`, text: fenced(lang.testPath, lang.test) },
        review
      ],
      true,
      own?.id
    )
    expect(run.json.errors).toEqual([])
    expect(run.status).toBe(0)
    expect(run.json.files.map((f) => [f.path, f.action])).toEqual([[lang.testPath, "create"]])
    expect(git(workspace, "show", `${run.json.commit?.branch}:${lang.sourcePath}`)).toBe(lang.source.trimEnd())
  })
})

describe("the forms a model's answer takes", () => {
  const typescript = languages.find((lang) => lang.language === "typescript")
  if (typescript === undefined) throw new Error("the TypeScript case is missing")
  const lang = typescript

  it("an answer cut off at the token limit is continued, and the continuation completes the change", async () => {
    const workspace = repository(lang.workspace, config("whole"))
    const whole = `${fenced(lang.sourcePath, lang.source)}\n${fenced(lang.testPath, lang.test)}`
    const cut = whole.indexOf("describe(")
    const { run, model } = await generate(lang, workspace, [
      { when: "# Task:", text: whole.slice(0, cut), finish: "length" },
      { when: "was cut off", text: whole.slice(cut) },
      review
    ])
    expect(run.json.errors).toEqual([])
    expect(run.status).toBe(0)
    expect(run.json.iterations.map((i) => [i.outcome, i.calls])).toEqual([["passed", 2]])
    expect(model.requests).toHaveLength(3)
    expect(git(workspace, "show", `${run.json.commit?.branch}:${lang.testPath}`)).toBe(lang.test.trimEnd())
  })

  it("a repair given as a unified diff is applied to the change as it stands", async () => {
    const workspace = repository(lang.workspace, config("whole"))
    const failing = lang.test.replace(lang.assertion.right, lang.assertion.wrong)
    const diff = [
      `--- a/${lang.testPath}`,
      `+++ b/${lang.testPath}`,
      "@@ -8,3 +8,3 @@",
      '   it("limits a value above the range", () => {',
      `-    ${lang.assertion.wrong}`,
      `+    ${lang.assertion.right}`,
      "   })",
      ""
    ].join("\n")
    const { run } = await generate(lang, workspace, [
      { when: "# Task:", text: `${fenced(lang.sourcePath, lang.source)}\n${fenced(lang.testPath, failing)}` },
      { when: "# Repair:", text: `The test expected the wrong bound.\n\n\`\`\`diff\n${diff}\`\`\`\n` },
      review
    ])
    expect(run.json.errors).toEqual([])
    expect(run.json.iterations.map((i) => i.outcome)).toEqual(["tests-failed", "passed"])
    expect(git(workspace, "show", `${run.json.commit?.branch}:${lang.testPath}`)).toBe(lang.test.trimEnd())
  })
})

describe("tests that a model writes prove something only when one of them passes", () => {
  // The same file for every answer: tests that never run, as a model may write them.
  const idle: ReadonlyArray<{ readonly language: string; readonly test: string; readonly ran: RegExp }> = [
    {
      language: "typescript",
      test: 'import { describe, it } from "vitest"\n\ndescribe("clamp", () => {\n  it.skip("keeps a value in range", () => {})\n})\n',
      ran: /0 passed, 0 failed, 1 skipped/
    },
    { language: "go", test: "package app\n\nfunc helper() int { return Clamp(1, 0, 2) }\n", ran: /0 passed/ }
  ]
  it.each(idle)("$language: tests that all skip, or hold no test, fail the run with nothing written", async (c) => {
    const lang = languages.find((l) => l.language === c.language)
    if (lang === undefined) throw new Error(`the ${c.language} case is missing`)
    const workspace = repository(lang.workspace, config("whole"))
    const before = snapshot(workspace)
    const answer = `${fenced(lang.sourcePath, lang.source)}\n${fenced(lang.testPath, c.test)}`
    const { run } = await generate(lang, workspace, [
      { when: "# Task:", text: answer },
      { when: "# Repair:", text: answer },
      { when: "# Repair:", text: answer }
    ])
    expect(run.status).toBe(1)
    expect(run.json.status).toBe("failed")
    expect(run.json.errors[0]?.tag).toBe("TestsFailedError")
    expect(run.json.errors[0]?.message).toContain("no test passed")
    expect(run.json.iterations.map((i) => i.outcome)).toEqual(["tests-failed", "tests-failed", "tests-failed"])
    expect(run.stderr).toMatch(c.ran)
    expect(snapshot(workspace)).toEqual(before)
  })
})
