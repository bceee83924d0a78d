/**
 * GitIndex: reads and writes `.git/index` (versions 2 and 3) in one pass. isomorphic-git
 * rewrites the whole index once per `updateIndex` call and writes it in place; a commit of
 * 1,000 files needs one atomic write (temp file and rename, as git does) instead.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { replaceFile } from "./LooseObjects.ts"

/** One index entry; `stat` is git's 40 bytes of cached stat data (all zero: git re-hashes the file). */
export interface IndexEntry {
  readonly path: string
  readonly stage: number
  readonly stat: Buffer
  readonly oid: string
  /** The second flags word of a version 3 entry (intent-to-add, skip-worktree). */
  readonly extended: number
}

export interface GitIndexFile {
  readonly version: number
  /** Stage-0 and conflict entries, keyed by `path` then `\0stage` for stages above 0. */
  readonly entries: Map<string, IndexEntry>
}

const keyOf = (path: string, stage: number) => (stage === 0 ? path : `${path}\0${stage}`)

/** An unsupported index (version 4, split index): the caller falls back to isomorphic-git. */
export class UnsupportedIndex extends Error {}

/** Reads the index of `gitdir`; an absent index is an empty one. */
export const readIndex = async (gitdir: string): Promise<GitIndexFile> => {
  const data = await fs.readFile(nodePath.join(gitdir, "index")).catch((cause: unknown) => {
    if (cause instanceof Error && "code" in cause && cause.code === "ENOENT") return undefined
    throw cause
  })
  const entries = new Map<string, IndexEntry>()
  if (data === undefined) return { version: 2, entries }
  if (data.length < 32 || data.toString("latin1", 0, 4) !== "DIRC") throw new Error("index: bad signature")
  const checksum = createHash("sha1")
    .update(data.subarray(0, data.length - 20))
    .digest()
  if (!checksum.equals(data.subarray(data.length - 20))) throw new Error("index: bad checksum")
  const version = data.readUInt32BE(4)
  if (version !== 2 && version !== 3) throw new UnsupportedIndex(`index version ${version}`)
  const count = data.readUInt32BE(8)
  let offset = 12
  for (let i = 0; i < count; i++) {
    const start = offset
    const stat = Buffer.from(data.subarray(offset, offset + 40))
    const oid = data.toString("hex", offset + 40, offset + 60)
    const flags = data.readUInt16BE(offset + 60)
    offset += 62
    let extended = 0
    if ((flags & 0x4000) !== 0) {
      extended = data.readUInt16BE(offset)
      offset += 2
    }
    const end = data.indexOf(0, offset)
    const path = data.toString("utf8", offset, end)
    offset = start + ((end - start + 8) & ~7)
    const stage = (flags >> 12) & 0x3
    entries.set(keyOf(path, stage), { path, stage, stat, oid, extended })
  }
  // Extensions: optional ones (cache tree, untracked cache …) describe the old entries and are
  // dropped; a mandatory one (lower-case signature) changes how the entries read.
  while (offset < data.length - 20) {
    const signature = data.toString("latin1", offset, offset + 4)
    const first = signature.charCodeAt(0)
    if (first >= 97 && first <= 122) throw new UnsupportedIndex(`index extension ${signature}`)
    offset += 8 + data.readUInt32BE(offset + 4)
  }
  return { version, entries }
}

/** Writes `index` to `gitdir` atomically, entries sorted as git sorts them. */
export const writeIndex = async (gitdir: string, index: GitIndexFile): Promise<void> => {
  const entries = [...index.entries.values()]
    .map((entry) => ({ entry, name: Buffer.from(entry.path, "utf8") }))
    .sort((a, b) => Buffer.compare(a.name, b.name) || a.entry.stage - b.entry.stage)
  const version = entries.some(({ entry }) => entry.extended !== 0) ? 3 : 2
  const parts: Array<Buffer> = []
  const header = Buffer.alloc(12)
  header.write("DIRC", 0, "latin1")
  header.writeUInt32BE(version, 4)
  header.writeUInt32BE(entries.length, 8)
  parts.push(header)
  for (const { entry, name } of entries) {
    const fixed = entry.extended !== 0 ? 64 : 62
    const length = (fixed + name.length + 8) & ~7
    const buffer = Buffer.alloc(length)
    entry.stat.copy(buffer, 0, 0, 40)
    buffer.write(entry.oid, 40, "hex")
    const flags = (entry.extended !== 0 ? 0x4000 : 0) | (entry.stage << 12) | Math.min(name.length, 0xfff)
    buffer.writeUInt16BE(flags, 60)
    if (entry.extended !== 0) buffer.writeUInt16BE(entry.extended, 62)
    name.copy(buffer, fixed)
    parts.push(buffer)
  }
  const body = Buffer.concat(parts)
  const checksum = createHash("sha1").update(body).digest()
  await replaceFile(nodePath.join(gitdir, "index"), Buffer.concat([body, checksum]))
}

/** Sets the stage-0 entry of `path` (dropping any conflict stages), or removes it when `entry` is undefined. */
export const setEntry = (index: GitIndexFile, path: string, entry: Omit<IndexEntry, "path" | "stage"> | undefined) => {
  for (const stage of [1, 2, 3]) index.entries.delete(keyOf(path, stage))
  if (entry === undefined) index.entries.delete(path)
  else index.entries.set(path, { ...entry, path, stage: 0 })
}

/** The stage-0 entry of `path`. */
export const entryOf = (index: GitIndexFile, path: string): IndexEntry | undefined => index.entries.get(path)

/** Git's cached stat data for a file, from a bigint lstat, with its git mode. */
export const statData = (stats: import("node:fs").BigIntStats, mode: number): Buffer => {
  const buffer = Buffer.alloc(40)
  const word = (value: bigint) => Number(value & 0xffffffffn)
  const second = 1_000_000_000n
  buffer.writeUInt32BE(word(stats.ctimeNs / second), 0)
  buffer.writeUInt32BE(word(stats.ctimeNs % second), 4)
  buffer.writeUInt32BE(word(stats.mtimeNs / second), 8)
  buffer.writeUInt32BE(word(stats.mtimeNs % second), 12)
  buffer.writeUInt32BE(word(stats.dev), 16)
  buffer.writeUInt32BE(word(stats.ino), 20)
  buffer.writeUInt32BE(mode, 24)
  buffer.writeUInt32BE(word(stats.uid), 28)
  buffer.writeUInt32BE(word(stats.gid), 32)
  buffer.writeUInt32BE(word(stats.size), 36)
  return buffer
}

/** Stat data that matches no file: git compares the content instead. Mode is still recorded. */
export const unknownStat = (mode: number): Buffer => {
  const buffer = Buffer.alloc(40)
  buffer.writeUInt32BE(mode, 24)
  return buffer
}
