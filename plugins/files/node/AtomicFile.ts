/**
 * AtomicFile: replacing a file's content so that a reader (or a crash) sees the old content or
 * the new one, never half of it: write a temp file beside it, fsync, rename over.
 */
import { randomBytes } from "node:crypto"
import * as fsSync from "node:fs"
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { promisify } from "node:util"
import { errorCode } from "./RealLocation.ts"

// The suffix adds 24 bytes: a long name is cut so that the temp name stays within NAME_MAX (255 bytes).
const maxNameBytesInTemp = 200

/** The temp file beside `file`: hidden, and named so that a leftover is recognisable as ours. */
export const tempPathFor = (file: string): string => {
  // Stryker disable next-line StringLiteral: Buffer.from reads an empty encoding name as utf8
  const bytes = Buffer.from(nodePath.basename(file), "utf8")
  const name = bytes.subarray(0, maxNameBytesInTemp).toString("utf8")
  return nodePath.join(nodePath.dirname(file), `.${name}.tamma-${randomBytes(6).toString("hex")}.tmp`)
}

const tempName = /^\..*\.tamma-[0-9a-f]{12}\.tmp$/

/** Whether `name` is one of `writeAtomic`'s temp files. */
export const isTempName = (name: string): boolean => tempName.test(name)

/** Removes the temp files a killed `writeAtomic` left in `folders` (one listing per folder). */
export const removeTempLeftovers = async (folders: Iterable<string>): Promise<void> => {
  for (const folder of folders) {
    // Stryker disable next-line ArrayDeclaration: any name put here is not a temp name and is passed over
    const names = await fs.readdir(folder).catch(() => [])
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the name was just listed; force only matters if another process removes it first
    for (const name of names) if (isTempName(name)) await fs.rm(nodePath.join(folder, name), { force: true })
  }
}

/** Creates the missing folders above `file`; returns the ones it created, outermost first. */
export const ensureParent = async (file: string): Promise<ReadonlyArray<string>> => {
  const parent = nodePath.dirname(file)
  const first = await fs.mkdir(parent, { recursive: true })
  if (first === undefined) return []
  const created: Array<string> = []
  for (let current = parent; current.length >= first.length; current = nodePath.dirname(current)) {
    created.unshift(current)
  }
  return created
}

const fsync = promisify(fsSync.fsync)

// A file that is not there has no mode to keep; any other failure fails the write, as opening would.
const modeOf = (file: string): number | undefined => {
  const stats = fsSync.statSync(file, { throwIfNoEntry: false })
  return stats === undefined ? undefined : stats.mode & 0o7777
}

/**
 * Writes `content` to `file` through a temp file, keeping the mode of the file it replaces.
 * The small calls are synchronous on purpose: each async call is a thread-pool round trip that
 * costs more than the call itself, and a run makes thousands; only the fsync, the one slow
 * call, goes to the pool, where several overlap.
 */
export const writeAtomic = async (file: string, content: string): Promise<void> => {
  const temp = tempPathFor(file)
  const mode = modeOf(file)
  // Stryker disable next-line LogicalOperator: `mode && 0o666` opens a replacement with 0o666 while it is empty, and fchmod sets its mode before any content is written
  const fd = fsSync.openSync(temp, "wx", mode ?? 0o666)
  try {
    try {
      // open() applies the umask; the replaced file's mode (an executable script) must survive,
      // and is set before the content, so the temp file never shows it under a wider mode.
      if (mode !== undefined) fsSync.fchmodSync(fd, mode)
      // Stryker disable next-line StringLiteral: writeFileSync reads an empty encoding name as utf8
      fsSync.writeFileSync(fd, content, "utf8")
      await fsync(fd)
    } finally {
      fsSync.closeSync(fd)
    }
    fsSync.renameSync(temp, file)
  } catch (cause) {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the temp file exists here unless another process removed it
    fsSync.rmSync(temp, { force: true })
    throw cause
  }
}

/** Deletes `file`; an already absent file is not an error. */
export const removeFile = async (file: string): Promise<void> => {
  try {
    await fs.unlink(file)
  } catch (cause) {
    if (errorCode(cause) !== "ENOENT") throw cause
  }
}

/** Removes folders a failed apply created, deepest first, leaving any that are not empty. */
export const removeEmptyFolders = async (folders: Iterable<string>): Promise<void> => {
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
    await fs.rmdir(folder).catch(() => undefined)
  }
}

/** Puts `content` at `file`, or removes it when `content` is undefined. Returns the folders it created. */
export const putContent = async (file: string, content: string | undefined): Promise<ReadonlyArray<string>> => {
  if (content === undefined) {
    await removeFile(file)
    return []
  }
  const created = await ensureParent(file)
  try {
    await writeAtomic(file, content)
  } catch (cause) {
    await removeEmptyFolders(created)
    throw cause
  }
  return created
}

/** Makes renames in `folders` durable; best effort, as some platforms cannot open a folder. */
export const syncFolders = async (folders: Iterable<string>): Promise<void> => {
  for (const folder of folders) {
    try {
      const handle = await fs.open(folder, "r")
      try {
        await handle.sync()
      } finally {
        await handle.close()
      }
    } catch {
      // Durability of the rename is lost on such platforms, not correctness.
    }
  }
}
