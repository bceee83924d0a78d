/**
 * JavaScript's compile check: `node --check` on each file of the change (syntax, as the runtime
 * parses it; JavaScript has no types to check).
 */
import type { CompileCheck } from "../../../core/services/LanguageRegistry.ts"

export const nodeCheck: CompileCheck = {
  name: "node --check",
  commands: ({ files }) =>
    files.filter((f) => /\.[cm]?jsx?$/.test(f)).map((file) => ({ command: process.execPath, args: ["--check", file] })),
  parse: ({ stderr }) => {
    // `/path/file.js:3` … `SyntaxError: Unexpected token ';'`
    const location = /^(.+?):(\d+)$/m.exec(stderr)
    const error = /^(\w*Error: .*)$/m.exec(stderr)
    if (error === null) return []
    return [{ file: location?.[1], line: location === null ? undefined : Number(location[2]), message: error[1] ?? "" }]
  }
}
