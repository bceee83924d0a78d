/**
 * The timing rules guess a secret from a name, so a tokenizer comparing `token == self.eof` (as
 * Python's shlex and Go's net/http do) is reported too. Such a guess is medium in every language:
 * it shows in the report but does not fail the default gate's security levels.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { defaultConfig } from "../../../../core/domain/Config.ts"
import { gateViolations, QualityResult, scoreIssues } from "../../../../core/domain/Quality.ts"
import { go } from "../../../../plugins/languages/go/SecurityRules.ts"
import { java } from "../../../../plugins/languages/java/SecurityRules.ts"
import { python } from "../../../../plugins/languages/python/SecurityRules.ts"
import { rust } from "../../../../plugins/languages/rust/SecurityRules.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"

const lexers = [
  {
    language: "python",
    engine: RuleEngine.make(python, "python"),
    file: "lexer.py",
    code: "class Lexer:\n    def done(self):\n        token = self.read_token()\n        return token == self.eof\n"
  },
  {
    language: "go",
    engine: RuleEngine.make(go, "go"),
    file: "lexer.go",
    code: "package lexer\n\nfunc (l *Lexer) done() bool {\n\ttoken := l.readToken()\n\treturn token == l.eof\n}\n"
  },
  {
    language: "java",
    engine: RuleEngine.make(java, "java"),
    file: "Lexer.java",
    code: "class Lexer {\n    boolean done() {\n        String token = readToken();\n        return token.equals(eof);\n    }\n}\n"
  },
  {
    language: "rust",
    engine: RuleEngine.make(rust, "rust"),
    file: "lexer.rs",
    code: "impl Lexer {\n    fn done(&mut self) -> bool {\n        let token = self.read_token();\n        token == self.eof\n    }\n}\n"
  }
]

describe("timing rules on a lexer's tokens", () => {
  it.effect.each(lexers)("$language: reported at medium, no security violation of the default gate", (lexer) =>
    Effect.gen(function* () {
      const issues = yield* lexer.engine.check(lexer.code, lexer.file)
      const timing = issues.filter((issue) => issue.rule === `${lexer.language}/timing-attack`)
      expect(timing.length, lexer.code).toBeGreaterThan(0)
      for (const issue of timing) expect(issue.level).toBe("medium")
      const result = new QualityResult({ score: scoreIssues(issues), issues, suggestions: [] })
      const security = gateViolations(defaultConfig.quality, result).filter((line) => line.includes("security finding"))
      expect(security).toEqual([])
    })
  )
})
