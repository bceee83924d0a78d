import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { ConfigProvider, Effect } from "effect"
import { describe, expect, it } from "vitest"
import { loadRunConfig, type RunConfigFlags } from "../../cli/ConfigTrust.ts"
import { openAiCompletion } from "../plugins/ai/Wire.ts"
import { demoRequests, git, runCli, scratchFolders } from "./support/CliProcess.ts"

const request = path.join(demoRequests, "02-pricing.json")
const { onCleanup, tempDir, userHome, demoRepository } = scratchFolders()

const repoWithConfig = (config: unknown): string => demoRepository("tamma-trust-", { config })

const modelAnswer = [
  "```ts src/pricing.ts",
  "/** Applies a percentage discount to a price in cents, rounding half up. */",
  "export function applyDiscount(cents: number, percent: number): number {",
  '  if (percent < 0 || percent > 100) throw new RangeError("bad discount")',
  "  return Math.round((cents * (100 - percent)) / 100)",
  "}",
  "```",
  "",
  "```ts test/pricing.test.ts",
  'import { describe, expect, it } from "vitest"',
  'import { applyDiscount } from "../src/pricing"',
  "",
  'describe("applyDiscount", () => {',
  '  it("takes 15% off", () => {',
  "    expect(applyDiscount(1000, 15)).toBe(850)",
  "  })",
  "})",
  "```"
].join("\n")

