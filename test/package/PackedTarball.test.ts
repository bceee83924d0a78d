/**
 * The package as users install it: packed (and so built) from this checkout, installed with its
 * own Node 24 into an empty project, and run there: the CLI on the demo's requests and on six
 * languages, the library from JavaScript and TypeScript, and on Node 22 too.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { workerEntries } from "../../scripts/build.ts"
import { loadedSpecifiers, packageOf } from "./support/DistImports.ts"
import {
  checkout,
  cleanEnv,
  gitCopy,
  gitOut,
  installInto,
  pack,
  projectEnv,
  projectNode,
  run,
  runOk,
  type Tarball
} from "./support/PackedProject.ts"

const minutes = (n: number) => n * 60_000

let scratch = ""
let tarball: Tarball
let project = ""
let installed = ""
/** A git copy of the demo workspace with its dependencies installed, as its user would have it. */
let demo = ""

const Manifest = Schema.Struct({
  dependencies: Schema.Record(Schema.String, Schema.String),
  optionalDependencies: Schema.optional(Schema.Record(Schema.String, Schema.String))
})
const readManifest = (dir: string) =>
  Schema.decodeUnknownSync(Schema.fromJsonString(Manifest))(fs.readFileSync(path.join(dir, "package.json"), "utf8"))

/** Files under `dir`, relative, `/`-separated. */
const filesUnder = (dir: string): ReadonlyArray<string> =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))

/** `tamma-codegen` as `npx tamma-codegen` runs it in the project: its bin, on the project's Node. */
const cli = (args: ReadonlyArray<string>, cwd = project) =>
  run(path.join(project, "node_modules", ".bin", "tamma-codegen"), args, { cwd, env: projectEnv(project) })

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-package-"))
  tarball = pack(scratch)
  // The figures the README quotes.
  console.log(
    `${path.basename(tarball.file)}: ${(tarball.size / 1024).toFixed(0)} kB packed, ` +
      `${(tarball.unpackedSize / 1024).toFixed(0)} kB unpacked, ${tarball.files.length} files`
  )
  project = path.join(scratch, "project")
  installInto(project, tarball.file, 24)
  installed = path.join(project, "node_modules", "@tamma", "codegen")
  demo = path.join(scratch, "demo-workspace")
  gitCopy(path.join(checkout, "examples", "demo", "workspace"), demo)
  // No lock file: it would be an untracked change in the workspace.
  runOk("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock"], {
    cwd: demo,
    env: projectEnv(project),
    timeoutMs: minutes(6)
  })
}, minutes(20))

afterAll(() => {
  if (scratch !== "") fs.rmSync(scratch, { recursive: true, force: true })
})

