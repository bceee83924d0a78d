/**
 * Python's compile check: `python3 -m py_compile` on the change's files (what the interpreter
 * refuses before running anything).
 */
import type { CompileCheck } from "../../../core/services/LanguageRegistry.ts"

export const pyCompileCheck: CompileCheck = {
  name: "py_compile",
  commands: ({ files }) => {
    const sources = files.filter((f) => f.endsWith(".py"))
    return sources.length === 0
      ? []
      : [{ command: "python3", args: ["-m", "py_compile", ...sources], env: { PYTHONDONTWRITEBYTECODE: "1" } }]
  },
  parse: ({ stdout, stderr }) =>
    // `  File "src/a.py", line 3` … `SyntaxError: invalid syntax`
    [...`${stdout}\n${stderr}`.matchAll(/File "(.+?)", line (\d+)[\s\S]*?^(\w*Error: .*)$/gm)].map((m) => ({
      file: m[1],
      line: Number(m[2]),
      message: m[3] ?? ""
    }))
}
