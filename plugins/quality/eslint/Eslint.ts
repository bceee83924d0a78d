/**
 * ESLint as a quality tool: typescript-eslint's parser and eslint-plugin-security's rules, run in
 * a thread of its own (EslintWorker.ts) and loaded on the first check. General linting is Biome's
 * job in these packs; ESLint brings the security rules, so one finding is not scored twice.
 */
import { Effect, Schema } from "effect"
import { QualityIssue, type SecurityLevel } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { causeOf } from "../Loading.ts"
import * as ToolThread from "../thread/ToolThread.ts"

/** The fields of an ESLint message that the tool reports: what the thread answers with. */
const LintMessage = Schema.Struct({
  ruleId: Schema.NullOr(Schema.String),
  severity: Schema.Number,
  message: Schema.String,
  line: Schema.optional(Schema.Number),
  column: Schema.optional(Schema.Number),
  fatal: Schema.optional(Schema.Boolean)
})
type LintMessage = typeof LintMessage.Type

const thread = ToolThread.make<{ readonly code: string; readonly path: string }, ReadonlyArray<LintMessage>>({
  name: "ESLint",
  entry: ToolThread.entryBeside(import.meta.url, "EslintWorker"),
  result: Schema.Array(LintMessage)
})

/** CWE and level of each eslint-plugin-security rule we report as a security finding. */
const securityRules: Readonly<Record<string, { readonly cwe: string; readonly level: SecurityLevel }>> = {
  "security/detect-eval-with-expression": { cwe: "CWE-95", level: "critical" },
  "security/detect-non-literal-regexp": { cwe: "CWE-1333", level: "medium" },
  "security/detect-non-literal-require": { cwe: "CWE-829", level: "high" },
  "security/detect-unsafe-regex": { cwe: "CWE-1333", level: "medium" },
  "security/detect-buffer-noassert": { cwe: "CWE-119", level: "medium" },
  "security/detect-disable-mustache-escape": { cwe: "CWE-79", level: "high" },
  "security/detect-no-csrf-before-method-override": { cwe: "CWE-352", level: "medium" },
  "security/detect-pseudoRandomBytes": { cwe: "CWE-338", level: "medium" },
  "security/detect-possible-timing-attacks": { cwe: "CWE-208", level: "low" },
  "security/detect-new-buffer": { cwe: "CWE-119", level: "low" },
  "security/detect-bidi-characters": { cwe: "CWE-451", level: "high" }
}

const toIssue = (message: LintMessage): QualityIssue => {
  const rule = message.ruleId ?? "eslint/parse"
  const security = securityRules[rule]
  return new QualityIssue({
    severity: message.fatal === true || message.severity === 2 ? "error" : "warning",
    category: message.ruleId === null ? "syntax" : security !== undefined ? "security" : "lint",
    rule,
    message: message.message,
    line: message.line ?? 1,
    column: message.column ?? 1,
    tool: "eslint",
    cwe: security?.cwe,
    level: security?.level
  })
}

/** ESLint as a quality tool for TypeScript and JavaScript files. */
export const Eslint: QualityTool = {
  name: "eslint",
  check: (code, path) =>
    Effect.tryPromise({
      try: (signal) => thread.request({ code, path }, signal),
      catch: (error) => new QualityToolError({ tool: "eslint", path, cause: causeOf(error) })
    }).pipe(Effect.map((messages) => messages.map(toIssue)))
}
