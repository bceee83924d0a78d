/**
 * The warm tsc's cache of parsed files, run in this process: it keeps TypeScript's lib files,
 * and nothing a job's tsconfig names elsewhere, however it names it.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
import ts from "typescript"
import { makeWarmTsc } from "../../../../plugins/languages/typescript/WarmTscProgram.ts"

const folders: Array<string> = []
afterAll(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const temporary = (prefix: string) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)))
  folders.push(dir)
  return dir
}

/** A job's folder under `root`, with `files` in it. */
const job = (root: string, name: string, files: Readonly<Record<string, string>>) => {
  const dir = path.join(root, name)
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }
  return dir
}

describe("WarmTscProgram", () => {
  it("keeps the lib files, not files a tsconfig names outside TypeScript's folder or by another path", () => {
    const root = temporary("tamma-warm-program-")
    const warm = makeWarmTsc(ts, root)
    const compilerOptions = { strict: true, noEmit: true, types: [], lib: ["es5"] }
    const first = job(root, "first", {
      "tsconfig.json": JSON.stringify({ compilerOptions, include: ["src"] }),
      "src/a.ts": "export const a: number = 1\n"
    })
    expect(warm.run(first, ["-p", "."])).toEqual({ _tag: "Checked", exitCode: 0, output: "" })
    const kept = warm.keptFiles()
    expect(kept).toBeGreaterThan(0)

    // The same lib file by other names, and a broad include of script files elsewhere.
    const lib = fs.realpathSync(path.join(path.dirname(ts.getDefaultLibFilePath({})), "lib.es5.d.ts"))
    const elsewhere = temporary("tamma-warm-program-js-")
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(elsewhere, `s${i}.js`), `export const s${i} = ${i}\n`)
    const second = job(root, "second", {
      "tsconfig.json": JSON.stringify({
        compilerOptions: { ...compilerOptions, allowJs: true },
        files: ["src/a.ts", `/proc/self/root${lib}`, `/proc/self/root/proc/self/root${lib}`],
        include: [`${elsewhere}/**/*`]
      }),
      "src/a.ts": "export const a: number = 1\n"
    })
    const answer = warm.run(second, ["-p", "."])
    expect(answer._tag).toBe("Checked")
    // Not vacuous: the program did read them (tsc says the two names clash).
    expect(answer._tag === "Checked" ? answer.output : "").toMatch(/TS2300|Duplicate/)
    expect(warm.keptFiles()).toBe(kept)
  })
})
