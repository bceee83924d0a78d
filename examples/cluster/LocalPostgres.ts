/**
 * LocalPostgres: a private PostgreSQL on loopback in a temporary folder, from the OS package
 * (`apt-get install -y postgresql`), for the cluster demo, its benchmark and its tests. It never
 * touches the system's own cluster. As root, the server runs as the `postgres` user (it refuses root).
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)

/** The folder of `initdb` and `pg_ctl`: the newest `/usr/lib/postgresql/<version>/bin`, or `undefined` when not installed. */
export const postgresBinaries = (): string | undefined => {
  const root = "/usr/lib/postgresql"
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((version) => fs.existsSync(path.join(root, version, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : []
  return versions[0] === undefined ? undefined : path.join(root, versions[0], "bin")
}

/** A free TCP port on loopback. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

export interface LocalPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/tamma` */
  readonly url: string
  readonly stop: () => Promise<void>
}

/** Starts a PostgreSQL of its own with an empty `tamma` database. */
export const startPostgres = async (): Promise<LocalPostgres> => {
  const bin = postgresBinaries()
  if (bin === undefined) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql")
  const asRoot = process.getuid?.() === 0
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-pg-"))
  const data = path.join(dir, "data")
  const exec = (tool: string, args: ReadonlyArray<string>) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args])
      : run(path.join(bin, tool), [...args])
  if (asRoot) await run("chown", ["postgres", dir])
  const port = await freePort()
  await exec("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
  // fsync off: a throwaway database; what the tests check is the engine's logic, not the disk's.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`
  await exec("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"])
  await exec("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "tamma"])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/tamma`,
    stop: async () => {
      await exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined)
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
