/**
 * The demo: copies `workspace/` into a fresh scratch git repository, runs `tamma-codegen generate`
 * template-only for every request in `requests/` (generate, test or refactor by the request's task
 * type), then shows the branches, the commits, and that
 * the generated code type-checks and its generated tests pass.
 *
 *   npm run demo            (after npm install)
 */
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const project = path.resolve(here, "..", "..")
const bin = path.join(project, "cli", "bin.ts")

const say = (text: string) => process.stdout.write(`\n\u001b[1m== ${text}\u001b[0m\n`)
const git = (cwd: string, ...args: ReadonlyArray<string>) => execFileSync("git", args, { cwd, encoding: "utf8" })

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-demo-"))
fs.cpSync(path.join(here, "workspace"), scratch, { recursive: true })
fs.renameSync(path.join(scratch, "gitignore"), path.join(scratch, ".gitignore"))
// The scratch project borrows this package's node_modules for tsc and vitest; it is git-ignored there.
fs.symlinkSync(path.join(project, "node_modules"), path.join(scratch, "node_modules"), "dir")
git(scratch, "init", "-q", "-b", "main")
git(scratch, "config", "user.name", "Demo User")
git(scratch, "config", "user.email", "demo@example.com")
git(scratch, "add", ".")
git(scratch, "commit", "-q", "-m", "Initial commit")
say(`scratch repository: ${scratch}`)

/** The command of a request's task type: generate, test or refactor. */
const commandFor = (file: string): string => {
  const { taskType } = JSON.parse(fs.readFileSync(file, "utf8")) as { readonly taskType?: string }
  return taskType === "test" ? "test" : taskType === "refactoring" ? "refactor" : "generate"
}

let failed = 0
const requests = fs
  .readdirSync(path.join(here, "requests"))
  .filter((name) => name.endsWith(".json"))
  .sort()
for (const name of requests) {
  git(scratch, "checkout", "-q", "main")
  const command = commandFor(path.join(here, "requests", name))
  say(`tamma-codegen ${command} --request examples/demo/requests/${name}`)
  const run = spawnSync(
    process.execPath,
    [bin, command, "--request", path.join(here, "requests", name), "--workspace", scratch, "--explain"],
    { stdio: "inherit" }
  )
  if (run.status !== 0) {
    failed += 1
    process.stdout.write(`generate exited with ${run.status}\n`)
  }
}

say("branches and commits")
process.stdout.write(git(scratch, "log", "--all", "--graph", "--format=%h %d %s", "--decorate"))
for (const branch of git(scratch, "branch", "--format=%(refname:short)")
  .split("\n")
  .filter((b) => b.startsWith("tamma/"))) {
  say(`git show --stat ${branch}`)
  process.stdout.write(git(scratch, "show", "--stat", "--format=%H%n%an <%ae>%n%n%B", branch))
}

say("tsc --noEmit and vitest on the generated code (all branches merged into a check-out)")
git(scratch, "checkout", "-q", "main")
for (const branch of git(scratch, "branch", "--format=%(refname:short)")
  .split("\n")
  .filter((b) => b.startsWith("tamma/"))) {
  git(scratch, "merge", "-q", "--no-edit", branch)
}
const tsc = spawnSync(
  process.execPath,
  [path.join(project, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", scratch],
  {
    stdio: "inherit"
  }
)
process.stdout.write(tsc.status === 0 ? "tsc: no errors\n" : `tsc exited with ${tsc.status}\n`)
const vitest = spawnSync(
  process.execPath,
  [path.join(project, "node_modules", "vitest", "vitest.mjs"), "run", "--root", scratch],
  {
    stdio: "inherit"
  }
)
say(`done: the scratch repository is ${scratch}`)
process.exitCode = failed > 0 || tsc.status !== 0 || vitest.status !== 0 ? 1 : 0
