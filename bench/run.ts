/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those whose names contain an argument) one
 * after the other and prints one table. A bench file's default export is a `Bench` (Timing.ts):
 * it measures and returns rows of ours vs. baseline milliseconds, with an optional ratio target.
 */
// As the CLI does (cli/bin.ts): more fsyncs in flight at once. Before any file-system call.
process.env.UV_THREADPOOL_SIZE ??= "16"

import * as fs from "node:fs"
import * as nodePath from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import type { BenchRow } from "./Timing.ts"

const folder = nodePath.dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2)
const files = fs
  .readdirSync(folder)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.includes(w)))
  .sort()

const benchOf = (loaded: unknown): (() => Promise<ReadonlyArray<BenchRow>>) | undefined => {
  if (typeof loaded !== "object" || loaded === null || !("default" in loaded)) return undefined
  const bench = loaded.default
  return typeof bench === "function" ? () => Promise.resolve(bench()) : undefined
}

const rows: Array<BenchRow & { readonly file: string }> = []
let failed = false
for (const file of files) {
  process.stderr.write(`running ${file}…\n`)
  const bench = benchOf(await import(pathToFileURL(nodePath.join(folder, file)).href))
  if (bench === undefined) {
    process.stderr.write(`${file}: its default export is not a Bench\n`)
    failed = true
    continue
  }
  try {
    for (const row of await bench()) rows.push({ ...row, file })
  } catch (cause) {
    process.stderr.write(`${file} failed: ${cause instanceof Error ? cause.stack : String(cause)}\n`)
    failed = true
  }
}

const ms = (value: number) => (value > 0 ? value.toFixed(1) : "")
const header = ["bench", "case", "ours ms", "baseline ms", "ratio", "target", "note"]
const table = rows.map((row) => {
  const ratio = row.baselineMs > 0 ? row.oursMs / row.baselineMs : undefined
  const verdict = ratio === undefined || row.target === undefined ? "" : ratio <= row.target ? " ok" : " OVER"
  return [
    row.file.replace(/\.bench\.ts$/, ""),
    row.name,
    ms(row.oursMs),
    ms(row.baselineMs),
    ratio === undefined ? "" : `${ratio.toFixed(2)}×`,
    row.target === undefined ? "" : `≤ ${row.target}×${verdict}`,
    row.note ?? ""
  ]
})
const numeric = new Set([2, 3, 4])
const widths = header.map((title, i) => Math.max(title.length, ...table.map((line) => line[i]?.length ?? 0)))
const line = (cells: ReadonlyArray<string>) =>
  cells
    .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
    .join("  ")
    .trimEnd()
console.log(line(header))
console.log(line(widths.map((width) => "-".repeat(width))))
for (const cells of table) console.log(line(cells))
if (failed) process.exitCode = 1
