/**
 * ESLint in process: flat config with typescript-eslint's parser and eslint-plugin-security's
 * rules, linting text under a virtual path. Loaded on the first check. General linting is Biome's
 * job in these packs; ESLint brings the security rules, so one finding is not scored twice.
 */
import * as os from "node:os"
import { Effect } from "effect"
import { QualityIssue, type SecurityLevel } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { QualityTool } from "../../../core/services/LanguageRegistry.ts"

interface LintMessage {
  readonly ruleId: string | null
  readonly severity: number
  readonly message: string
  readonly line?: number
  readonly column?: number
  readonly fatal?: boolean
}

type LintText = (code: string, path: string) => Promise<ReadonlyArray<LintMessage>>

/** CWE and level of each eslint-plugin-security rule we report as a security finding. */
const securityRules: Readonly<Record<string, { readonly cwe: string; readonly level: SecurityLevel }>> = {
  "security/detect-child-process": { cwe: "CWE-78", level: "high" },
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

/**
 * Rules of the security plugin that flag most ordinary code (any `obj[key]`, any `readFile(path)`);
 * the tree-sitter rules cover their intent where the value comes from input.
 */
const noisyRules = ["security/detect-object-injection", "security/detect-non-literal-fs-filename"]

const load = async (): Promise<LintText> => {
  const [{ ESLint }, tseslint, security] = await Promise.all([
    import("eslint"),
    import("typescript-eslint"),
    import("eslint-plugin-security")
  ])
  const securityPlugin = security.default
  const eslint = new ESLint({
    cwd: os.tmpdir(),
    overrideConfigFile: true,
    overrideConfig: [
      // Flat config lints only files that some entry names.
      { files: ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"] },
      tseslint.default.configs.base,
      securityPlugin.configs.recommended,
      { rules: Object.fromEntries(noisyRules.map((rule) => [rule, "off"])) }
    ]
  })
  return async (code, path) => {
    const [result] = await eslint.lintText(code, { filePath: `${os.tmpdir()}/${path.replace(/^\/+/, "")}` })
    return result?.messages ?? []
  }
}

let loaded: Promise<LintText> | undefined

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
      try: async () => {
        loaded ??= load()
        return (await (await loaded)(code, path)).map(toIssue)
      },
      catch: (error) =>
        new QualityToolError({ tool: "eslint", path, cause: error instanceof Error ? error.message : String(error) })
    })
}