describe("the packed tarball", () => {
  it("ships every module, declaration, template, prompt and worker entry point it loads, and no source map", () => {
    const shipped = new Set(tarball.files)
    const sources = ["core", "plugins", "cli", "presets"]
      .filter((folder) => fs.existsSync(path.join(checkout, folder)))
      .flatMap((folder) => filesUnder(path.join(checkout, folder)).map((file) => `${folder}/${file}`))
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    expect(sources.length).toBeGreaterThan(100)
    // The CLI ships as bundles (scripts/build.ts): its entry and one per worker or child process
    // it starts, all in dist/cli/; the library as tsc emits it, with its declarations.
    const workers = [...workerEntries().keys()]
    expect(workers).toEqual(
      expect.arrayContaining(["BiomeWorker", "EslintWorker", "NativeSpawner", "CheckFilesWorker", "WarmTscServer"])
    )
    const needed = [
      "package.json",
      "README.md",
      "dist/cli/bin.js",
      ...workers.map((name) => `dist/cli/${name}.js`),
      ...sources
        .filter((file) => !file.startsWith("cli/"))
        .flatMap((file) => [`dist/${file.replace(/\.ts$/, ".js")}`, `dist/${file.replace(/\.ts$/, ".d.ts")}`]),
      ...filesUnder(path.join(checkout, "templates")).map((file) => `dist/templates/${file}`)
    ]
    expect(needed.filter((file) => !shipped.has(file))).toEqual([])
    expect(needed).toContain("dist/templates/prompts/system.njk")
    expect(needed).toContain("dist/plugins/quality/biome/BiomeWorker.js")
    expect(needed).toContain("dist/plugins/quality/eslint/EslintWorker.js")
    expect(tarball.files.filter((file) => file.endsWith(".map"))).toEqual([])
    // Nothing of the CLI but its bundles: no module of cli/ as tsc would emit it.
    expect(tarball.files.filter((file) => file.startsWith("dist/cli/") && file.split("/").length > 3)).toEqual([])
  })

  it("loads no package at run time that is not among its dependencies", () => {
    const manifest = readManifest(installed)
    const required = new Set(Object.keys(manifest.dependencies))
    // Optional ones are per platform (Biome's native binary): npm installs the one that fits.
    const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}))
    const loaded = new Map<string, string>()
    const dist = path.join(installed, "dist")
    for (const file of filesUnder(dist).filter((name) => name.endsWith(".js"))) {
      for (const specifier of loadedSpecifiers(fs.readFileSync(path.join(dist, file), "utf8"), file)) {
        const name = packageOf(specifier)
        if (name !== undefined && !loaded.has(name)) loaded.set(name, file)
      }
    }
    expect([...loaded.keys()]).toContain("effect")
    expect(
      [...loaded]
        .filter(([name]) => !required.has(name) && !optional.has(name))
        .map(([name, file]) => `${name} (${file})`)
    ).toEqual([])
    // Every required one is really installed beside the package, and one of the optional ones where
    // one fits the platform.
    for (const name of loaded.keys()) {
      if (required.has(name)) expect(fs.existsSync(path.join(project, "node_modules", name))).toBe(true)
    }
    if (process.platform === "linux" && ["x64", "arm64"].includes(process.arch))
      expect([...optional].some((name) => fs.existsSync(path.join(project, "node_modules", name)))).toBe(true)
  })

  it("tamma-codegen --help runs on the project's own Node 24", () => {
    const node = runOk(projectNode(project), ["--version"], { cwd: project })
    expect(node.stdout.trim()).toMatch(/^v24\./)
    const help = cli(["--help"])
    expect(help.stderr).toBe("")
    expect(help.status).toBe(0)
    for (const command of ["generate", "validate", "format", "template", "rollback", "recover"])
      expect(help.stdout).toContain(command)
  })
})

