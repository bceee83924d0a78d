/**
 * Fields across the methods of one type: a field that a handler fills from a request is request
 * data where another method of the same type reads it. The exact finding (rule, sink, source and
 * steps) beside the look-alikes that must stay clean: a field of another type with the same
 * name, a field set from the environment, a field set only with a cleaned value.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { go } from "../../../../plugins/languages/go/SecurityRules.ts"
import { java } from "../../../../plugins/languages/java/SecurityRules.ts"
import { python } from "../../../../plugins/languages/python/SecurityRules.ts"
import { typescript } from "../../../../plugins/languages/typescript/SecurityRules.ts"
import type { Grammar } from "../../../../plugins/quality/tree-sitter/Grammar.ts"
import type { RuleSet } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"

const flowsOf = (ruleSet: RuleSet, grammar: Grammar, code: string) =>
  Effect.gen(function* () {
    const issues = yield* RuleEngine.make(ruleSet, grammar).check(code, `handler.${grammar}`)
    return issues
      .filter((issue) => issue.flow !== undefined)
      .map((issue) => ({
        rule: issue.rule,
        sink: issue.sink,
        flow: (issue.flow ?? []).map((step) => `${step.role} ${step.line}`)
      }))
  })

describe("flow through a type's fields", () => {
  it.effect("Python: a field copied from another field is followed, and a cycle of copies ends", () =>
    Effect.gen(function* () {
      const code = [
        "from flask import request",
        "",
        "class Export:",
        "    def get(self):",
        '        self.name = request.args["file"]',
        "        self.copy = self.name",
        "        self.loop = self.again",
        "        self.again = self.loop",
        "",
        "    def send(self):",
        "        open(self.copy)",
        "        open(self.loop)",
        ""
      ].join("\n")
      expect(yield* flowsOf(python, "python", code)).toEqual([
        { rule: "python/tainted-path", sink: 11, flow: ["source 5", "propagation 6"] }
      ])
    })
  )

  it.effect("Go: a field of the receiver's type is request data; one of another type with its name is not", () =>
    Effect.gen(function* () {
      const code = [
        "package files",
        "",
        'import (\n\t"net/http"\n\t"os"\n)',
        "",
        "type download struct{ name string }",
        "type upload struct{ name string }",
        "",
        "func Upload(w http.ResponseWriter, r *http.Request) {",
        '\tu := upload{name: r.FormValue("name")}',
        "\t_ = u",
        "}",
        "",
        "func (d *download) open() (*os.File, error) {",
        "\treturn os.Open(d.name)",
        "}",
        "",
        "func (u *upload) open() (*os.File, error) {",
        "\treturn os.Open(u.name)",
        "}",
        ""
      ].join("\n")
      expect(yield* flowsOf(go, "go", code)).toEqual([{ rule: "go/tainted-path", sink: 21, flow: ["source 12"] }])
    })
  )

  it.effect("Java: a field named bare is the one the handler set; a local of that name is not the field", () =>
    Effect.gen(function* () {
      const code = [
        "class Files {",
        "    private String name;",
        "    private String other;",
        "",
        "    @GetMapping",
        "    void get(@RequestParam String file) {",
        "        name = file;",
        "        String other = file;",
        "    }",
        "",
        "    void read() throws Exception {",
        "        new FileInputStream(name);",
        "        new FileInputStream(other);",
        "    }",
        "}",
        ""
      ].join("\n")
      expect(yield* flowsOf(java, "java", code)).toEqual([
        { rule: "java/tainted-path", sink: 12, flow: ["source 6", "propagation 7"] }
      ])
    })
  )

  it.effect("TypeScript: a field set from the environment or through a sanitiser is no request data", () =>
    Effect.gen(function* () {
      const code = [
        'import { readFile } from "node:fs/promises"',
        'import * as path from "node:path"',
        "",
        "export class Files {",
        '  private base = ""',
        '  private name = ""',
        "  handle(req: Request) {",
        "    this.base = process.env.FILES_ROOT",
        "    this.name = path.basename(req.query.name)",
        "  }",
        "  read() {",
        "    return readFile(this.base)",
        "  }",
        "  readName() {",
        "    return readFile(this.name)",
        "  }",
        "}",
        ""
      ].join("\n")
      expect(yield* flowsOf(typescript, "typescript", code)).toEqual([])
    })
  )
})
