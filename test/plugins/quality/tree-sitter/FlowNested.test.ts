/**
 * A function's own assignments are read apart from those of the functions nested in it: a
 * callback's local of the same name does not taint (or clean) the outer one, before, between or
 * after sibling callbacks.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { typescript } from "../../../../plugins/languages/typescript/SecurityRules.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"

const sinksIn = (code: string) =>
  Effect.map(RuleEngine.make(typescript, "javascript").check(code, "handler.js"), (issues) =>
    issues
      .filter((issue) => issue.flow !== undefined)
      .map((issue) => [issue.sink, issue.flow?.map((step) => step.line)])
  )

describe("flow beside nested functions", () => {
  it.effect("reads the outer function's assignments between callbacks, and none of theirs", () =>
    Effect.gen(function* () {
      const code = [
        "export function handler(req, res) {",
        "  items.forEach((item) => { let cmd = req.query.cmd })",
        '  let cmd = "ls"',
        "  const run = () => { cmd = req.query.other }",
        "  let script = req.query.script",
        "  rows.map(function (row) { script = 'echo ' + row })",
        "  exec(cmd)",
        "  exec(script)",
        "}",
        ""
      ].join("\n")
      // `cmd` is only ever the literal here (the callbacks assign their own or run later);
      // `script` comes from the request on line 5, whatever the callback on line 6 does.
      expect(yield* sinksIn(code)).toEqual([[8, [5]]])
    })
  )
})