describe("the installed CLI", () => {
  const requests = path.join(checkout, "examples", "demo", "requests")

  it(
    "says a workspace's vitest is not installed, fails the test step and writes nothing",
    () => {
      const workspace = path.join(scratch, "js-workspace")
      fs.mkdirSync(path.join(workspace, "src"), { recursive: true })
      fs.writeFileSync(
        path.join(workspace, "package.json"),
        `${JSON.stringify({ name: "js-workspace", private: true, type: "module", devDependencies: { vitest: "^5.1.1" } })}\n`
      )
      fs.writeFileSync(path.join(workspace, "src", "index.js"), "export const one = 1\n")
      fs.writeFileSync(path.join(workspace, "gitignore"), "node_modules/\n")
      const repo = path.join(scratch, "js-repo")
      gitCopy(workspace, repo)
      const request = path.join(scratch, "clamp.json")
      fs.writeFileSync(
        request,
        JSON.stringify({
          taskType: "implementation",
          language: "javascript",
          template: "javascript/module",
          context: { issue: { number: 3, title: "Add a clamp helper" } },
          parameters: {
            name: "clamp",
            functions: [
              {
                name: "clamp",
                params: [{ name: "value" }, { name: "low" }, { name: "high" }],
                body: "return Math.min(Math.max(value, low), high)",
                examples: [{ args: [5, 0, 3], expected: 3 }]
              }
            ]
          }
        })
      )
      const head = gitOut(repo, "rev-parse", "HEAD")
      const ran = cli(["generate", "--request", request, "--workspace", repo])
      const output = `${ran.stdout}\n${ran.stderr}`
      expect(output).toContain("TestRunnerMissingError")
      expect(output).toContain("vitest in the workspace's node_modules")
      expect(output).toContain("npm install in the workspace")
      expect(output).toContain("--no-run-tests")
      expect(ran.stderr).toMatch(/✗ test\b/)
      expect(ran.stderr).not.toMatch(/✓ test\b/)
      expect(ran.status).toBe(1)
      expect(gitOut(repo, "status", "--porcelain", "--untracked-files=all", "--", ".", ":!.tamma")).toBe("")
      expect(gitOut(repo, "rev-parse", "HEAD")).toBe(head)
      expect(gitOut(repo, "branch", "--format=%(refname:short)")).toBe("main")
    },
    minutes(3)
  )

  it(
    "runs the demo's four requests on a copy of the demo workspace with its dependencies installed",
    () => {
      const names = fs
        .readdirSync(requests)
        .filter((name) => name.endsWith(".json"))
        .sort()
      expect(names).toHaveLength(4)
      for (const name of names) {
        runOk("git", ["checkout", "-q", "main"], { cwd: demo })
        const { taskType } = Schema.decodeUnknownSync(
          Schema.fromJsonString(Schema.Struct({ taskType: Schema.String }))
        )(fs.readFileSync(path.join(requests, name), "utf8"))
        const command = taskType === "test" ? "test" : taskType === "refactoring" ? "refactor" : "generate"
        const ran = cli([command, "--request", path.join(requests, name), "--workspace", demo])
        expect({ name, status: ran.status, output: ran.status === 0 ? "" : `${ran.stdout}\n${ran.stderr}` }).toEqual({
          name,
          status: 0,
          output: ""
        })
        expect(ran.stderr).toMatch(/✓ test\b/)
      }
      const branches = gitOut(demo, "branch", "--format=%(refname:short)").split("\n")
      expect(branches.filter((branch) => branch.startsWith("tamma/"))).toHaveLength(4)
      runOk("git", ["checkout", "-q", "main"], { cwd: demo })
    },
    minutes(8)
  )

  it(
    "validates a folder of six languages with the tools loaded from dist/",
    () => {
      const folder = path.join(scratch, "six-languages")
      const files: Readonly<Record<string, string>> = {
        "greet.ts": 'export const greet = (name: string): string => "Hello, " + name\n',
        "sum.js": "export const sum = (values) => values.reduce((total, value) => total + value, 0)\n",
        "area.py": "def area(width: float, height: float) -> float:\n    return width * height\n",
        "clamp.go":
          "package clamp\n\n// Clamp limits value to [low, high].\nfunc Clamp(value, low, high int) int {\n\tif value < low {\n\t\treturn low\n\t}\n\tif value > high {\n\t\treturn high\n\t}\n\treturn value\n}\n",
        "max.rs": "pub fn max(a: i64, b: i64) -> i64 {\n    if a > b { a } else { b }\n}\n",
        "Counter.java":
          "public class Counter {\n  private int count;\n\n  public int increment() {\n    count += 1;\n    return count;\n  }\n}\n"
      }
      fs.mkdirSync(folder)
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), content)
      const ran = cli(["validate", folder, "--json"])
      expect(ran.status, ran.stderr).toBe(0)
      const report = Schema.decodeUnknownSync(
        Schema.fromJsonString(
          Schema.Struct({
            files: Schema.Array(
              Schema.Struct({
                path: Schema.String,
                language: Schema.String,
                issues: Schema.Array(Schema.Struct({ severity: Schema.String }))
              })
            )
          })
        )
      )(ran.stdout)
      expect(report.files.map((file) => file.language).sort()).toEqual(
        ["go", "java", "javascript", "python", "rust", "typescript"].sort()
      )
      expect(report.files.flatMap((file) => file.issues).filter((issue) => issue.severity === "error")).toEqual([])
    },
    minutes(3)
  )
})

