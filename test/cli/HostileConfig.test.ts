import * as fs from "node:fs"
import * as path from "node:path"
import { ConfigProvider, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { loadRunConfig } from "../../cli/ConfigTrust.ts"
import { demoRequests, gitState, runCli, scratchFolders } from "./support/CliProcess.ts"

const { tempDir, userHome, demoRepository } = scratchFolders()

const flags = { allowDirty: false, provider: undefined, model: undefined, baseUrl: undefined }

/** The run config of a workspace whose tamma.config.json is `text`, under the user config `user`. */
const load = (text: string, user?: unknown) =>
  Effect.runPromiseExit(
    Effect.suspend(() => {
      const workspace = tempDir("tamma-ws-")
      fs.writeFileSync(path.join(workspace, "tamma.config.json"), text)
      return loadRunConfig(workspace, flags).pipe(
        Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { XDG_CONFIG_HOME: userHome(user) } })))
      )
    })
  )

describe("a __proto__ key in a config file", () => {
  it("is refused by name, at any depth: it would set what every other key of its object reads", async () => {
    for (const [text, where] of [
      ['{"__proto__": {"tests": {"isolation": "none"}, "git": {"runHooks": true}, "maxIterations": 50}}', "__proto__"],
      ['{"provider": {"name": "none", "__proto__": {"maxRetries": 100}}}', "provider.__proto__"],
      ['{"quality": {"rules": [{"__proto__": {}}]}}', "quality.rules[0].__proto__"]
    ] as const) {
      const exit = await load(text)
      expect(Exit.isFailure(exit)).toBe(true)
      const error = Exit.isFailure(exit) ? JSON.stringify(exit.cause) : ""
      expect(error).toContain("ConfigInvalidError")
      expect(error).toContain(`${where} `)
    }
  })

  it("a CLI run: exit 2, the sandbox and hooks untouched, nothing written", async () => {
    const repo = demoRepository("tamma-proto-", {
      config: JSON.parse('{"__proto__": {"tests": {"isolation": "none"}, "git": {"runHooks": true}}}')
    })
    expect(fs.readFileSync(path.join(repo, "tamma.config.json"), "utf8")).toContain("__proto__")
    const state = gitState(repo)
    const run = await runCli(
      ["generate", "--request", path.join(demoRequests, "02-pricing.json"), "--workspace", repo, "--no-run-tests"],
      { env: { XDG_CONFIG_HOME: userHome() } }
    )
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("__proto__")
    expect(gitState(repo)).toEqual(state)
  })
})

describe("the workspace config may not raise the cap on a model's answer", () => {
  it("provider.maxAnswerBytes over the default or the user's own is ignored with a warning; a lower one is kept", async () => {
    const raised = await load(JSON.stringify({ provider: { name: "none", maxAnswerBytes: 2_000_000_000 } }))
    expect(Exit.isSuccess(raised)).toBe(true)
    if (!Exit.isSuccess(raised)) return
    expect(raised.value.config.provider.maxAnswerBytes).toBe(4 * 1024 * 1024)
    expect(raised.value.warnings).toEqual([
      expect.stringContaining("provider.maxAnswerBytes is ignored: 2000000000 is over 4194304")
    ])
    const user = { provider: { name: "none", maxAnswerBytes: 8_000_000 } }
    const underUser = await load(JSON.stringify({ provider: { name: "none", maxAnswerBytes: 6_000_000 } }), user)
    expect(Exit.isSuccess(underUser) && underUser.value.config.provider.maxAnswerBytes).toBe(6_000_000)
  })
})

describe("the workspace config may add to the file rules, not loosen them", () => {
  it("files.deny keeps every pattern of the default (or the user's) list; files.maxFileBytes may not be raised", async () => {
    const loosened = await load(JSON.stringify({ files: { deny: ["secrets/**"], maxFileBytes: 1e15 } }))
    expect(Exit.isSuccess(loosened)).toBe(true)
    if (!Exit.isSuccess(loosened)) return
    expect(loosened.value.config.files.deny).toEqual([
      ".env*",
      "**/.env*",
      "**/*.pem",
      "**/id_rsa*",
      "node_modules/**",
      "secrets/**"
    ])
    expect(loosened.value.config.files.maxFileBytes).toBe(1_048_576)
    expect(loosened.value.warnings).toEqual([
      expect.stringContaining("files.maxFileBytes is ignored: 1000000000000000 is over 1048576"),
      expect.stringContaining('files.deny drops ".env*", "**/.env*", "**/*.pem", "**/id_rsa*", "node_modules/**"')
    ])
    // The user's own list is the floor when it has one.
    const user = { files: { deny: ["private/**"] } }
    const own = await load(JSON.stringify({ files: { deny: [] } }), user)
    expect(Exit.isSuccess(own) && own.value.config.files.deny).toEqual(["private/**"])
  })
})

describe("a config or request file that is not plain JSON", () => {
  it("a byte order mark or a comment is refused with where and why, not 'Expected a valid JSON string'", async () => {
    const bom = await load('\ufeff{"maxIterations": 2}')
    expect(Exit.isFailure(bom) && JSON.stringify(bom.cause)).toContain("byte order mark")
    const comment = await load('{\n  // why\n  "maxIterations": 2\n}')
    expect(Exit.isFailure(comment) && JSON.stringify(comment.cause)).toContain("line 2, column 3")

    const request = path.join(tempDir("tamma-request-"), "request.json")
    fs.writeFileSync(request, `\ufeff${fs.readFileSync(path.join(demoRequests, "02-pricing.json"), "utf8")}`)
    const run = await runCli(["generate", "--request", request, "--workspace", tempDir("tamma-ws-"), "--dry-run"], {
      env: { XDG_CONFIG_HOME: userHome() }
    })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("byte order mark")
    // The file's text is not quoted back: it may hold anything.
    expect(run.stderr).not.toContain('"task')
  })
})
