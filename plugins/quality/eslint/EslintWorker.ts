/**
 * The thread ESLint runs in (see EslintThread.ts): flat config with typescript-eslint's parser and
 * eslint-plugin-security's rules, linting text under a virtual path. It answers each request with
 * the fields of ESLint's messages that the tool reports, and nothing else.
 */
import module from "node:module"
import * as os from "node:os"
import { parentPort } from "node:worker_threads"

// Workers do not inherit the parent's compile cache; typescript alone is megabytes of code.
module.enableCompileCache?.()

/**
 * Rules of the security plugin that flag most ordinary code (any `obj[key]`, any `readFile(path)`);
 * the tree-sitter rules cover their intent where the value comes from input.
 */
const noisyRules = ["security/detect-object-injection", "security/detect-non-literal-fs-filename"]

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
      { rules: Object.fromEntries(noisyRules.map((rule) => [rule, "off"])) }
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

const port = parentPort
if (port !== null) {
  // A failed load fails every request with its reason.
  const lint = load()
  // Requests come only from EslintThread.ts, which decodes the answers.
  port.on("message", (request: { readonly id: number; readonly code: string; readonly path: string }) => {
    lint
      .then((run) => run(request.code, request.path))
      .then(
        (messages) => port.postMessage({ id: request.id, messages }),
        (error: unknown) =>
          port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) })
      )
  })
}
