/**
 * Go's compile check: `go vet ./...` in the module holding the change (it type-checks every
 * package, tests included), offline and with the local toolchain only.
 */
import { existsSync } from "node:fs"
import * as path from "node:path"
import type { CompileCheck } from "../../../core/services/LanguageRegistry.ts"

export const goVetCheck: CompileCheck = {
  name: "go vet",
  commands: ({ workspace }) =>
    existsSync(path.join(workspace, "go.mod"))
      ? [
          {
            command: "go",
            args: ["vet", "./..."],
            env: { GOFLAGS: "-mod=mod", GOPROXY: "off", GOTOOLCHAIN: "local", GOWORK: "off" }
          }
        ]
      : [],
  parse: ({ stdout, stderr }) =>
    [...`${stdout}\n${stderr}`.matchAll(/^(?:vet: )?(?:\.\/)?([^\s:]+\.go):(\d+):(\d+): (.*)$/gm)].map((m) => ({
      file: m[1],
      line: Number(m[2]),
      column: Number(m[3]),
      message: m[4] ?? ""
    }))
}
