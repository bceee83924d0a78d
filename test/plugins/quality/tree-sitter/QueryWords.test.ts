import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { go } from "../../../../plugins/languages/go/SecurityRules.ts"
import { java } from "../../../../plugins/languages/java/SecurityRules.ts"
import { php } from "../../../../plugins/languages/php/SecurityRules.ts"
import { python } from "../../../../plugins/languages/python/SecurityRules.ts"
import { ruby } from "../../../../plugins/languages/ruby/SecurityRules.ts"
import { rust } from "../../../../plugins/languages/rust/SecurityRules.ts"
import { typescript } from "../../../../plugins/languages/typescript/SecurityRules.ts"
import { meets, queryNeeds } from "../../../../plugins/quality/tree-sitter/QueryWords.ts"
import { regexWords } from "../../../../plugins/quality/tree-sitter/RegexWords.ts"
import { isFlowRule, type Rule, type RuleSet } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import { hasSameReceiver } from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"
import * as TreeSitter from "../../../../plugins/quality/tree-sitter/TreeSitter.ts"
import type { ExampleTable } from "../rules/Examples.ts"
import { goExamples } from "../rules/go.examples.ts"
import { javaExamples } from "../rules/java.examples.ts"
import { phpExamples } from "../rules/php.examples.ts"
import { pythonExamples } from "../rules/python.examples.ts"
import { rubyExamples } from "../rules/ruby.examples.ts"
import { rustExamples } from "../rules/rust.examples.ts"
import { typescriptExamples } from "../rules/typescript.examples.ts"

const sorted = (words: ReadonlyArray<string> | undefined) => (words === undefined ? undefined : [...words].sort())

describe("regexWords", () => {
  it("names the words of a choice, joined with what comes before and after it", () => {
    expect(sorted(regexWords("^(fetch|got)$"))).toEqual(["fetch", "got"])
    expect(sorted(regexWords("^(req|request)\\.(body|query)\\b"))).toEqual([
      "req.body",
      "req.query",
      "request.body",
      "request.query"
    ])
    expect(sorted(regexWords("^.?\\$where.?$"))).toEqual(["$where"])
    expect(sorted(regexWords("[Tt]oken$"))).toEqual(["Token", "token"])
  })

  it("keeps the strongest words of a sequence it cannot spell whole", () => {
    // `\w+` spells no text, so the literal runs on each side of it are the candidates.
    expect(regexWords("createHash\\(\\w+\\)")).toEqual(["createHash("])
    expect(sorted(regexWords("(md5|sha1)\\s*\\("))).toEqual(["md5", "sha1"])
  })

  it("names nothing where a match may lack every word", () => {
    for (const source of ["a?", "(a|)", "(a|\\w)", "\\w+", ".*", "(?i:token)", "(?:a|b)*", "[^a]", "[a-z]+", "("]) {
      expect(regexWords(source)).toBeUndefined()
    }
  })

  it("names words every match contains (checked against matches)", () => {
    const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
      ["^(setHeader|header)\\(.[Aa]ccess-[Cc]ontrol", ['setHeader("access-control', "header('Access-Control"]],
      ["(x|y)z+(ab|cd)?e", ["xzzzabe", "yze", "xzcde"]],
      ["^0o?[0-7]?[0-7][0-7][2367]$", ["0o777", "0666", "0o1777"]]
    ]
    for (const [source, texts] of cases) {
      const words = regexWords(source)
      expect(words).toBeDefined()
      for (const text of texts) {
        expect(new RegExp(source).test(text)).toBe(true)
        expect(words?.some((word) => text.includes(word))).toBe(true)
      }
    }
  })
})

