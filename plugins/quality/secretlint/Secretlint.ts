/**
 * Secret detection with secretlint's recommended preset, in process, loaded on first use.
 * It runs over every file of every language: a registry-wide tool.
 */
import { Effect } from "effect"
import { QualityIssue } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { causeOf } from "../Loading.ts"

type Lint = (code: string, path: string) => Promise<ReadonlyArray<QualityIssue>>

/** A URL whose host is a documentation domain (secretlint's `allows` syntax: a regex in slashes). */
const placeholderHost = String.raw`/^[a-z]+:\/\/[^@\s]+@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|[\w-]+\.(?:example|test|invalid))$/i`

const load = async (): Promise<Lint> => {
  const [{ lintSource }, preset] = await Promise.all([
    import("@secretlint/core"),
    import("@secretlint/secretlint-rule-preset-recommend")
  ])
  const config = {
    rules: [
      {
        id: "@secretlint/secretlint-rule-preset-recommend",
        rule: preset.creator,
        rules: [
          // AWS access key ids alone are findings too: generated code must not carry them.
          { id: "@secretlint/secretlint-rule-aws", options: { enableIDScanRule: true } },
          // Credentials in a URL of a domain reserved for documentation (RFC 2606: example.com,
          // .org, .net, and the .example, .test and .invalid names) reach no service: they are
          // the placeholders of a doc comment (`https://user:pass@example.com/`).
          { id: "@secretlint/secretlint-rule-basicauth", options: { allows: [placeholderHost] } }
        ]
      }
    ]
  }
  return async (code, path) => {
    const result = await lintSource({
      source: { filePath: path, content: code, contentType: "text" },
      options: { config, maskSecrets: true, noPhysicFilePath: true }
    })
    return result.messages.map(
      (message) =>
        new QualityIssue({
          severity: "error",
          category: "security",
          rule: `secretlint/${message.ruleId.replace(/^@secretlint\/secretlint-rule-/, "")}`,
          message: message.message,
          line: message.loc.start.line,
          // secretlint's columns are 0-based.
          column: message.loc.start.column + 1,
          tool: "secretlint",
          cwe: "CWE-798",
          level: "critical",
          fix: "read the secret from the environment or a secret store instead of the source"
        })
    )
  }
}

let loaded: Promise<Lint> | undefined

const entropy = (text: string): number => {
  const counts = new Map<string, number>()
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1)
  let bits = 0
  for (const count of counts.values()) {
    const p = count / text.length
    bits -= p * Math.log2(p)
  }
  return bits
}

/**
 * An alphabet or a charset ("0123456789ABCDEF…", the base64 table): at least half of its
 * adjacent pairs are consecutive code points (each character the next or the previous of the
 * one before). Its characters are all different, so its entropy is that of a key, but it is a
 * list; in random base62 or base64 tokens of 24 to 64 characters that share stays under a quarter.
 */
const isCharacterRuns = (token: string): boolean => {
  let consecutive = 0
  for (let i = 1; i < token.length; i++) {
    if (Math.abs(token.charCodeAt(i) - token.charCodeAt(i - 1)) === 1) consecutive++
  }
  return consecutive * 2 >= token.length - 1
}

/**
 * A camelCase or PascalCase name in a string ("Ipv6UniqueLocalAddressFromString"): words of a
 * letter then lowercase letters, digits only at a word's end, four characters a word or more on
 * average. Random tokens seldom take that shape (about 4 in a million of the flagged base62 ones).
 */
const isIdentifier = (token: string): boolean =>
  /^[A-Za-z][a-z]*[0-9]*(?:[A-Z][a-z]+[0-9]*)*$/.test(token) && token.length >= 4 * token.split(/(?=[A-Z])/).length

/**
 * Generic high-entropy tokens that no preset rule knows: quoted runs of 24+ token characters
 * (base64/hex alphabets, no spaces) whose Shannon entropy is that of random data, mixing
 * letter cases and digits, and that is neither an alphabet nor a name.
 */
export const highEntropyTokens = (code: string): ReadonlyArray<QualityIssue> => {
  const issues: Array<QualityIssue> = []
  const lines = code.split("\n")
  lines.forEach((line, index) => {
    for (const match of line.matchAll(/["'`]([A-Za-z0-9+/_=-]{24,})["'`]/g)) {
      const token = match[1] ?? ""
      const mixed = /[a-z]/.test(token) && /[A-Z]/.test(token) && /[0-9]/.test(token)
      if (!mixed || entropy(token) < 4.3 || isCharacterRuns(token) || isIdentifier(token)) continue
      issues.push(
        new QualityIssue({
          severity: "error",
          category: "security",
          rule: "secretlint/high-entropy-token",
          message: `a ${token.length}-character high-entropy string looks like a secret`,
          line: index + 1,
          column: (match.index ?? 0) + 2,
          tool: "secretlint",
          cwe: "CWE-798",
          level: "high",
          fix: "read the secret from the environment or a secret store instead of the source"
        })
      )
    }
  })
  return issues
}

/** The secrets tool; secretlint loads on the first check. */
export const Secretlint: QualityTool = {
  name: "secretlint",
  check: (code, path) =>
    Effect.tryPromise({
      try: async () => {
        loaded ??= load()
        const found = await (await loaded)(code, path)
        const lines = new Set(found.map((issue) => issue.line))
        // A token a preset rule already named is not reported twice.
        return [...found, ...highEntropyTokens(code).filter((issue) => !lines.has(issue.line))]
      },
      catch: (error) =>
        new QualityToolError({
          tool: "secretlint",
          path,
          cause: causeOf(error)
        })
    })
}
