/**
 * A fresh Node process that counts the worker threads it starts: for tests of what a first check
 * loads (a thread started is a second of CPU), which a process that ran other tests cannot show.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

/**
 * Runs `body` (the statements of an ES module, top-level `await` allowed) in a fresh process of
 * the project's Node, after which `started` lists the entry of each worker thread it started, in
 * order; returns what the process printed.
 */
export const withCountedThreads = (body: string): string => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-counted-threads-"))
  const script = path.join(folder, "script.mjs")
  try {
    fs.writeFileSync(
      script,
      `import { createRequire, syncBuiltinESMExports } from "node:module"
const threads = createRequire(import.meta.url)("node:worker_threads")
const started = []
const Original = threads.Worker
threads.Worker = class extends Original {
  constructor(...args) { started.push(String(args[0])); super(...args) }
}
syncBuiltinESMExports()
${body}`
    )
    return execFileSync(path.join(project, "node_modules/.bin/node"), [script], { encoding: "utf8" })
  } finally {
    fs.rmSync(folder, { recursive: true, force: true })
  }
}