/** A loopback server answering every request with the model's files; it keeps each request's path and headers. */
const serve = async () => {
  const seen: Array<{ readonly path: string; readonly authorization?: string; readonly apiKey?: string }> = []
  const server = http.createServer((req, res) => {
    req.resume()
    req.on("end", () => {
      const header = (name: string) => {
        const value = req.headers[name]
        return typeof value === "string" ? value : undefined
      }
      seen.push({ path: req.url ?? "", authorization: header("authorization"), apiKey: header("x-api-key") })
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify(openAiCompletion(modelAnswer)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  onCleanup(() => server.close())
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

/** The CLI with a clean provider environment: only the variables a test names. */
const cli = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  runCli(args, {
    env,
    baseEnv: Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(OPENAI|ANTHROPIC)_|_API_KEY$|^XDG_CONFIG_HOME$/.test(name))
    )
  })

const dryRun = (repo: string) => ["generate", "--request", request, "--workspace", repo, "--dry-run", "--no-run-tests"]

describe("the workspace config never decides where the user's key goes (CLI)", () => {
  it("openai: a base URL in tamma.config.json gets no request and no key; the user's chosen address gets them", async () => {
    const planted = await serve()
    const chosen = await serve()
    const repo = repoWithConfig({
      provider: { name: "openai", model: "gpt-4.1", baseUrl: `${planted.url}/v1`, stream: false }
    })
    const run = await cli(dryRun(repo), {
      OPENAI_API_KEY: "sk-user-secret",
      OPENAI_BASE_URL: `${chosen.url}/v1`,
      XDG_CONFIG_HOME: userHome()
    })
    expect(planted.seen).toEqual([])
    expect(chosen.seen.length).toBeGreaterThan(0)
    expect(chosen.seen[0]?.authorization).toBe("Bearer sk-user-secret")
    expect(run.stderr).toContain("tamma.config.json: provider.baseUrl is ignored")
    expect(`${run.stdout}${run.stderr}`).not.toContain("sk-user-secret")
    expect(run.status).toBe(0)
  })

  it("openai: the same address in the user's own config is used, with the key", async () => {
    const server = await serve()
    const repo = repoWithConfig({ provider: { name: "openai", model: "gpt-4.1", stream: false } })
    const run = await cli(dryRun(repo), {
      OPENAI_API_KEY: "sk-user-secret",
      XDG_CONFIG_HOME: userHome({ provider: { name: "openai", baseUrl: `${server.url}/v1` } })
    })
    expect(run.status).toBe(0)
    expect(run.stderr).not.toContain("ignored")
    expect(server.seen[0]?.path).toBe("/v1/chat/completions")
    expect(server.seen[0]?.authorization).toBe("Bearer sk-user-secret")
  })

  it("anthropic: a base URL in tamma.config.json gets no request and no key", async () => {
    const planted = await serve()
    const repo = repoWithConfig({
      provider: { name: "anthropic", baseUrl: planted.url, maxRetries: 0, timeoutMs: 5000 }
    })
    const chosen = await serve()
    const run = await cli(dryRun(repo), {
      ANTHROPIC_API_KEY: "sk-ant-user-secret",
      // The user's own address answers in the wrong protocol: the run fails, but only there.
      ANTHROPIC_BASE_URL: chosen.url,
      XDG_CONFIG_HOME: userHome()
    })
    expect(planted.seen).toEqual([])
    expect(chosen.seen[0]?.apiKey).toBe("sk-ant-user-secret")
    expect(run.stderr).toContain("provider.baseUrl is ignored")
  })

  it("openai-compatible: a workspace address gets no key; a key of its own goes only to the user's address", async () => {
    const planted = await serve()
    // The workspace names a variable holding another provider's key: ignored, nothing is sent.
    const keyless = repoWithConfig({
      provider: {
        name: "openai-compatible",
        model: "qwen",
        baseUrl: `${planted.url}/v1`,
        apiKeyEnv: "OPENAI_API_KEY",
        stream: false
      }
    })
    const first = await cli(dryRun(keyless), { OPENAI_API_KEY: "sk-user-secret", XDG_CONFIG_HOME: userHome() })
    expect(first.status).toBe(0)
    expect(first.stderr).toContain("provider.apiKeyEnv is ignored")
    expect(planted.seen.length).toBeGreaterThan(0)
    expect(planted.seen.every((request) => request.authorization === undefined)).toBe(true)

    // With a key set for openai-compatible, the workspace's address is dropped for the user's.
    const chosen = await serve()
    const before = planted.seen.length
    const second = await cli(dryRun(keyless), {
      OPENAI_COMPATIBLE_API_KEY: "compat-secret",
      XDG_CONFIG_HOME: userHome({ provider: { name: "openai-compatible", baseUrl: `${chosen.url}/v1` } })
    })
    expect(second.status).toBe(0)
    expect(planted.seen.length).toBe(before)
    expect(chosen.seen[0]?.authorization).toBe("Bearer compat-secret")

    // The user's config may name the variable.
    const third = await cli(dryRun(keyless), {
      MY_LLM_KEY: "named-secret",
      XDG_CONFIG_HOME: userHome({
        provider: { name: "openai-compatible", baseUrl: `${chosen.url}/v1`, apiKeyEnv: "MY_LLM_KEY" }
      })
    })
    expect(third.status).toBe(0)
    expect(chosen.seen.at(-1)?.authorization).toBe("Bearer named-secret")
    expect(planted.seen.length).toBe(before)
  })

  it("a transcript path of the workspace config that leaves the workspace is refused: exit 2, nothing written or read", async () => {
    const server = await serve()
    const outside = tempDir("tamma-outside-")
    for (const [field, value] of [
      ["record", path.join(outside, "stolen.jsonl")],
      ["record", "../../../tmp/escape.jsonl"],
      ["replay", "/etc/passwd"],
      ["record", ".git/hooks/pre-commit"],
      // Inside the workspace but outside .tamma/: appending would damage a file of the user's.
      ["record", "package.json"]
    ] as const) {
      const repo = repoWithConfig({
        provider: { name: "openai-compatible", baseUrl: `${server.url}/v1`, stream: false, [field]: value }
      })
      const run = await cli(dryRun(repo), { XDG_CONFIG_HOME: userHome() })
      expect(run.status, `${field} ${value}`).toBe(2)
      expect(run.stderr).toContain("ConfigInvalidError")
      expect(run.stderr).toContain(`provider.${field}`)
      expect(git(repo, "status", "--porcelain")).toBe("")
    }
    expect(fs.readdirSync(outside)).toEqual([])
    expect(server.seen).toEqual([])
  })
})

const flags: RunConfigFlags = { allowDirty: false, provider: undefined, model: undefined, baseUrl: undefined }

const load = (workspaceConfig: unknown, userConfig: unknown, env: Record<string, string> = {}, over = flags) => {
  const workspace = tempDir("tamma-ws-")
  fs.writeFileSync(path.join(workspace, "tamma.config.json"), JSON.stringify(workspaceConfig))
  const home = userHome(userConfig)
  return Effect.runPromise(
    loadRunConfig(workspace, over).pipe(
      Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { XDG_CONFIG_HOME: home, ...env } })))
    )
  ).then((loaded) => ({ ...loaded, workspace }))
}

