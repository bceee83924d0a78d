import { execFileSync } from "node:child_process"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { QualityToolError } from "../../../../core/errors.ts"
import { type Grammar, grammars } from "../../../../plugins/quality/tree-sitter/Grammar.ts"
import type { RuleSet } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../../../plugins/quality/tree-sitter/SyntaxCheck.ts"
import * as TreeSitter from "../../../../plugins/quality/tree-sitter/TreeSitter.ts"

/** A small valid program in each grammar. */
const valid: Record<Grammar, string> = {
  typescript: "export const add = (a: number, b: number): number => a + b\n",
  tsx: 'export const A = () => <div className="a">hi</div>\n',
  javascript: "export const add = (a, b) => a + b\n",
  python: "def add(a, b):\n    return a + b\n",
  go: "package main\n\nfunc add(a, b int) int { return a + b }\n",
  rust: "fn add(a: i32, b: i32) -> i32 { a + b }\n",
  java: "class A { int add(int a, int b) { return a + b; } }\n",
  // `new` is a name in C, a keyword in C++: the C grammar is its own.
  c: "int add(int a, int new) { return a + new; }\n",
  cpp: "int add(int a, int b) { return a + b; }\n",
  "c-sharp": "class A { int Add(int a, int b) => a + b; }\n",
  ruby: "def add(a, b)\n  a + b\nend\n",
  php: "<?php\nfunction add($a, $b) { return $a + $b; }\n"
}

const positions = (issues: ReadonlyArray<{ line: number; column: number; message: string }>) =>
  issues.map(({ line, column, message }) => [line, column, message])

