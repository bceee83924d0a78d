/**
 * A tiny language pack for unit tests of the core: `.ts` files, a formatter that strips trailing
 * spaces and refuses the text `SYNTAX ERROR`, and a tool that flags `eval(` as a high security issue.
 */
import { Effect } from "effect"
import { QualityIssue } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import { type LanguagePack, LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"

export const fakePack: LanguagePack = {
  id: "typescript",
  name: "Fake TypeScript",
  extensions: [".ts"],
  aliases: ["ts"],
  comment: { line: "//" },
  isTestPath: (path) => /(^|\/)(tests?|__tests__)\//.test(path) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(path),
  formatter: {
    name: "fake-format",
    format: (code, path) =>
      code.includes("SYNTAX ERROR")
        ? Effect.fail(new QualityToolError({ tool: "fake-format", path, cause: "cannot parse" }))
        : Effect.succeed(code.replace(/[ \t]+$/gm, ""))
  },
  tools: [
    {
      name: "fake-security",
      check: (code) =>
        Effect.succeed(
          code.split("\n").flatMap((line, index) =>
            line.includes("eval(")
              ? [
                  new QualityIssue({
                    severity: "error",
                    category: "security",
                    rule: "fake/no-eval",
                    message: "eval runs arbitrary code",
                    line: index + 1,
                    column: line.indexOf("eval(") + 1,
                    level: "high",
                    fix: "parse the input instead"
                  })
                ]
              : []
          )
        )
    }
  ]
}

export const FakeLanguage = { layer: LanguageRegistry.register(fakePack) }