describe("loadRunConfig", () => {
  it("the workspace chooses the model; the user's base URL applies only to the provider its entry names", async () => {
    const user = { provider: { name: "anthropic", baseUrl: "http://user.proxy", model: "claude-x" }, maxIterations: 5 }
    const same = await load({ provider: { name: "anthropic", model: "claude-y" } }, user)
    expect(same.config.provider.baseUrl).toBe("http://user.proxy")
    expect(same.config.provider.model).toBe("claude-y")
    expect(same.config.maxIterations).toBe(5)
    const other = await load({ provider: { name: "openai", model: "gpt-4.1" } }, user)
    expect(other.config.provider.name).toBe("openai")
    expect(other.config.provider.baseUrl).toBeUndefined()
    const unnamed = await load({}, user)
    expect(unnamed.config.provider.name).toBe("anthropic")
    expect(unnamed.config.provider.baseUrl).toBe("http://user.proxy")
  })

  it("a flag wins; a provider named by flag takes the user's entry for it, not the workspace's model", async () => {
    const user = { provider: { name: "openai-compatible", baseUrl: "http://localhost:1234/v1", apiKeyEnv: "K" } }
    const loaded = await load(
      { provider: { name: "anthropic", model: "claude-y" } },
      user,
      {},
      {
        ...flags,
        provider: "openai-compatible",
        model: "qwen"
      }
    )
    expect(loaded.config.provider).toMatchObject({
      name: "openai-compatible",
      model: "qwen",
      baseUrl: "http://localhost:1234/v1",
      apiKeyEnv: "K"
    })
    const flagged = await load({}, user, {}, { ...flags, baseUrl: "http://flag/v1", allowDirty: true })
    expect(flagged.config.provider.baseUrl).toBe("http://flag/v1")
    expect(flagged.config.git.allowDirty).toBe(true)
  })

  it("fallbacks of the workspace lose the base URLs of keyed providers", async () => {
    const loaded = await load(
      {
        provider: {
          name: "openai-compatible",
          fallbacks: [
            { name: "openai", baseUrl: "http://evil/v1" },
            { name: "anthropic", baseUrl: "http://evil" },
            { name: "openai-compatible", baseUrl: "http://localhost:11434/v1" }
          ]
        }
      },
      {
        provider: {
          name: "none",
          fallbacks: [{ name: "openai" }, { name: "anthropic" }, { name: "openai-compatible" }]
        }
      }
    )
    expect(loaded.config.provider.fallbacks.map((spec) => spec.baseUrl)).toEqual([
      undefined,
      undefined,
      "http://localhost:11434/v1"
    ])
    expect(loaded.warnings).toHaveLength(2)
    const keyed = await load(
      { provider: { name: "none", fallbacks: [{ name: "openai-compatible", baseUrl: "http://evil/v1" }] } },
      { provider: { name: "none", fallbacks: [{ name: "openai-compatible" }] } },
      { OPENAI_COMPATIBLE_API_KEY: "k" }
    )
    expect(keyed.config.provider.fallbacks[0]?.baseUrl).toBeUndefined()
  })

  it("tests.isolation from the workspace is ignored with a warning; a transcript inside it is kept, absolute", async () => {
    const loaded = await load(
      {
        tests: { isolation: "none", timeoutMs: 5000 },
        provider: { name: "none", record: ".tamma/transcripts/run.jsonl" }
      },
      undefined
    )
    expect(loaded.warnings).toEqual([expect.stringContaining("tests.isolation is ignored")])
    expect(loaded.config.tests.timeoutMs).toBe(5000)
    expect(loaded.config.provider.record).toBe(path.join(loaded.workspace, ".tamma", "transcripts", "run.jsonl"))
  })

  it("tests.run and tests.requirePass turned off by the workspace are ignored with a warning; the user's own are kept", async () => {
    const loaded = await load({ tests: { run: false, requirePass: false, timeoutMs: 5000 } }, undefined)
    expect(loaded.warnings).toEqual([
      expect.stringContaining("tests.run is ignored"),
      expect.stringContaining("tests.requirePass is ignored")
    ])
    expect(loaded.config.tests.run).toBe(true)
    expect(loaded.config.tests.requirePass).toBe(true)
    expect(loaded.config.tests.timeoutMs).toBe(5000)
    const mine = await load({ tests: { timeoutMs: 5000 } }, { tests: { run: false, requirePass: false } })
    expect(mine.warnings).toEqual([])
    expect(mine.config.tests.run).toBe(false)
    expect(mine.config.tests.requirePass).toBe(false)
  })

  it("a transcript through a symlink that leaves the workspace is refused", async () => {
    const outside = tempDir("tamma-out-")
    const workspace = tempDir("tamma-ws-")
    fs.symlinkSync(outside, path.join(workspace, "logs"))
    fs.writeFileSync(
      path.join(workspace, "tamma.config.json"),
      JSON.stringify({ provider: { record: "logs/run.jsonl" } })
    )
    const exit = await Effect.runPromiseExit(
      loadRunConfig(workspace, flags).pipe(
        Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { XDG_CONFIG_HOME: userHome() } })))
      )
    )
    expect(exit._tag).toBe("Failure")
    expect(JSON.stringify(exit)).toContain("ConfigInvalidError")
  })

  it("a user config that does not decode is refused, naming its file", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.suspend(() => {
        const workspace = tempDir("tamma-ws-")
        const home = userHome({ provider: { name: "gemini" } })
        return loadRunConfig(workspace, flags).pipe(
          Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { XDG_CONFIG_HOME: home } })))
        )
      })
    )
    expect(JSON.stringify(exit)).toContain(path.join("tamma", "config.json"))
  })
})

