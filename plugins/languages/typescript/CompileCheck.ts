/**
 * TypeScript's compile check: `tsc --noEmit` in the sandbox, with the workspace's tsconfig when it
 * has one (the workspace's own TypeScript when installed, else this package's).
 */
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import type { CompileCheck } from "../../../core/services/LanguageRegistry.ts"

/** This package's tsc: the only one a process that outlives a job may keep loaded (see WarmTsc.ts). */
export const ownTsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")

/** Options for a workspace without a tsconfig: modern modules, no emit, libraries not checked (the warm tsc warms up with them). */
export const tscDefaults = [
  "--target",
  "es2022",
  "--module",
  "preserve",
  "--moduleResolution",
  "bundler",
  "--allowImportingTsExtensions",
  "--skipLibCheck",
  "--strict"
]

export const tscCheck: CompileCheck = {
  name: "tsc",
  commands: ({ workspace, files }) => {
    const local = path.join(workspace, "node_modules", "typescript", "bin", "tsc")
    const tsc = existsSync(local) ? local : ownTsc
    const project = existsSync(path.join(workspace, "tsconfig.json"))
      ? ["-p", "tsconfig.json"]
      : [...tscDefaults, ...files.filter((f) => /\.[cm]?tsx?$/.test(f))]
    return [{ command: process.execPath, args: [tsc, "--noEmit", "--pretty", "false", ...project] }]
  },
  parse: ({ stdout, stderr }) =>
    [...`${stdout}\n${stderr}`.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/gm)].map((m) => ({
      file: m[1],
      line: Number(m[2]),
      column: Number(m[3]),
      message: m[4] ?? ""
    }))
}
