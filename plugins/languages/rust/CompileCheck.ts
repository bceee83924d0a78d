/**
 * Rust's compile check: `cargo check --tests --offline` in the crate holding the change (the
 * tests' modules are type-checked too).
 */
import { existsSync } from "node:fs"
import * as path from "node:path"
import type { CompileCheck } from "../../../core/services/LanguageRegistry.ts"

export const cargoCheck: CompileCheck = {
  name: "cargo check",
  commands: ({ workspace }) =>
    existsSync(path.join(workspace, "Cargo.toml"))
      ? [
          {
            command: "cargo",
            args: ["check", "--tests", "--offline", "--quiet", "--message-format", "short"],
            env: { CARGO_TERM_COLOR: "never" }
          }
        ]
      : [],
  parse: ({ stdout, stderr }) =>
    [...`${stdout}\n${stderr}`.matchAll(/^([^\s:]+\.rs):(\d+):(\d+): (error.*)$/gm)].map((m) => ({
      file: m[1],
      line: Number(m[2]),
      column: Number(m[3]),
      message: m[4] ?? ""
    }))
}