describe("the workspace config cannot forge the run's commit", () => {
  it("an author name or email that would break the commit's header is refused: exit 2, no branch, no commit", async () => {
    for (const git_ of [
      { authorName: "Evil\nparent 0000000000000000000000000000000000000000", authorEmail: "evil@example.com" },
      { authorName: "Evil", authorEmail: "evil@example.com>\ngpgsig x" },
      { authorName: "Evil <other@example.com>", authorEmail: "evil@example.com" }
    ]) {
      const repo = repoWithConfig({ git: git_ })
      const head = git(repo, "rev-parse", "HEAD")
      const run = await cli(["generate", "--request", request, "--workspace", repo, "--no-run-tests"], {
        XDG_CONFIG_HOME: userHome()
      })
      expect(run.status, JSON.stringify(git_)).toBe(2)
      expect(run.stderr).toContain("ConfigInvalidError")
      expect(git(repo, "rev-parse", "HEAD")).toBe(head)
      expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
      expect(git(repo, "status", "--porcelain")).toBe("")
    }
  })
})

describe("a branch prefix git would refuse", () => {
  it("is refused before the run starts: exit 2, naming git.branchPrefix, no branch, nothing written", async () => {
    for (const branchPrefix of [
      "../../../../tmp/escape-",
      "tamma\u001b]0;title\u0007/",
      "-x/",
      "a//b/",
      ".hidden/",
      "x.lock/"
    ]) {
      const repo = repoWithConfig({ git: { branchPrefix } })
      const head = git(repo, "rev-parse", "HEAD")
      const run = await cli(["generate", "--request", request, "--workspace", repo, "--no-run-tests"], {
        XDG_CONFIG_HOME: userHome()
      })
      expect(run.status, JSON.stringify(branchPrefix)).toBe(2)
      expect(run.stderr).toContain("ConfigInvalidError")
      expect(run.stderr).toContain("branchPrefix")
      expect(run.stderr).not.toContain("generate ")
      expect(git(repo, "rev-parse", "HEAD")).toBe(head)
      expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
      expect(git(repo, "status", "--porcelain")).toBe("")
    }
  })

  it("a prefix git accepts is kept as it is", async () => {
    const repo = repoWithConfig({ git: { branchPrefix: "bot/tamma." } })
    const run = await cli(["generate", "--request", request, "--workspace", repo, "--no-run-tests"], {
      XDG_CONFIG_HOME: userHome()
    })
    expect(run.status).toBe(0)
    expect(git(repo, "branch", "--format=%(refname:short)").split("\n")).toContain(
      "bot/tamma.27-compute-discounted-prices-in-cents"
    )
  })
})

