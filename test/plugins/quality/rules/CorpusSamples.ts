/**
 * What the security corpus tests share: the languages with security rules, the samples of a
 * corpus folder (`<corpus>/<language>/<rule>/vulnerable-*` and `safe-*`), and a sample's
 * findings once it is known to parse.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { expect } from "@effect/vitest"
import { Effect } from "effect"
import { go } from "../../../../plugins/languages/go/SecurityRules.ts"
import { java } from "../../../../plugins/languages/java/SecurityRules.ts"
import { python } from "../../../../plugins/languages/python/SecurityRules.ts"
import { rust } from "../../../../plugins/languages/rust/SecurityRules.ts"
import { typescript } from "../../../../plugins/languages/typescript/SecurityRules.ts"
import type { Grammar } from "../../../../plugins/quality/tree-sitter/Grammar.ts"
import type { FlowRule, Rule, RuleSet } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../../../plugins/quality/tree-sitter/SyntaxCheck.ts"

export interface CorpusLanguage {
  readonly folder: string
  readonly ruleSet: RuleSet
  readonly grammar: Grammar
}

export const corpusLanguages: ReadonlyArray<CorpusLanguage> = [
  { folder: "typescript", ruleSet: typescript, grammar: "typescript" },
  { folder: "javascript", ruleSet: typescript, grammar: "javascript" },
  { folder: "python", ruleSet: python, grammar: "python" },
  { folder: "go", ruleSet: go, grammar: "go" },
  { folder: "java", ruleSet: java, grammar: "java" },
  { folder: "rust", ruleSet: rust, grammar: "rust" }
]

/** A corpus file: the rule it is about and whether it is vulnerable. */
export interface Sample<R> {
  readonly file: string
  readonly rule: R
  readonly vulnerable: boolean
}

/** The samples of `corpus/<language>`: each folder must name a rule of the kind `isKind` accepts. */
export const samplesOf = <R extends Rule | FlowRule>(
  corpus: string,
  language: CorpusLanguage,
  kind: string,
  isKind: (rule: Rule | FlowRule) => rule is R
): ReadonlyArray<Sample<R>> => {
  const root = path.join(corpus, language.folder)
  return fs.readdirSync(root).flatMap((name) => {
    const rule = language.ruleSet.rules.find((candidate) => candidate.id === `${language.ruleSet.language}/${name}`)
    if (rule === undefined || !isKind(rule)) throw new Error(`${language.folder}/${name} names no ${kind} rule`)
    return fs
      .readdirSync(path.join(root, name))
      .sort()
      .map((file) => ({ file: path.join(root, name, file), rule, vulnerable: file.startsWith("vulnerable") }))
  })
}

/** Each of `rules` has at least two vulnerable and two safe samples. */
export const expectTwoOfEach = <R extends Rule | FlowRule>(
  samples: ReadonlyArray<Sample<R>>,
  rules: Iterable<R>
): void => {
  for (const rule of rules) {
    const own = samples.filter((sample) => sample.rule === rule)
    expect(own.filter((sample) => sample.vulnerable).length, rule.id).toBeGreaterThanOrEqual(2)
    expect(own.filter((sample) => !sample.vulnerable).length, rule.id).toBeGreaterThanOrEqual(2)
  }
}

/** The findings of a language's rules on a sample, which must parse first. */
export const corpusCheckOf = (language: CorpusLanguage) => {
  const engine = RuleEngine.make(language.ruleSet, language.grammar)
  const syntax = syntaxCheck(language.grammar)
  return Effect.fn("CorpusSamples.check")(function* (file: string) {
    const code = fs.readFileSync(file, "utf8")
    // A sample that does not parse would test the parser's recovery, not the rule.
    expect(yield* syntax.check(code, file), file).toEqual([])
    return yield* engine.check(code, file)
  })
}