/** A `--json` document without what differs from one run to the next: times, run and commit ids. */
const withoutTimings = (text: string): unknown => {
  const mask = (value: unknown, key: string): unknown => {
    if (/(Ms|At)$/.test(key) || key === "runId" || key === "sha") return "<varies>"
    if (typeof value === "string")
      return value.replace(/\b\d{8}T\d{6}-[0-9a-f]{6}\b/g, "<run>").replace(/\b[0-9a-f]{12,40}\b/g, "<commit>")
    if (Array.isArray(value)) return value.map((item) => mask(item, ""))
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, mask(inner, name)]))
    return value
  }
  return mask(Schema.decodeUnknownSync(Schema.fromJsonString(Schema.Unknown))(text), "")
}

describe("the bundled bin", () => {
  /** `node cli/bin.ts`: the sources, as the checkout runs them. */
  const fromSources = (args: ReadonlyArray<string>, cwd: string) =>
    run(process.execPath, [path.join(checkout, "cli", "bin.ts"), ...args], { cwd, env: cleanEnv() })

  it(
    "validates a folder with a Biome finding and security findings as the sources do",
    () => {
      const folder = path.join(scratch, "findings")
      fs.mkdirSync(folder)
      // An unused variable (Biome) and a shell command built from a parameter (our rules), in
      // TypeScript and in Python.
      fs.writeFileSync(
        path.join(folder, "archive.ts"),
        'import { exec } from "node:child_process"\n\nexport const archive = (name: string) => {\n  const unused = 1\n  exec("tar czf " + name)\n}\n'
      )
      fs.writeFileSync(
        path.join(folder, "archive.py"),
        'import subprocess\n\n\ndef archive(name):\n    cmd = f"tar czf {name}"\n    subprocess.run(cmd, shell=True)\n'
      )
      const args = ["validate", ".", "--json", "--no-cache"]
      const bundled = cli(args, folder)
      const sources = fromSources(args, folder)
      const Report = Schema.fromJsonString(
        Schema.Struct({
          files: Schema.Array(
            Schema.Struct({
              issues: Schema.Array(Schema.Struct({ category: Schema.String, tool: Schema.optional(Schema.String) }))
            })
          )
        })
      )
      const issues = Schema.decodeUnknownSync(Report)(bundled.stdout).files.flatMap((file) => file.issues)
      expect(issues.filter((issue) => issue.tool === "biome").length, bundled.stderr).toBeGreaterThan(0)
      expect(issues.filter((issue) => issue.category === "security").length).toBeGreaterThanOrEqual(2)
      expect(bundled.status, bundled.stderr).toBe(sources.status)
      expect(withoutTimings(bundled.stdout)).toEqual(withoutTimings(sources.stdout))
    },
    minutes(2)
  )

  it(
    "generates template-only into a git repository as the sources do",
    () => {
      const workspace = path.join(scratch, "generate-workspace")
      fs.mkdirSync(path.join(workspace, "src"), { recursive: true })
      fs.writeFileSync(
        path.join(workspace, "package.json"),
        `${JSON.stringify({ name: "generate-workspace", private: true, type: "module" })}\n`
      )
      fs.writeFileSync(path.join(workspace, "src", "index.js"), "export const one = 1\n")
      const request = path.join(scratch, "percent.json")
      fs.writeFileSync(
        request,
        JSON.stringify({
          taskType: "implementation",
          language: "javascript",
          template: "javascript/module",
          context: { issue: { number: 5, title: "Add a percent helper" } },
          parameters: {
            name: "percent",
            functions: [
              {
                name: "percent",
                params: [{ name: "part" }, { name: "whole" }],
                body: "return (part / whole) * 100",
                examples: [{ args: [1, 4], expected: 25 }]
              }
            ]
          }
        })
      )
      const args = (repo: string) => [
        "generate",
        "--request",
        request,
        "--workspace",
        repo,
        "--provider",
        "none",
        "--no-run-tests",
        "--json"
      ]
      const bundledRepo = path.join(scratch, "generate-bundled")
      const sourcesRepo = path.join(scratch, "generate-sources")
      gitCopy(workspace, bundledRepo)
      gitCopy(workspace, sourcesRepo)
      const bundled = cli(args(bundledRepo))
      const sources = fromSources(args(sourcesRepo), scratch)
      expect(bundled.status, bundled.stderr).toBe(0)
      expect(sources.status, sources.stderr).toBe(0)
      expect(withoutTimings(bundled.stdout)).toEqual(withoutTimings(sources.stdout))
      expect(fs.readFileSync(path.join(bundledRepo, "src", "percent.js"), "utf8")).toContain("export function percent")
      expect(gitOut(bundledRepo, "branch", "--show-current")).toBe(gitOut(sourcesRepo, "branch", "--show-current"))
      expect(gitOut(bundledRepo, "log", "-1", "--format=%s")).toBe("feat: add a percent helper")
    },
    minutes(2)
  )
})