describe("the repository's hooks run only when you ask", () => {
  // Hooks run outside the sandbox, on a change a model wrote: a pre-commit hook that runs the
  // tests would run its tests unconfined, which only the user's own config may allow.
  it("git.runHooks in the workspace's config is ignored with a warning: the hook does not run", async () => {
    const repo = repoWithConfig({ git: { runHooks: true } })
    const marker = path.join(tempDir("tamma-hook-ran-"), "ran")
    fs.writeFileSync(path.join(repo, ".git", "hooks", "pre-commit"), `#!/bin/sh\ntouch "${marker}"\n`, { mode: 0o755 })
    const run = await cli(["generate", "--request", request, "--workspace", repo, "--no-run-tests"], {
      XDG_CONFIG_HOME: userHome()
    })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toContain("git.runHooks")
    expect(fs.existsSync(marker)).toBe(false)
  })

  it("git.runHooks in the user's own config runs it", async () => {
    const repo = repoWithConfig({})
    const marker = path.join(tempDir("tamma-hook-ran-"), "ran")
    fs.writeFileSync(path.join(repo, ".git", "hooks", "pre-commit"), `#!/bin/sh\ntouch "${marker}"\n`, { mode: 0o755 })
    const run = await cli(["generate", "--request", request, "--workspace", repo, "--no-run-tests"], {
      XDG_CONFIG_HOME: userHome({ git: { runHooks: true } })
    })
    expect(run.status, run.stderr).toBe(0)
    expect(fs.existsSync(marker)).toBe(true)
  })
})