describe("TreeSitter", () => {
  it("loads nothing when the module is imported", () => {
    const script = `
      await import("./plugins/quality/tree-sitter/index.ts")
      const { createRequire } = await import("node:module")
      const cache = Object.keys(createRequire(import.meta.url).cache)
      console.log(cache.some((path) => path.includes("tree-sitter")))`
    const output = execFileSync("node_modules/.bin/node", ["--input-type=module", "-e", script], { encoding: "utf8" })
    expect(output.trim()).toBe("false")
  })

  it.effect.each(grammars)("parses valid %s without syntax errors", (grammar) =>
    Effect.gen(function* () {
      expect(yield* syntaxCheck(grammar).check(valid[grammar], "a")).toEqual([])
    })
  )

  it.effect("reports a missing token with its name and 1-based position", () =>
    Effect.gen(function* () {
      const issues = yield* syntaxCheck("java").check("class A {\n  int f() {\n    return 1\n  }\n}\n", "A.java")
      expect(positions(issues)).toEqual([[3, 13, "missing `;`"]])
      expect(issues[0]).toMatchObject({
        severity: "error",
        category: "syntax",
        rule: "tree-sitter/missing",
        tool: "tree-sitter"
      })
    })
  )

  it.effect("reports unexpected text at the innermost error", () =>
    Effect.gen(function* () {
      const issues = yield* syntaxCheck("javascript").check("const a = 1\nconst b = 2 }\n", "a.js")
      expect(positions(issues)).toEqual([[2, 13, "unexpected `}`"]])
      expect(issues[0]?.rule).toBe("tree-sitter/unexpected")
    })
  )

  it.effect("counts columns in UTF-16 code units after multi-byte text", () =>
    Effect.gen(function* () {
      const line = 'const s = "é😀€"; const b = 2 }'
      const issues = yield* syntaxCheck("javascript").check(`${line}\n`, "a.js")
      expect(positions(issues)).toEqual([[1, line.indexOf("}") + 1, "unexpected `}`"]])
    })
  )

  it.effect("frees the tree when its scope closes", () =>
    Effect.gen(function* () {
      const tree = yield* Effect.scoped(TreeSitter.parse("x = 1\n", "python"))
      // A deleted tree has no root any more: its wasm memory was released.
      expect(() => tree.rootNode.toString()).toThrow()
    })
  )

  describe("RuleEngine", () => {
    const ruleSet: RuleSet = {
      language: "test",
      grammars: ["python"],
      functionTypes: ["function_definition", "lambda"],
      rules: [
        {
          id: "test/eval",
          message: "eval",
          severity: "error",
          category: "security",
          cwe: "CWE-95",
          level: "critical",
          fix: "don't",
          // Two patterns that both match `eval(x)`: it is still one finding.
          query: `((call function: (identifier) @name) @match (#eq? @name "eval"))
            ((call function: (identifier) @name arguments: (argument_list (identifier))) @match (#eq? @name "eval"))`
        },
        {
          id: "test/sleep-in-loop",
          message: "sleep in loop",
          severity: "warning",
          category: "performance",
          fix: "don't",
          query: `((call function: (attribute attribute: (identifier) @name)) (#eq? @name "sleep"))`,
          inside: "(for_statement body: (block) @scope)"
        }
      ]
    }
    const engine = RuleEngine.make(ruleSet)

    it.effect("reports each match once with the rule's metadata", () =>
      Effect.gen(function* () {
        const issues = yield* engine.check("eval(x)\n", "a.py")
        expect(issues).toHaveLength(1)
        expect(issues[0]).toMatchObject({
          rule: "test/eval",
          category: "security",
          severity: "error",
          cwe: "CWE-95",
          level: "critical",
          fix: "don't",
          line: 1,
          column: 1,
          tool: "tree-sitter-rules"
        })
      })
    )

    it.effect("scopes `inside` rules and stops at function boundaries", () =>
      Effect.gen(function* () {
        const code = "for i in x:\n    time.sleep(1)\n    f = lambda: time.sleep(2)\ntime.sleep(3)\n"
        const issues = yield* engine.check(code, "a.py")
        expect(issues.map((issue) => [issue.rule, issue.line])).toEqual([["test/sleep-in-loop", 2]])
      })
    )

    it.effect("fails with the rule's id when its query does not compile", () =>
      Effect.gen(function* () {
        const broken = RuleEngine.make({
          ...ruleSet,
          rules: [
            {
              id: "test/broken",
              message: "broken",
              severity: "error",
              category: "security",
              fix: "-",
              query: "(no_such_node) @match"
            }
          ]
        })
        const error = yield* Effect.flip(broken.check("x = 1\n", "a.py"))
        expect(error).toBeInstanceOf(QualityToolError)
        expect(error.cause).toContain("rule test/broken does not compile")
      })
    )
  })

  describe("rules with `when`", () => {
    const gated: RuleSet = {
      language: "test",
      grammars: ["python"],
      functionTypes: ["function_definition"],
      rules: [
        {
          id: "test/pickle",
          message: "pickle",
          severity: "error",
          category: "security",
          fix: "-",
          when: /\bpickle\b/,
          query: `((call function: (attribute object: (identifier) @module)) @match (#eq? @module "pickle"))`
        },
        {
          id: "test/broken-unless-yaml",
          message: "broken",
          severity: "error",
          category: "security",
          fix: "-",
          when: /\byaml\b/,
          query: "(no_such_node) @match"
        }
      ]
    }

    it.effect("runs a rule only on code that contains its words, and compiles it only then", () =>
      Effect.gen(function* () {
        const engine = RuleEngine.make(gated)
        // The broken rule is never compiled while no file mentions yaml.
        expect(yield* engine.check("x = 1\n", "a.py")).toEqual([])
        const found = yield* engine.check("import pickle\npickle.loads(data)\n", "a.py")
        expect(found.map((issue) => [issue.rule, issue.line])).toEqual([["test/pickle", 2]])
        const error = yield* Effect.flip(engine.check("import yaml\n", "a.py"))
        expect(error.cause).toContain("rule test/broken-unless-yaml does not compile")
        const all = yield* Effect.flip(RuleEngine.make(gated).compileAll())
        expect(all.cause).toContain("rule test/broken-unless-yaml does not compile")
      })
    )

    it.effect("compiles a rule only on code that has the words its predicates need, beyond its `when`", () =>
      Effect.gen(function* () {
        const engine = RuleEngine.make({
          ...gated,
          rules: [
            {
              id: "test/broken-unless-unsafe-load",
              message: "broken",
              severity: "error",
              category: "security",
              fix: "-",
              when: /\byaml\b/,
              // Every match has @fn, so every match needs the text `unsafe_load`.
              query: `((no_such_node) @fn (#eq? @fn "unsafe_load"))`
            }
          ]
        })
        expect(yield* engine.check("import yaml\nyaml.safe_load(data)\n", "a.py")).toEqual([])
        const error = yield* Effect.flip(engine.check("import yaml\nyaml.unsafe_load(data)\n", "a.py"))
        expect(error.cause).toContain("rule test/broken-unless-unsafe-load does not compile")
      })
    )

    it.effect("compiles a rule with `sameReceiver` only where one name is the receiver of each group", () =>
      Effect.gen(function* () {
        const engine = RuleEngine.make({
          ...gated,
          rules: [
            {
              id: "test/broken-unless-same-list",
              message: "broken",
              severity: "error",
              category: "performance",
              fix: "-",
              when: /\bappend\b/,
              sameReceiver: [["count", "index"], ["append"]],
              query: "(no_such_node) @match"
            }
          ]
        })
        // Both members are there, each on another name (or on no plain name at all).
        expect(yield* engine.check("if seen.count(x) == 0:\n    out.append(x)\n", "a.py")).toEqual([])
        expect(yield* engine.check("if self.seen.index(x):\n    out2.append(x)\n", "a.py")).toEqual([])
        // One name with both, spaces around the dot allowed: the rule is compiled, and fails.
        const error = yield* Effect.flip(engine.check("if out .count(x) == 0:\n    out.append(x)\n", "a.py"))
        expect(error.cause).toContain("rule test/broken-unless-same-list does not compile")
      })
    )

    it.effect("compiles an `inside` only when a match of its rule needs it", () =>
      Effect.gen(function* () {
        const engine = RuleEngine.make({
          ...gated,
          rules: [
            {
              id: "test/sleep-in-broken-scope",
              message: "sleep",
              severity: "warning",
              category: "performance",
              fix: "-",
              query: `((call function: (attribute attribute: (identifier) @name)) @match (#eq? @name "sleep"))`,
              inside: "(no_such_node) @scope"
            }
          ]
        })
        expect(yield* engine.check("for i in x:\n    print(i)\n", "a.py")).toEqual([])
        const error = yield* Effect.flip(engine.check("for i in x:\n    time.sleep(1)\n", "a.py"))
        expect(error).toBeInstanceOf(QualityToolError)
        expect(error.cause).toContain("rule test/sleep-in-broken-scope does not compile")
      })
    )
  })

  describe("RuleEngine.byExtension", () => {
    const jsx: RuleSet = {
      language: "test",
      grammars: ["typescript", "tsx"],
      functionTypes: ["arrow_function"],
      rules: [
        {
          id: "test/jsx",
          message: "jsx",
          severity: "info",
          category: "performance",
          fix: "-",
          query: "(jsx_self_closing_element) @match"
        }
      ]
    }
    const engine = RuleEngine.byExtension(jsx, { ".tsx": "tsx" })

    it.effect("parses each file with its extension's grammar and compiles the rules per grammar", () =>
      Effect.gen(function* () {
        const issues = yield* engine.check("export const A = () => <br />\n", "src/a.TSX")
        expect(issues.map((issue) => [issue.rule, issue.line])).toEqual([["test/jsx", 1]])
        // The typescript grammar (the set's first, for any other extension) has no JSX nodes.
        const error = yield* Effect.flip(engine.check("export const a = 1\n", "src/a.ts"))
        expect(error.cause).toContain("rule test/jsx does not compile")
      })
    )
  })
})
