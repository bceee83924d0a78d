/**
 * Symlinks and file modes in commits, judged by the git CLI: a link is committed as a link
 * (mode 120000, its target as the blob), never as the file it points to; a regular file is
 * 100755 only when it is executable.
 */
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Git } from "../../../core/services/Git.ts"
import { IsomorphicGit } from "../../../plugins/git/isomorphic-git/IsomorphicGit.ts"
import { git, makeRepository } from "./GitFixture.ts"

const initial = { "README.md": "# project\n", "lib/impl.ts": "export const impl = 1\n" }

const serviceFor = (dir: string) =>
  Effect.gen(function* () {
    return yield* Git
  }).pipe(Effect.provide(IsomorphicGit.layer(dir)))

/** `git ls-files -s` of one path: mode and blob. */
const staged = (dir: string, path: string) => {
  const [mode, oid] = git(dir, "ls-files", "-s", "--", path).split(/\s+/)
  return { mode, oid }
}

const blobOf = (dir: string, oid: string | undefined) => git(dir, "cat-file", "-p", oid ?? "")

describe("IsomorphicGit symlinks and modes", () => {
  it.effect("commits a new symlink as a link: mode 120000 and its target as the blob", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      yield* Effect.promise(() => fs.mkdir(nodePath.join(dir, "src")))
      yield* Effect.promise(() => fs.symlink("../lib/impl.ts", nodePath.join(dir, "src/pricing.ts")))
      const service = yield* serviceFor(dir)
      yield* service.commit({ files: ["src/pricing.ts"], message: "link" })
      const entry = staged(dir, "src/pricing.ts")
      expect(entry.mode).toBe("120000")
      expect(blobOf(dir, entry.oid)).toBe("../lib/impl.ts")
      expect(git(dir, "ls-tree", "HEAD", "src/pricing.ts")).toMatch(/^120000 blob /)
      expect(git(dir, "status", "--porcelain")).toBe("")
      git(dir, "fsck", "--strict", "--no-progress")
    })
  )

  it.effect("keeps a tracked link a link even when the content written through it is passed", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      yield* Effect.promise(() => fs.mkdir(nodePath.join(dir, "src")))
      yield* Effect.promise(() => fs.symlink("../lib/impl.ts", nodePath.join(dir, "src/pricing.ts")))
      git(dir, "add", "src/pricing.ts")
      git(dir, "-c", "user.name=Setup", "-c", "user.email=setup@example.com", "commit", "--quiet", "-m", "link")
      const written = "export const impl = 2\n"
      yield* Effect.promise(() => fs.writeFile(nodePath.join(dir, "lib/impl.ts"), written))
      const service = yield* serviceFor(dir)
      // What a run that wrote through the link would have staged under both names.
      yield* service.commit({
        files: ["src/pricing.ts", "lib/impl.ts"],
        message: "through the link",
        contents: new Map([
          ["src/pricing.ts", written],
          ["lib/impl.ts", written]
        ])
      })
      expect(staged(dir, "src/pricing.ts").mode).toBe("120000")
      expect(git(dir, "ls-tree", "HEAD", "src/pricing.ts")).toMatch(/^120000 blob /)
      expect(staged(dir, "lib/impl.ts").mode).toBe("100644")
      expect(git(dir, "show", "HEAD:lib/impl.ts")).toBe(written.trimEnd())
      expect(git(dir, "show", "--name-only", "--format=", "HEAD")).toBe("lib/impl.ts")
      expect(git(dir, "status", "--porcelain")).toBe("")
      git(dir, "fsck", "--strict", "--no-progress")
    })
  )

  it.effect("commits a regular file 100644 unless it is executable", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      yield* Effect.promise(() => fs.writeFile(nodePath.join(dir, "plain.ts"), "export const p = 1\n", { mode: 0o644 }))
      yield* Effect.promise(() => fs.writeFile(nodePath.join(dir, "run.sh"), "#!/bin/sh\n", { mode: 0o755 }))
      const service = yield* serviceFor(dir)
      yield* service.commit({ files: ["plain.ts", "run.sh"], message: "modes" })
      expect(staged(dir, "plain.ts").mode).toBe("100644")
      expect(staged(dir, "run.sh").mode).toBe("100755")
      expect(git(dir, "status", "--porcelain")).toBe("")
    })
  )

  it.effect("refuses a path beyond a symlinked folder, as git does, and commits nothing", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      yield* Effect.promise(() => fs.symlink("lib", nodePath.join(dir, "src")))
      const head = git(dir, "rev-parse", "HEAD")
      const service = yield* serviceFor(dir)
      const error = yield* service.commit({ files: ["src/impl.ts"], message: "beyond" }).pipe(Effect.flip)
      expect(error._tag).toBe("GitError")
      expect(error.message).toContain("beyond the symlink src")
      expect(git(dir, "rev-parse", "HEAD")).toBe(head)
    })
  )
})
