/**
 * The thread ESLint runs in (see Eslint.ts): flat config with typescript-eslint's parser and
 * eslint-plugin-security's rules, linting text under a virtual path. It answers each request with
 * the fields of ESLint's messages that the tool reports, and nothing else.
 */
import module from "node:module"
import * as os from "node:os"
import { serve } from "../thread/Serve.ts"

// Workers do not inherit the parent's compile cache; typescript alone is megabytes of code.
module.enableCompileCache?.()

/**
 * Rules of the security plugin that are off: two flag most ordinary code (any `obj[key]`, any
 * `readFile(path)`), and the tree-sitter rules cover their intent where the value comes from input;
 * `detect-child-process` flags every `require("child_process")`, and the tree-sitter rules report
 * the calls that run a command built at run time.
 */
const offRules = [
  "security/detect-object-injection",
  "security/detect-non-literal-fs-filename",
  "security/detect-child-process"
]

const load = async () => {
  const [{ ESLint }, tseslint, security] = await Promise.all([
    import("eslint"),
    import("typescript-eslint"),
    import("eslint-plugin-security")
  ])
  const eslint = new ESLint({
    cwd: os.tmpdir(),
    overrideConfigFile: true,
    overrideConfig: [
      // Flat config lints only files that some entry names.
      { files: ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"] },
      tseslint.default.configs.base,
      security.default.configs.recommended,
      { rules: Object.fromEntries(offRules.map((rule) => [rule, "off"])) }
    ]
  })
  return async (code: string, path: string) => {
    const [result] = await eslint.lintText(code, { filePath: `${os.tmpdir()}/${path.replace(/^\/+/, "")}` })
    return (result?.messages ?? []).map(({ ruleId, severity, message, line, column, fatal }) => ({
      ruleId,
      severity,
      message,
      line,
      column,
      fatal
    }))
  }
}

// Loaded once, at the thread's start; a failed load fails every request with its reason (and is
// not an unhandled rejection, which would end the thread without one).
const lint = load()
lint.catch(() => undefined)

serve(async (request: { readonly code: string; readonly path: string }) => (await lint)(request.code, request.path))
