/**
 * Our TypeScript rules against eslint-plugin-security on a real code base (effect's HTTP
 * sources, the validate bench's): every line the plugin flags must get a security finding of ours,
 * since `validate` runs ESLint only where a workspace has a config of its own. The one kind left
 * out on purpose is a "timing attack" on a comparison with `undefined` or `null`, which reveals
 * no secret.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ESLint } from "eslint"
import security from "eslint-plugin-security"
import tseslint from "typescript-eslint"
import { typescript } from "../../../../plugins/languages/typescript/SecurityRules.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"

const base = path.resolve(import.meta.dirname, "../../../../node_modules/effect/src/http")

const sources = fs
  .readdirSync(base, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
  .map((entry) => path.join(entry.parentPath, entry.name))
  .sort()

/** A comparison with `undefined` or `null`: what the plugin's timing rule flags that we do not. */
const nullishComparison = /[!=]==?\s*(undefined|null)\b|\b(undefined|null)\s*[!=]==?/

describe("eslint-plugin-security parity", () => {
  it.effect(
    "every line the plugin flags on effect's HTTP sources gets a finding of ours",
    () =>
      Effect.gen(function* () {
        const eslint = new ESLint({
          cwd: base,
          overrideConfigFile: true,
          overrideConfig: [
            { files: ["**/*.ts"] },
            tseslint.configs.base,
            security.configs.recommended,
            // The same three rules validate turns off (plugins/quality/eslint/EslintWorker.ts).
            {
              rules: {
                "security/detect-object-injection": "off",
                "security/detect-non-literal-fs-filename": "off",
                "security/detect-child-process": "off"
              }
            }
          ]
        })
        const results = yield* Effect.promise(() => eslint.lintFiles(sources))
        const theirs = results.flatMap((result) =>
          result.messages
            .filter((message) => message.ruleId?.startsWith("security/") === true)
            .map((message) => ({ file: result.filePath, line: message.line, rule: message.ruleId ?? "" }))
        )
        const engine = RuleEngine.make(typescript, "typescript")
        const ours = new Set<string>()
        for (const file of sources) {
          for (const issue of yield* engine.check(fs.readFileSync(file, "utf8"), file)) {
            if (issue.category === "security") ours.add(`${file}:${issue.line}`)
          }
        }
        const lineOf = (file: string, line: number) => fs.readFileSync(file, "utf8").split("\n")[line - 1] ?? ""
        const missed = theirs.filter((finding) => !ours.has(`${finding.file}:${finding.line}`))
        const excused = missed.filter(
          (finding) =>
            finding.rule === "security/detect-possible-timing-attacks" &&
            nullishComparison.test(lineOf(finding.file, finding.line))
        )
        // The plugin does report on this code base: the comparison is not of two empty sets.
        expect(theirs.length).toBeGreaterThanOrEqual(5)
        expect(
          missed
            .filter((finding) => !excused.includes(finding))
            .map((finding) => `${path.relative(base, finding.file)}:${finding.line} ${finding.rule}`)
        ).toEqual([])
      }),
    60_000
  )
})