describe("queryNeeds", () => {
  it("needs a #match? or #any-of? in every pattern, and an #eq? only on a capture every match has", () => {
    expect(queryNeeds(`((call_expression function: (identifier) @fn) @match (#match? @fn "^(eval|exec)$"))`)).toEqual([
      [["eval", "exec"]]
    ])
    expect(queryNeeds(`((identifier) @id (#any-of? @id "a" "b"))`)).toEqual([[["a", "b"]]])
    expect(queryNeeds(`((identifier) @id (#eq? @id "RegExp"))`)).toEqual([[["RegExp"]]])
    // An optional capture, or one a choice can leave out, makes its #eq? hold without it.
    expect(queryNeeds(`((call_expression (identifier)? @id) (#eq? @id "x"))`)).toBeUndefined()
    expect(queryNeeds(`([(identifier) @a (number)] (#eq? @a "x"))`)).toBeUndefined()
    // In every branch of a choice, it is certain.
    expect(
      queryNeeds(`([(identifier) @fn (member_expression property: (property_identifier) @fn)] (#eq? @fn "x"))`)
    ).toEqual([[["x"]]])
  })

  it("reads each top-level pattern apart: a query needs the words of one of them", () => {
    const needs = queryNeeds(`((identifier) @a (#eq? @a "one"))
      ; a comment (with a paren
      ((string) @b . (#match? @b "two"))`)
    expect(needs).toEqual([[["one"]], [["two"]]])
    expect(meets("x = one", needs)).toBe(true)
    expect(meets("x = two", needs)).toBe(true)
    expect(meets("x = three", needs)).toBe(false)
  })

  it("needs nothing when a pattern has no predicate it can read, or the query does not read", () => {
    expect(queryNeeds(`((identifier) @a (#eq? @a "one")) (string) @b`)).toBeUndefined()
    expect(queryNeeds(`((identifier) @a (#not-eq? @a "one"))`)).toBeUndefined()
    expect(queryNeeds(`((identifier) @a (#eq? @a @b))`)).toBeUndefined()
    expect(queryNeeds(`((identifier) @a (#eq? @a "one")`)).toBeUndefined()
    expect(meets("anything", undefined)).toBe(true)
  })

  it("reads a wildcard node `_` with its capture, and an anchor apart from a word", () => {
    // `_ @op` is an item with a capture every match has; an anchor `.` is not a word.
    expect(queryNeeds(`((binary_expression _ @op . (identifier)) (#any-of? @op "==" "!="))`)).toEqual([[["==", "!="]]])
    expect(queryNeeds(`((call_expression function: _ @fn) (#eq? @fn "eval"))`)).toEqual([[["eval"]]])
  })

  it("reads nothing from a query with a character it does not know", () => {
    expect(queryNeeds(`((identifier) @a , (#eq? @a "one"))`)).toBeUndefined()
  })

  it("reads a string's escapes as tree-sitter does", () => {
    expect(queryNeeds(String.raw`((identifier) @a (#match? @a "^\\$where\"$"))`)).toEqual([[['$where"']]])
  })
})

const tables: ReadonlyArray<readonly [RuleSet, ExampleTable, ReadonlyArray<string>]> = [
  [python, pythonExamples, ["python"]],
  [go, goExamples, ["go"]],
  [java, javaExamples, ["java"]],
  [rust, rustExamples, ["rust"]],
  [typescript, typescriptExamples, ["typescript", "javascript"]],
  [php, phpExamples, []],
  [ruby, rubyExamples, []]
]

/** Every file of the security corpus of these languages. */
const corpus = (languages: ReadonlyArray<string>): ReadonlyArray<string> =>
  languages.flatMap((language) => {
    const dir = path.join("test/fixtures/security", language)
    if (!fs.existsSync(dir)) return []
    return fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
  })

describe.each(tables)("the words (and receivers) of each rule of $language", (ruleSet, examples, corpusLanguages) => {
  // Sound: a text a rule's query (or its `inside`) matches always has the words derived from it.
  it.effect("are in every example and corpus file the rule's queries match", () =>
    Effect.gen(function* () {
      const grammar = ruleSet.grammars[0] ?? "javascript"
      const { language, Query } = yield* TreeSitter.grammar(grammar)
      const rules = ruleSet.rules.filter((rule): rule is Rule => !isFlowRule(rule))
      const texts = [
        ...Object.values(examples).flatMap((example) => [...example.vulnerable, ...example.safe]),
        ...corpus(corpusLanguages)
      ]
      let checked = 0
      for (const rule of rules) {
        for (const source of [rule.query, rule.inside]) {
          if (source === undefined) continue
          const needs = queryNeeds(source)
          const query = new Query(language, source)
          try {
            for (const text of texts) {
              const matched = yield* TreeSitter.withTree(text, grammar, "example", (tree) =>
                Effect.sync(() => query.matches(tree.rootNode).length > 0)
              )
              if (!matched) continue
              checked++
              expect(meets(text, needs), `${rule.id} matches text without its words: ${text}`).toBe(true)
              if (source === rule.query) {
                expect(hasSameReceiver(rule, text), `${rule.id} matches text without its receiver: ${text}`).toBe(true)
              }
            }
          } finally {
            query.delete()
          }
        }
      }
      expect(checked).toBeGreaterThan(rules.length)
    })
  )
})
