/**
 * Hostile paths: each is refused with its rule named, through the real disk layer, and nothing
 * of the run is written — not the hostile file, not the good file staged beside it.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Schema } from "effect"
import { FilesConfig } from "../../core/domain/Config.ts"
import { FileManager } from "../../core/services/FileManager.ts"
import { NodeFiles } from "../../plugins/files/node/NodeFiles.ts"
import { snapshot } from "./Workspace.ts"

interface Hostile {
  readonly path: string
  readonly rule: string
  readonly content?: string
  /** Prepares the workspace (symlinks); `outside` is a folder beside it. */
  readonly setup?: (root: string, outside: string) => void
  readonly files?: Partial<typeof FilesConfig.Encoded>
}

const link = (target: string, at: string) => (root: string, outside: string) => {
  fs.mkdirSync(nodePath.dirname(nodePath.join(root, at)), { recursive: true })
  fs.symlinkSync(target.replace("$OUTSIDE", outside), nodePath.join(root, at))
}

const table: ReadonlyArray<Hostile> = [
  { path: "../escape.ts", rule: "outside-workspace" },
  { path: "src/../../escape.ts", rule: "outside-workspace" },
  { path: "src/a/../../../../etc/passwd", rule: "outside-workspace" },
  { path: "/etc/passwd", rule: "absolute" },
  { path: "C:/Windows/system32/x.dll", rule: "absolute" },
  { path: "\\\\server\\share\\x", rule: "absolute" },
  { path: "src\\..\\..\\x.ts", rule: "backslash" },
  { path: ".git/config", rule: "reserved" },
  { path: ".GIT/hooks/pre-commit", rule: "reserved" },
  { path: "vendor/lib/.git/config", rule: "reserved" },
  { path: "GIT~1/config", rule: "reserved" },
  { path: ".tamma/runs/forged.json", rule: "reserved" },
  { path: ".Tamma/journal/x/journal.json", rule: "reserved" },
  { path: "src/a\u0000.ts", rule: "control-character" },
  { path: "src/a\nb.ts", rule: "control-character" },
  { path: "src/\u001b[31m.ts", rule: "control-character" },
  { path: "src/con", rule: "device-name" },
  { path: "src/PRN.ts", rule: "device-name" },
  { path: "aux.json", rule: "device-name" },
  { path: "src/nul.tar.gz", rule: "device-name" },
  { path: "com1.txt", rule: "device-name" },
  { path: "src/LPT1", rule: "device-name" },
  { path: "src/file.ts.", rule: "trailing-dot-or-space" },
  { path: "src/file.ts ", rule: "trailing-dot-or-space" },
  { path: "src/file.ts:stream", rule: "reserved-character" },
  { path: `src/${"n".repeat(300)}.ts`, rule: "name-too-long" },
  { path: `${"deep/".repeat(60)}x.ts`, rule: "too-long" },
  { path: "src/big.ts", rule: "too-large", content: "x".repeat(1_048_577) },
  { path: "src/binary.ts", rule: "binary-content", content: "PK\u0003\u0004\u0000\u0000" },
  { path: ".env", rule: "denied" },
  { path: "config/.env.production", rule: "denied" },
  { path: "certs/server.pem", rule: "denied" },
  { path: "home/.ssh/id_rsa", rule: "denied" },
  { path: "node_modules/left-pad/index.js", rule: "denied" },
  { path: "lib/outside-allow.ts", rule: "not-allowed", files: { allow: ["src/**"] } },
  { path: "src/secret.ts", rule: "denied", files: { deny: ["src/secret.ts"] } },
  { path: "escape/x.ts", rule: "symlink-escape", setup: link("$OUTSIDE", "escape") },
  { path: "src/linked/deep/x.ts", rule: "symlink-escape", setup: link("$OUTSIDE", "src/linked") },
  { path: "src/passwd.ts", rule: "symlink-escape", setup: link("/etc/passwd", "src/passwd.ts") },
  { path: "src/dangling.ts", rule: "symlink-escape", setup: link("$OUTSIDE/missing.ts", "src/dangling.ts") },
  {
    path: "src/to-git/config",
    rule: "reserved",
    setup: (root, outside) => {
      fs.mkdirSync(nodePath.join(root, ".git"))
      link("../.git", "src/to-git")(root, outside)
    }
  },
  { path: "src/fifo", rule: "special-file", setup: (root) => fs.mkdirSync(nodePath.join(root, "src/fifo")) }
]

/** A workspace with a file and a folder outside it, both removed when the scope closes. */
const workspace = Effect.acquireRelease(
  Effect.sync(() => {
    const base = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-hostile-")))
    const root = nodePath.join(base, "workspace")
    const outside = nodePath.join(base, "outside")
    fs.mkdirSync(nodePath.join(root, "src"), { recursive: true })
    fs.mkdirSync(outside)
    fs.writeFileSync(nodePath.join(root, "src", "keep.ts"), "export const keep = 1\n")
    fs.writeFileSync(nodePath.join(outside, "target.ts"), "outside\n")
    return { base, root, outside }
  }),
  ({ base }) => Effect.sync(() => fs.rmSync(base, { recursive: true, force: true }))
)

const managerOf = <E>(layer: Layer.Layer<FileManager, E>) =>
  Effect.gen(function* () {
    return yield* FileManager
  }).pipe(Effect.provide(layer))

const outsideTree = (outside: string) =>
  fs.readdirSync(outside).map((name) => [name, fs.readFileSync(nodePath.join(outside, name), "utf8")])

describe("hostile paths", () => {
  it("has at least 30 cases", () => {
    expect(table.length).toBeGreaterThanOrEqual(30)
  })

  it.effect.each(table.map((entry) => [JSON.stringify(entry.path).slice(0, 60), entry] as const))(
    "refuses %s",
    ([, entry]) =>
      Effect.gen(function* () {
        const { root, outside } = yield* workspace
        entry.setup?.(root, outside)
        const before = snapshot(root)
        const outsideBefore = outsideTree(outside)
        const files = Schema.decodeUnknownSync(FilesConfig)(entry.files ?? {})
        const manager = yield* managerOf(NodeFiles.layer(root, files))
        const error = yield* manager
          .transaction(
            Effect.gen(function* () {
              yield* manager.write("src/good.ts", "export const good = 1\n")
              yield* manager.write(entry.path, entry.content ?? "export const x = 1\n")
            })
          )
          .pipe(Effect.flip)
        expect(error._tag).toBe("UnsafePathError")
        expect(error._tag === "UnsafePathError" ? error.rule : error._tag).toBe(entry.rule)
        expect(snapshot(root)).toEqual(before)
        expect(outsideTree(outside)).toEqual(outsideBefore)
        expect(fs.existsSync(nodePath.join(root, ".tamma", "journal"))).toBe(false)
      })
  )

  it.effect("refuses at apply time a symlink created after the path was staged", () =>
    Effect.gen(function* () {
      const { root, outside } = yield* workspace
      const manager = yield* managerOf(NodeFiles.layer(root))
      const error = yield* manager
        .transaction(
          Effect.gen(function* () {
            yield* manager.write("src/good.ts", "export const good = 1\n")
            yield* manager.write("src/late/x.ts", "export const x = 1\n")
            fs.symlinkSync(outside, nodePath.join(root, "src", "late"))
          })
        )
        .pipe(Effect.flip)
      expect(error._tag === "UnsafePathError" ? error.rule : error._tag).toBe("symlink-escape")
      expect(fs.existsSync(nodePath.join(root, "src", "good.ts"))).toBe(false)
      expect(fs.readdirSync(outside)).toEqual(["target.ts"])
    })
  )
})