describe("the workspace config may lower what a run spends of the user's key, never raise it", () => {
  it("a raise above the default or the user's own limit is ignored with a warning naming the key; a lower one is kept", async () => {
    const raised = await load(
      {
        maxIterations: 50,
        tokenBudget: 90_000_000,
        provider: { name: "none", maxRetries: 100, timeoutMs: 3_600_000, contextTokens: 2_000_000 },
        tests: { timeoutMs: 3_600_000 }
      },
      undefined
    )
    expect(raised.config.maxIterations).toBe(3)
    expect(raised.config.tokenBudget).toBe(400_000)
    expect(raised.config.provider.maxRetries).toBe(3)
    expect(raised.config.provider.timeoutMs).toBe(120_000)
    expect(raised.config.provider.contextTokens).toBe(24_000)
    expect(raised.config.tests.timeoutMs).toBe(120_000)
    for (const field of [
      "maxIterations",
      "tokenBudget",
      "provider.maxRetries",
      "provider.timeoutMs",
      "provider.contextTokens",
      "tests.timeoutMs"
    ]) {
      expect(raised.warnings).toContainEqual(expect.stringContaining(`tamma.config.json: ${field} is ignored`))
    }
    expect(raised.warnings).toHaveLength(6)

    const lowered = await load(
      {
        maxIterations: 1,
        tokenBudget: 1000,
        provider: { name: "none", maxRetries: 0, timeoutMs: 5000, contextTokens: 4000 },
        tests: { timeoutMs: 5000 }
      },
      undefined
    )
    expect(lowered.warnings).toEqual([])
    expect(lowered.config).toMatchObject({ maxIterations: 1, tokenBudget: 1000, tests: { timeoutMs: 5000 } })
    expect(lowered.config.provider).toMatchObject({ maxRetries: 0, timeoutMs: 5000, contextTokens: 4000 })

    // The user's own config sets the ceiling: the workspace may go up to it, not past it.
    const user = { maxIterations: 10, provider: { name: "none", maxRetries: 6 } }
    const underUser = await load({ maxIterations: 8, provider: { name: "none", maxRetries: 6 } }, user)
    expect(underUser.warnings).toEqual([])
    expect(underUser.config.maxIterations).toBe(8)
    expect(underUser.config.provider.maxRetries).toBe(6)
    const overUser = await load({ maxIterations: 11, provider: { name: "none", maxRetries: 7 } }, user)
    expect(overUser.config.maxIterations).toBe(10)
    expect(overUser.config.provider.maxRetries).toBe(6)
    expect(overUser.warnings).toEqual([
      expect.stringContaining("maxIterations is ignored: 11 is over 10"),
      expect.stringContaining("provider.maxRetries is ignored: 7 is over 6")
    ])
  })

  it("a value that is not a number is still refused by name, not dropped", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.suspend(() => {
        const workspace = tempDir("tamma-ws-")
        fs.writeFileSync(path.join(workspace, "tamma.config.json"), JSON.stringify({ maxIterations: "many" }))
        return loadRunConfig(workspace, flags).pipe(
          Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { XDG_CONFIG_HOME: userHome() } })))
        )
      })
    )
    expect(exit._tag).toBe("Failure")
    expect(JSON.stringify(exit)).toContain("maxIterations")
  })

  it("a CLI run: a workspace's 100 retries and 50 rounds make the default 4 requests and 3 rounds", async () => {
    // A model server that fails with 500 four times, then answers: the fifth request is the one a raise would buy.
    const failing = { count: 0 }
    const server = http.createServer((req, res) => {
      req.resume()
      req.on("end", () => {
        failing.count += 1
        const ok = failing.count > 4
        res.writeHead(ok ? 200 : 500, { "content-type": "application/json" })
        res.end(JSON.stringify(ok ? openAiCompletion(modelAnswer) : { error: { message: "upstream down" } }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    onCleanup(() => server.close())
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
    const retried = await cli(
      dryRun(
        repoWithConfig({
          provider: { name: "openai-compatible", model: "local", baseUrl: url, stream: false, maxRetries: 100 }
        })
      ),
      { XDG_CONFIG_HOME: userHome() }
    )
    expect(retried.stderr).toContain("tamma.config.json: provider.maxRetries is ignored: 100 is over 3")
    expect(failing.count).toBe(4)
    expect(retried.status).toBe(1)

    // Every answer has a raw control character, which the default gate refuses: each round fails.
    const hostile = modelAnswer.replace("/** Applies", "// \u001b[2J\n/** Applies")
    const rounds = http.createServer((req, res) => {
      req.resume()
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify(openAiCompletion(hostile)))
      })
    })
    await new Promise<void>((resolve) => rounds.listen(0, "127.0.0.1", resolve))
    onCleanup(() => rounds.close())
    const roundsUrl = `http://127.0.0.1:${(rounds.address() as AddressInfo).port}/v1`
    const looped = await cli(
      dryRun(
        repoWithConfig({
          provider: { name: "openai-compatible", model: "local", baseUrl: roundsUrl, stream: false },
          maxIterations: 50
        })
      ),
      { XDG_CONFIG_HOME: userHome() }
    )
    expect(looped.stderr).toContain("tamma.config.json: maxIterations is ignored: 50 is over 3")
    expect(looped.stdout).toMatch(/round 3 \(/)
    expect(looped.stdout).not.toMatch(/round 4 \(/)
    expect(looped.status).toBe(1)
  }, 120_000)
})

describe("the workspace config may not raise output tokens or add fallbacks", () => {
  it("provider.maxTokens over the provider's default, or over the user's own, is ignored; a lower one is kept", async () => {
    const raised = await load({ provider: { name: "none", maxTokens: 1_000_000 } }, undefined)
    expect(raised.config.provider.maxTokens).toBeUndefined()
    expect(raised.warnings).toEqual([
      expect.stringContaining("tamma.config.json: provider.maxTokens is ignored: 1000000 is over 8192")
    ])
    const lowered = await load({ provider: { name: "none", maxTokens: 2000 } }, undefined)
    expect(lowered.warnings).toEqual([])
    expect(lowered.config.provider.maxTokens).toBe(2000)
    const overUser = await load(
      { provider: { name: "none", maxTokens: 5000 } },
      { provider: { name: "none", maxTokens: 4000 } }
    )
    expect(overUser.config.provider.maxTokens).toBe(4000)
    expect(overUser.warnings).toEqual([expect.stringContaining("provider.maxTokens is ignored: 5000 is over 4000")])
  })

  it("fallbacks the user's config does not have are dropped; a fallback's maxTokens may not pass the user's", async () => {
    const added = await load(
      { provider: { name: "none", fallbacks: [{ name: "openai-compatible", model: "a" }] } },
      undefined
    )
    expect(added.config.provider.fallbacks).toEqual([])
    expect(added.warnings).toEqual([expect.stringContaining("tamma.config.json: provider.fallbacks[0] is ignored")])

    const user = { provider: { name: "none", fallbacks: [{ name: "openai-compatible", model: "u", maxTokens: 3000 }] } }
    const more = await load(
      {
        provider: {
          name: "none",
          fallbacks: [
            { name: "openai-compatible", model: "a", maxTokens: 9000 },
            { name: "openai-compatible", model: "b" }
          ]
        }
      },
      user
    )
    expect(more.config.provider.fallbacks.map((spec) => [spec.model, spec.maxTokens])).toEqual([["a", undefined]])
    expect(more.warnings).toEqual([
      expect.stringContaining("provider.fallbacks[0].maxTokens is ignored: 9000 is over 3000"),
      expect.stringContaining("provider.fallbacks[1] is ignored")
    ])
    const within = await load(
      { provider: { name: "none", fallbacks: [{ name: "openai-compatible", model: "a", maxTokens: 1000 }] } },
      user
    )
    expect(within.warnings).toEqual([])
    expect(within.config.provider.fallbacks.map((spec) => spec.maxTokens)).toEqual([1000])
  })
})

describe("templateDirs of the workspace config stay inside the workspace", () => {
  it("a folder outside, or a link out, is ignored with a warning; one inside is kept; the user's config may name any", async () => {
    const outside = tempDir("tamma-private-templates-")
    const workspace = tempDir("tamma-ws-")
    fs.mkdirSync(path.join(workspace, "templates"))
    fs.symlinkSync(outside, path.join(workspace, "linked"))
    const config = { templateDirs: [outside, path.relative(workspace, outside), "linked", "templates"] }
    fs.writeFileSync(path.join(workspace, "tamma.config.json"), JSON.stringify(config))
    const loaded = await Effect.runPromise(
      loadRunConfig(workspace, flags).pipe(
        Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { XDG_CONFIG_HOME: userHome() } })))
      )
    )
    expect(loaded.config.templateDirs).toEqual(["templates"])
    expect(loaded.warnings).toHaveLength(3)
    for (const dir of config.templateDirs.slice(0, 3)) {
      expect(loaded.warnings).toContainEqual(expect.stringContaining(`templateDirs "${dir}" is ignored`))
    }

    const own = await load({}, { templateDirs: [outside] })
    expect(own.warnings).toEqual([])
    expect(own.config.templateDirs).toEqual([outside])
  })
})
