/**
 * LeftoverSandboxes: the sandbox and scratch folders of a run that was killed before its scopes
 * closed. Their names carry the pid of the process that made them (`tamma-sandbox-<pid>-…`,
 * `tamma-tests-<pid>-…`); one whose process is gone is removed at the next start. Only node
 * built-ins here: start-up loads this before every command.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const leftoverName = /^tamma-(sandbox|tests)-(\d+)-[A-Za-z0-9]+$/

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but is someone else's.
    return error instanceof Error && "code" in error && error.code === "EPERM"
  }
}

/** Removes the sandboxes under `tmp` whose process is no longer alive; returns their paths. */
export const removeLeftoverSandboxes = (tmp: string = os.tmpdir()): ReadonlyArray<string> => {
  let names: Array<string>
  try {
    names = fs.readdirSync(tmp)
  } catch {
    return []
  }
  const removed: Array<string> = []
  for (const name of names) {
    const pid = Number(leftoverName.exec(name)?.[2])
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue
    const dir = path.join(tmp, name)
    try {
      // Never follow a link someone planted under our name: only our own real folders go.
      const stat = fs.lstatSync(dir)
      if (!stat.isDirectory() || stat.uid !== process.getuid?.()) continue
      fs.rmSync(dir, { recursive: true, force: true })
      removed.push(dir)
    } catch {}
  }
  return removed
}
