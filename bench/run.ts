/**
 * npm run bench: runs every `bench/*.bench.ts` (or those named on the command line) and prints
 * one table. A bench module's default export returns rows: our figure, the baseline a user would
 * otherwise run, and their ratio against a target.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import type { Bench, BenchRow } from "./Timing.ts"

const here = path.dirname(fileURLToPath(import.meta.url))

const main = async () => {
  const wanted = process.argv.slice(2)
  const files = fs
    .readdirSync(here)
    .filter((file) => file.endsWith(".bench.ts"))
    .filter((file) => wanted.length === 0 || wanted.some((w) => file.includes(w)))
    .sort()
  const rows: Array<BenchRow & { readonly bench: string }> = []
  for (const file of files) {
    process.stderr.write(`running ${file}…\n`)
    const bench = (await import(pathToFileURL(path.join(here, file)).href)) as { readonly default: Bench }
    for (const row of await bench.default()) rows.push({ ...row, bench: file.replace(/\.bench\.ts$/, "") })
  }
  const format = (ms: number) => (ms === 0 ? "-" : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`)
  console.log(["bench", "case", "ours", "baseline", "ratio", "target", "note"].join("\t"))
  for (const row of rows) {
    const ratio = row.baselineMs === 0 ? "-" : (row.oursMs / row.baselineMs).toFixed(2)
    const verdict = row.target === undefined || ratio === "-" ? "" : Number(ratio) <= row.target ? " ok" : " MISSED"
    console.log(
      [
        row.bench,
        row.name,
        format(row.oursMs),
        format(row.baselineMs),
        ratio,
        row.target === undefined ? "-" : `≤ ${row.target}${verdict}`,
        row.note ?? ""
      ].join("\t")
    )
  }
}

await main()
