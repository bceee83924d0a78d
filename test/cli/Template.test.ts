import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { cliSync as cli, scratchFolders } from "./support/CliProcess.ts"

const { tempDir, userHome } = scratchFolders()

const scratch = (): string => tempDir("tamma-template-")

/** A template folder `<root>/typescript/implementation/<name>/` with one file. */
const pack = (root: string, version: string, file: string, source: string, parameters: ReadonlyArray<object> = []) => {
  const dir = path.join(root, "typescript", "implementation", "greeting")
  fs.mkdirSync(path.join(dir, "files"), { recursive: true })
  fs.writeFileSync(
    path.join(dir, "template.json"),
    JSON.stringify({
      id: "custom/greeting",
      name: "Greeting",
      language: "typescript",
      category: "implementation",
      version,
      parameters
    })
  )
  for (const old of fs.readdirSync(path.join(dir, "files"))) fs.rmSync(path.join(dir, "files", old))
  fs.writeFileSync(path.join(dir, "files", `${file}.njk`), source)
  return dir
}

describe("tamma-codegen template", () => {
  it("list --json shows the built-in library", () => {
    const run = cli(["template", "list", "--json", "--language", "go"])
    expect(run.status).toBe(0)
    const ids = (JSON.parse(run.stdout) as Array<{ id: string }>).map((m) => m.id)
    expect(ids).toEqual(expect.arrayContaining(["go/module", "go/http-handler", "go/model"]))
    expect(ids.every((id) => id.startsWith("go/"))).toBe(true)
  })

  it("add stores versions, rollback moves the active one back, render uses it", () => {
    const workspace = scratch()
    const sources = scratch()
    expect(
      cli([
        "template",
        "add",
        pack(sources, "1.0.0", "hello.ts", 'export const hello = "v1"\n'),
        "--workspace",
        workspace
      ]).status
    ).toBe(0)
    expect(
      cli([
        "template",
        "add",
        pack(sources, "1.1.0", "hello.ts", 'export const hello = "v2"\n'),
        "--workspace",
        workspace
      ]).status
    ).toBe(0)
    const versions = cli(["template", "versions", "custom/greeting", "--workspace", workspace])
    expect(versions.stdout).toMatch(/ {2}1\.0\.0[\s\S]*\* 1\.1\.0/)
    expect(cli(["template", "render", "custom/greeting", "--workspace", workspace]).stdout).toContain('"v2"')
    expect(cli(["template", "rollback", "custom/greeting", "--workspace", workspace]).status).toBe(0)
    expect(cli(["template", "render", "custom/greeting", "--workspace", workspace]).stdout).toContain('"v1"')
    expect(cli(["template", "render", "custom/greeting@1.1.0", "--workspace", workspace]).stdout).toContain('"v2"')
  })

  it("refuses an unsafe template on add: exit 2, every problem listed, nothing stored", () => {
    const workspace = scratch()
    const dir = pack(scratch(), "1.0.0", "x.ts", '{{ range.constructor("return 1")() }}{{ missing }}\n')
    const run = cli(["template", "add", dir, "--workspace", workspace])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("injection/forbidden-name")
    expect(run.stderr).toContain("undeclared-variable")
    expect(fs.existsSync(path.join(workspace, ".tamma", "templates"))).toBe(false)
  })

  it("render --out refuses a rendered path that leaves the folder, and writes nothing", () => {
    const workspace = scratch()
    const out = scratch()
    const dir = pack(scratch(), "1.0.0", "{{ up }}escape.ts", "export const x = 1\n", [
      { name: "up", type: "string", default: "../" }
    ])
    expect(cli(["template", "add", dir, "--workspace", workspace]).status).toBe(0)
    const run = cli(["template", "render", "custom/greeting", "--workspace", workspace, "--out", out])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("outside-workspace")
    expect(fs.readdirSync(path.dirname(out)).includes("escape.ts")).toBe(false)
    expect(fs.readdirSync(out)).toEqual([])
  })

  it("templateDirs in the config add a shared pack: listed as the user's, rendered, and checked", () => {
    const workspace = scratch()
    pack(path.join(workspace, "shared"), "2.0.0", "hello.ts", 'export const hello = "shared"\n')
    fs.writeFileSync(path.join(workspace, "tamma.config.json"), JSON.stringify({ templateDirs: ["shared"] }))
    const list = cli(["template", "list", "--json", "--workspace", workspace])
    expect(list.status).toBe(0)
    const listed = (JSON.parse(list.stdout) as Array<{ id: string; source: string }>).find(
      (m) => m.id === "custom/greeting"
    )
    expect(listed?.source).toBe("user")
    expect(cli(["template", "render", "custom/greeting", "--workspace", workspace]).stdout).toContain('"shared"')
    // A broken shared template is the user's input: a typed error and exit 2.
    pack(path.join(workspace, "shared"), "2.0.1", "x.ts", '{{ range.constructor("return 1")() }}\n')
    const broken = cli(["template", "render", "custom/greeting", "--workspace", workspace])
    expect(broken.status).toBe(2)
    expect(broken.stderr).toContain("injection/forbidden-name")
  })

  it("templateDirs of the workspace config outside the workspace (or a link out) are ignored with a warning", () => {
    const workspace = scratch()
    const privateDir = scratch()
    pack(privateDir, "3.0.0", "secret.ts", 'export const secret = "private"\n')
    fs.symlinkSync(privateDir, path.join(workspace, "linked"))
    fs.writeFileSync(
      path.join(workspace, "tamma.config.json"),
      JSON.stringify({ templateDirs: [privateDir, "linked"] })
    )
    // No user config: only the workspace's could name the folder.
    const env = { XDG_CONFIG_HOME: userHome() }
    const rendered = cli(["template", "render", "custom/greeting", "--workspace", workspace], { env })
    expect(rendered.status).toBe(2)
    expect(rendered.stdout).not.toContain("private")
    expect(rendered.stderr).toContain(`templateDirs "${privateDir}" is ignored`)
    expect(rendered.stderr).toContain('templateDirs "linked" is ignored')
    const list = cli(["template", "list", "--json", "--workspace", workspace], { env })
    expect(list.status).toBe(0)
    expect((JSON.parse(list.stdout) as Array<{ id: string }>).map((m) => m.id)).not.toContain("custom/greeting")
    // The user's own config may name any folder (the workspace's list would replace it whole).
    fs.rmSync(path.join(workspace, "tamma.config.json"))
    const own = cli(["template", "render", "custom/greeting", "--workspace", workspace], {
      env: { XDG_CONFIG_HOME: userHome({ templateDirs: [privateDir] }) }
    })
    expect(own.status).toBe(0)
    expect(own.stdout).toContain('"private"')
  })

  it("an unknown template or version exits 2", () => {
    expect(cli(["template", "show", "typescript/nope"]).status).toBe(2)
    expect(cli(["template", "show", "typescript/module@9.9.9"]).status).toBe(2)
  })
})
