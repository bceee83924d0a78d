/**
 * The cluster demo: a Postgres of its own on loopback (from the OS package, in a temporary
 * folder), a loopback git server with a copy of the demo repository, two workers; it submits the
 * demo's requests, follows the first job's progress, lists the jobs and their branches, and stops
 * everything.
 *
 *   apt-get install -y postgresql   (once)
 *   npm run cluster-demo
 */
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { project, startWorker, type Worker } from "./ClusterFixture.ts"
import { startGitHttpServer } from "./GitHttpServer.ts"
import { type LocalPostgres, postgresBinaries, startPostgres } from "./LocalPostgres.ts"

const say = (text: string) => process.stdout.write(`\n\u001b[1m== ${text}\u001b[0m\n`)
const git = (cwd: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", ["-c", "user.name=Demo User", "-c", "user.email=demo@example.com", ...args], {
    cwd,
    encoding: "utf8"
  })
const bin = path.join(project, "cli", "bin.ts")
const demo = path.join(project, "examples", "demo")

/** Runs `tamma-codegen ARGS`, its output shown; resolves with its exit code. */
const cli = (...args: ReadonlyArray<string>) =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: "inherit" })
    child.once("exit", (code) => resolve(code ?? 1))
  })

if (postgresBinaries() === undefined) {
  process.stderr.write("PostgreSQL is not installed: apt-get install -y postgresql (Debian), then run again\n")
  process.exit(2)
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-cluster-demo-"))
const workers: Array<Worker> = []
let postgres: LocalPostgres | undefined
let failed = 0
const server = await (async () => {
  // The demo repository, as a forge would hold it: bare, pushes allowed.
  const work = path.join(scratch, "work")
  fs.cpSync(path.join(demo, "workspace"), work, { recursive: true })
  fs.renameSync(path.join(work, "gitignore"), path.join(work, ".gitignore"))
  git(work, "init", "-q", "-b", "main")
  git(work, "add", ".")
  git(work, "commit", "-q", "-m", "Initial commit")
  const root = path.join(scratch, "server")
  fs.mkdirSync(root)
  git(scratch, "clone", "-q", "--bare", work, path.join(root, "demo.git"))
  git(path.join(root, "demo.git"), "config", "http.receivepack", "true")
  return startGitHttpServer(root)
})()
try {
  say("a Postgres of its own on loopback")
  postgres = await startPostgres()
  process.stdout.write(`${postgres.url}\n`)
  const repository = `${server.url}/demo.git`
  say(`a git server on loopback: ${repository}`)

  say("two workers")
  for (let i = 0; i < 2; i++) {
    const worker = await startWorker(postgres.url)
    workers.push(worker)
    process.stdout.write(`worker ${worker.name}\n`)
  }

  const requests = fs
    .readdirSync(path.join(demo, "requests"))
    .filter((name) => name.endsWith(".json"))
    .sort()
  const ids: Array<string> = []
  for (const name of requests) {
    say(`tamma-codegen submit --request examples/demo/requests/${name} --repository ${repository}`)
    const id = `demo-${name.replace(/\.json$/, "")}`
    // The demo's repository has no node_modules for the tests to run with: the checks alone.
    const code = await cli(
      "submit",
      "--database",
      postgres.url,
      "--request",
      path.join(demo, "requests", name),
      "--repository",
      repository,
      "--request-id",
      id,
      "--no-run-tests"
    )
    if (code !== 0) failed += 1
    ids.push(id)
  }

  say(`tamma-codegen job ${ids[0]} --follow`)
  if ((await cli("job", ids[0] ?? "", "--database", postgres.url, "--follow")) !== 0) failed += 1
  for (const id of ids.slice(1)) {
    say(`tamma-codegen job ${id} --follow`)
    if ((await cli("job", id, "--database", postgres.url, "--follow")) !== 0) failed += 1
  }

  say("tamma-codegen jobs")
  await cli("jobs", "--database", postgres.url)

  say("the branches on the server")
  process.stdout.write(git(path.join(scratch, "server", "demo.git"), "branch", "--list", "-v"))
  const states = JSON.parse(
    execFileSync(process.execPath, [bin, "jobs", "--database", postgres.url, "--json"], { encoding: "utf8" })
  ) as { readonly jobs: ReadonlyArray<{ readonly state: string }> }
  failed += states.jobs.filter((job) => job.state !== "success").length
} finally {
  say("stopping")
  for (const worker of workers) worker.process.kill("SIGTERM")
  await Promise.all(workers.map((worker) => worker.exited))
  await server.stop()
  await postgres?.stop()
  fs.rmSync(scratch, { recursive: true, force: true })
}
process.stdout.write(failed === 0 ? "\nall jobs succeeded\n" : `\n${failed} step(s) failed\n`)
process.exit(failed === 0 ? 0 : 1)
