/**
 * The file template store reads the built-in packs once per process, yet sees a built-in
 * template edited, added or removed; a team's packs and a workspace's own templates are read for
 * each store, so one workspace never sees another's.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { TemplateStore } from "../../../core/services/TemplateStore.ts"
import { NunjucksEngine } from "../../../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FileTemplateStore } from "../../../plugins/templates/store/FileTemplateStore.ts"

let root = ""
beforeAll(async () => {
  root = await fs.mkdtemp(nodePath.join(os.tmpdir(), "tamma-store-"))
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

/** A pack folder `<dir>/python/implementation/<name>/` whose one file renders `body`. */
const writePack = async (dir: string, name: string, body: string) => {
  const folder = nodePath.join(dir, "python", "implementation", name)
  await fs.mkdir(nodePath.join(folder, "files"), { recursive: true })
  await fs.writeFile(
    nodePath.join(folder, "template.json"),
    JSON.stringify({ id: `python/${name}`, name, language: "python", category: "implementation", version: "1.0.0" })
  )
  await fs.writeFile(nodePath.join(folder, "files", `${name}.py.njk`), body)
}

/** A fresh store, as each run builds one, and what `use` makes of it. */
const withStore = <A>(
  options: Parameters<typeof FileTemplateStore.layer>[0],
  use: (store: TemplateStore["Service"]) => Effect.Effect<A, unknown>
) =>
  Effect.runPromise(
    Effect.gen(function* () {
      return yield* use(yield* TemplateStore)
    }).pipe(Effect.provide(FileTemplateStore.layer(options).pipe(Layer.provide(NunjucksEngine.layer))))
  )

const ids = (store: TemplateStore["Service"]) =>
  Effect.map(store.list(), (manifests) => manifests.map((manifest) => manifest.id))

describe("the file template store", () => {
  it("reads the built-in packs once, and again when one of their files or folders changes", async () => {
    const builtinDir = nodePath.join(root, "builtin")
    await writePack(builtinDir, "alpha", "a = 1\n")
    await writePack(builtinDir, "beta", "b = 1\n")
    const first = await withStore({ builtinDir }, (store) => store.load("python/alpha"))
    // Another store, as the next task or job builds: the same template, not read again.
    expect(await withStore({ builtinDir }, (store) => store.load("python/alpha"))).toBe(first)

    // Same size, so only its times tell.
    await fs.writeFile(
      nodePath.join(builtinDir, "python", "implementation", "alpha", "files", "alpha.py.njk"),
      "a = 2\n"
    )
    const edited = await withStore({ builtinDir }, (store) => store.load("python/alpha"))
    expect(edited.files.map((file) => file.source)).toEqual(["a = 2\n"])
    expect(edited.hash).not.toBe(first.hash)

    await writePack(builtinDir, "gamma", "c = 1\n")
    expect(await withStore({ builtinDir }, ids)).toEqual(["python/alpha", "python/beta", "python/gamma"])

    await fs.rm(nodePath.join(builtinDir, "python", "implementation", "beta"), { recursive: true })
    expect(await withStore({ builtinDir }, ids)).toEqual(["python/alpha", "python/gamma"])
  })

  it("reads a team's packs for each store: one workspace's packs never reach another", async () => {
    const builtinDir = nodePath.join(root, "shared-builtin")
    await writePack(builtinDir, "alpha", "a = 1\n")
    const team = nodePath.join(root, "team")
    await writePack(team, "teamwork", "t = 1\n")
    // A team's template of a built-in's id replaces the built-in one, in that store only.
    await writePack(team, "alpha", "a = 'team'\n")

    const withTeam = await withStore({ builtinDir, packDirs: [team] }, (store) =>
      Effect.all([ids(store), store.load("python/alpha")])
    )
    expect(withTeam[0]).toEqual(["python/alpha", "python/teamwork"])
    expect(withTeam[1].source).toBe("user")
    const without = await withStore({ builtinDir }, (store) => Effect.all([ids(store), store.load("python/alpha")]))
    expect(without[0]).toEqual(["python/alpha"])
    expect(without[1].source).toBe("builtin")
    expect(without[1].files.map((file) => file.source)).toEqual(["a = 1\n"])

    await fs.writeFile(
      nodePath.join(team, "python", "implementation", "teamwork", "files", "teamwork.py.njk"),
      "t = 2\n"
    )
    const edited = await withStore({ builtinDir, packDirs: [team] }, (store) => store.load("python/teamwork"))
    expect(edited.files.map((file) => file.source)).toEqual(["t = 2\n"])
  })
})