describe("the library from a project that installed it", () => {
  const consumer = path.join(checkout, "examples", "consumer")

  beforeAll(() => {
    for (const file of ["compose-pipeline.ts", "preset-wiring.mjs", "tsconfig.json", "tsconfig.bundler.json"])
      fs.copyFileSync(path.join(consumer, file), path.join(project, file))
  })

  it(
    "type-checks the consumer under moduleResolution nodenext and bundler",
    () => {
      const tsc = path.join(project, "node_modules", ".bin", "tsc")
      for (const config of ["tsconfig.json", "tsconfig.bundler.json"]) {
        const ran = run(tsc, ["-p", config], { cwd: project, env: projectEnv(project) })
        expect({ config, status: ran.status, output: ran.stdout }).toEqual({ config, status: 0, output: "" })
      }
    },
    minutes(2)
  )

  it(
    "runs the consumer on Node 24: the pipeline composed by hand, and the preset wiring from plain JavaScript",
    () => {
      const composed = runOk(projectNode(project), ["compose-pipeline.ts"], { cwd: project, env: projectEnv(project) })
      expect(composed.stdout + composed.stderr).toContain("src/math.ts")
      const wired = runOk(projectNode(project), ["preset-wiring.mjs", demo], {
        cwd: project,
        env: projectEnv(project)
      })
      expect(wired.stdout).toContain("status: success")
      expect(wired.stdout).toContain("src/percent.ts")
      // A dry run: the workspace is as it was.
      expect(gitOut(demo, "status", "--porcelain", "--", ".", ":!.tamma")).toBe("")
    },
    minutes(2)
  )

  it(
    "runs the consumer on Node 22",
    () => {
      const node22 = path.join(scratch, "node22")
      fs.mkdirSync(node22)
      fs.writeFileSync(path.join(node22, "package.json"), '{ "private": true }\n')
      runOk("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "node@22"], {
        cwd: node22,
        env: projectEnv(project),
        timeoutMs: minutes(5)
      })
      const node = projectNode(node22)
      expect(runOk(node, ["--version"], { cwd: project }).stdout.trim()).toMatch(/^v22\./)
      const wired = runOk(node, ["preset-wiring.mjs", demo], { cwd: project, env: projectEnv(project) })
      expect(wired.stdout).toContain("status: success")
      const composed = runOk(node, ["compose-pipeline.ts"], { cwd: project, env: projectEnv(project) })
      expect(composed.stdout + composed.stderr).toContain("src/math.ts")
    },
    minutes(6)
  )
})
