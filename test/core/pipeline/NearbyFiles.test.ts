import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { nearbyFiles } from "../../../core/pipeline/NearbyFiles.ts"
import { makeWorkspace } from "../support/StyleWorkspace.ts"

describe("nearbyFiles", () => {
  it.effect("lists the file's folder and below first, then each folder above, skipping others' code and links", () =>
    Effect.gen(function* () {
      const outside = fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-outside-"))
      fs.writeFileSync(nodePath.join(outside, "secret.ts"), "export const secret = 1\n")
      const root = makeWorkspace({
        "top.ts": "",
        "README.md": "",
        "src/mid.ts": "",
        "src/app/self.ts": "",
        "src/app/b.ts": "",
        "src/app/a.py": "",
        "src/app/deep/c.ts": "",
        "lib/far.ts": "",
        "node_modules/pkg/index.ts": "",
        ".git/hooks/x.ts": "",
        "src/app/dist/bundle.ts": ""
      })
      fs.symlinkSync(outside, nodePath.join(root, "src", "app", "linked"))
      const found = yield* nearbyFiles({ root, path: "src/app/self.ts", extensions: [".ts"] })
      expect(found).toEqual([
        "src/app/b.ts",
        "src/app/self.ts",
        "src/app/deep/c.ts",
        "src/mid.ts",
        "top.ts",
        "lib/far.ts"
      ])
    }).pipe(Effect.provide(NodeServices.layer))
  )

  it.effect("stops at its limit of files and its budget of folders", () =>
    Effect.gen(function* () {
      const files: Record<string, string> = {}
      for (let index = 0; index < 30; index++) files[`f${index}/a.ts`] = ""
      const root = makeWorkspace(files)
      expect(yield* nearbyFiles({ root, path: "x.ts", extensions: [".ts"], limit: 5 })).toHaveLength(5)
      // The workspace folder and three of its folders.
      expect(yield* nearbyFiles({ root, path: "x.ts", extensions: [".ts"], folders: 4 })).toEqual([
        "f0/a.ts",
        "f1/a.ts",
        "f10/a.ts"
      ])
      expect(yield* nearbyFiles({ root: nodePath.join(root, "missing"), path: "x.ts", extensions: [".ts"] })).toEqual(
        []
      )
    }).pipe(Effect.provide(NodeServices.layer))
  )
})
