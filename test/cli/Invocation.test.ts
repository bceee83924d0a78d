/**
 * The pieces behind the CLI's truthfulness, without a process: where a command was run from,
 * when a request is not JSON, what `--json` prints when a command ends without its document.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Exit from "effect/Exit"
import { describe, expect, it } from "vitest"
import { UsageError } from "../../cli/CliErrors.ts"
import { jsonSyntaxProblem } from "../../cli/Input.ts"
import { invocationDir, isInsidePackage, packageRoot } from "../../cli/Invocation.ts"
import { errorsOf, failureDocument, wantsJson } from "../../cli/JsonOutput.ts"
import { LanguageNotSupportedError } from "../../core/errors.ts"

describe("invocationDir", () => {
  const root = packageRoot
  const user = fs.realpathSync(os.tmpdir())

  it("is INIT_CWD when the command was started in the package's own folder (npm run)", () => {
    expect(invocationDir({ INIT_CWD: user }, root, root)).toBe(user)
  })

  it("is the current folder elsewhere, whatever INIT_CWD says (installed, or another project's script)", () => {
    expect(invocationDir({ INIT_CWD: root }, user, root)).toBe(user)
    expect(invocationDir({}, user, root)).toBe(user)
  })

  it("ignores an empty or relative INIT_CWD", () => {
    expect(invocationDir({ INIT_CWD: "" }, root, root)).toBe(root)
    expect(invocationDir({ INIT_CWD: "somewhere" }, root, root)).toBe(root)
  })
})

describe("isInsidePackage", () => {
  it("is true for the package's folder and the folders inside it, false elsewhere", () => {
    expect(isInsidePackage(packageRoot)).toBe(true)
    expect(isInsidePackage(path.join(packageRoot, "examples", "demo", "workspace"))).toBe(true)
    expect(isInsidePackage(os.tmpdir())).toBe(false)
    expect(isInsidePackage(`${packageRoot}-sibling`)).toBe(false)
  })
})

describe("jsonSyntaxProblem", () => {
  it("names the line and column where the text stops being JSON", () => {
    expect(jsonSyntaxProblem('{\n  "a": 1\n  "b": 2\n}')).toBe(
      "line 3, column 3: Expected ',' or '}' after property value"
    )
    expect(jsonSyntaxProblem('{"a": 1,}')).toBe("line 1, column 9: Expected double-quoted property name")
  })

  it("finds the position V8 does not give for an unexpected token, and never quotes the text", () => {
    const problem = jsonSyntaxProblem('{\n  "a": x\n}')
    expect(problem).toBe("line 2, column 8: Unexpected token 'x'")
    expect(jsonSyntaxProblem("[1,]")).toBe("line 1, column 4: Unexpected token ']'")
  })

  it("puts a text that ends too early at its end", () => {
    expect(jsonSyntaxProblem('{\n  "a":')).toBe("line 2, column 7: Unexpected end of JSON input")
    expect(jsonSyntaxProblem("")).toBe("line 1, column 1: Unexpected end of JSON input")
  })

  it("says nothing of valid JSON", () => {
    expect(jsonSyntaxProblem('{ "a": [1, 2] }')).toBeUndefined()
  })
})

describe("the --json document of a command that printed none", () => {
  it("wantsJson sees --json before any --", () => {
    expect(wantsJson(["generate", "--json"])).toBe(true)
    expect(wantsJson(["generate", "--json=true"])).toBe(true)
    expect(wantsJson(["generate"])).toBe(false)
    expect(wantsJson(["format", "--", "--json"])).toBe(false)
  })

  it("a typed error keeps its tag and message", () => {
    const exit = Exit.fail(new LanguageNotSupportedError({ language: "cobol" }))
    expect(failureDocument(exit, 2)).toEqual({
      status: "failed",
      errors: [{ tag: "LanguageNotSupportedError", message: "No language pack handles cobol" }]
    })
    expect(errorsOf(Exit.fail(new UsageError({ detail: "not a run id: ../x" })))).toEqual([
      { tag: "UsageError", message: "not a run id: ../x" }
    ])
  })

  it("an interruption and a success (help, version) have documents too", () => {
    expect(failureDocument(Exit.interrupt(1), 130)).toEqual({
      status: "failed",
      errors: [{ tag: "Interrupted", message: "interrupted: what the run had written was rolled back" }]
    })
    expect(failureDocument(Exit.void, 0)).toEqual({ status: "success", errors: [] })
  })
})
