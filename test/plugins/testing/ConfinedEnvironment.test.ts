import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { confinedEnvironment, ownNodeModules, toolchainsOf } from "../../../plugins/testing/ConfinedEnvironment.ts"

const folders: Array<string> = []
const tempFolder = () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tamma-env-")))
  folders.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

describe("confinedEnvironment", () => {
  it("passes only allow-listed variables, with HOME and TMPDIR in the scratch folder", () => {
    const scratch = tempFolder()
    const parent = {
      PATH: "/usr/bin:/bin",
      LANG: "en_US.UTF-8",
      HOME: "/home/someone",
      AWS_SECRET_ACCESS_KEY: "leak-aws",
      AWS_PROFILE: "leak-profile",
      GITHUB_TOKEN: "leak-ghp",
      ANTHROPIC_API_KEY: "leak-sk",
      DATABASE_URL: "leak-postgres://user:pw@host/db",
      SSH_AUTH_SOCK: "/tmp/leak-agent.sock",
      NODE_OPTIONS: "--require /tmp/leak-evil.js"
    }
    const env = confinedEnvironment(parent, scratch, toolchainsOf(parent, scratch), { TOOL_SETTING: "1" })
    for (const name of Object.keys(parent).filter((name) => !["PATH", "LANG", "HOME"].includes(name))) {
      expect(env[name]).toBeUndefined()
    }
    expect(env.PATH).toBe("/usr/bin:/bin")
    expect(env.LANG).toBe("en_US.UTF-8")
    expect(env.HOME).toBe(path.join(scratch, "home"))
    expect(env.TMPDIR).toBe(path.join(scratch, "tmp"))
    expect(env.GOPROXY).toBe("off")
    expect(env.CARGO_NET_OFFLINE).toBe("true")
    expect(env.TOOL_SETTING).toBe("1")
    expect(Object.values(env).join("\n")).not.toContain("leak-")
  })
})

describe("toolchainsOf", () => {
  it("binds toolchains read-only, but never the home folder itself nor cargo's credentials", () => {
    const scratch = tempFolder()
    const cargo = tempFolder()
    for (const part of ["bin", "registry"]) fs.mkdirSync(path.join(cargo, part))
    fs.writeFileSync(path.join(cargo, "credentials.toml"), "token = 'secret'\n")
    const toolBin = tempFolder()
    const parent = { PATH: `${toolBin}:${os.homedir()}:/:/usr/local/bin:relative/bin`, CARGO_HOME: cargo }
    const { env, readOnly } = toolchainsOf(parent, scratch)
    const targets = readOnly.map((bind) => bind.target)
    expect(targets).toContain(toolBin)
    expect(targets).toContain(path.join(cargo, "bin"))
    expect(targets).toContain(path.join(cargo, "registry"))
    expect(targets).toContain(ownNodeModules)
    expect(targets).not.toContain(os.homedir())
    expect(targets).not.toContain("/")
    expect(targets).not.toContain(cargo)
    expect(targets.some((target) => target.includes("credentials"))).toBe(false)
    expect(targets).not.toContain("/usr/local/bin")
    expect(env.CARGO_HOME).toBe(cargo)
  })
})
