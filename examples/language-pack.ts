/**
 * Write a language pack: a value that says what the language brings, and a layer that registers
 * it. This one checks INI files for duplicate keys. Run: node examples/language-pack.ts
 */
import { Effect, Layer } from "effect"
import { QualityIssue } from "../core/domain/Quality.ts"
import { type LanguagePack, LanguageRegistry } from "../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../core/services/QualityChecker.ts"

const duplicateKeys = (code: string): ReadonlyArray<QualityIssue> => {
  const seen = new Set<string>()
  let section = ""
  return code.split("\n").flatMap((line, index) => {
    const header = /^\s*\[(.+)\]\s*$/.exec(line)
    if (header?.[1] !== undefined) {
      section = header[1]
      return []
    }
    const key = /^\s*([^=;#\s]+)\s*=/.exec(line)?.[1]
    if (key === undefined) return []
    const qualified = `${section}.${key}`
    if (!seen.has(qualified)) {
      seen.add(qualified)
      return []
    }
    return [
      new QualityIssue({
        severity: "error",
        category: "lint",
        rule: "ini/duplicate-key",
        message: `${key} is already set in [${section}]`,
        line: index + 1,
        column: line.indexOf(key) + 1,
        fix: "remove one of the two"
      })
    ]
  })
}

export const Ini: LanguagePack = {
  id: "ini",
  name: "INI",
  extensions: [".ini", ".cfg"],
  aliases: ["ini"],
  comment: { line: ";" },
  formatter: { name: "ini-trim", format: (code) => Effect.succeed(code.replace(/[ \t]+$/gm, "")) },
  tools: [{ name: "ini-keys", check: (code) => Effect.succeed(duplicateKeys(code)) }]
}

const layer = QualityChecker.layer.pipe(
  Layer.provideMerge(LanguageRegistry.register(Ini)),
  Layer.provideMerge(LanguageRegistry.layer)
)

const result = await Effect.runPromise(
  QualityChecker.use((quality) => quality.check("[db]\nhost = a\nhost = b\n", "ini", "app.ini")).pipe(
    Effect.provide(layer)
  )
)
console.log(
  `score ${result.score}`,
  result.issues.map((issue) => `${issue.line}:${issue.column} ${issue.message}`)
)
if (result.issues.length !== 1) process.exitCode = 1
