/**
 * The repair loop, shown: a scripted model on 127.0.0.1 answers the demo's pricing request with
 * a module and a test that asserts one wrong detail; the pipeline runs the test in its sandbox,
 * sends the failure back, the second answer fixes the test, and the change is committed.
 *
 *   npm run demo:repair     (after npm install; offline)
 */
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { serveScript } from "../scripted-model/ScriptedModel.ts"

const here = path.dirname(fileURLToPath(import.meta.url))
const project = path.resolve(here, "..", "..")
const git = (cwd: string, ...args: ReadonlyArray<string>) => execFileSync("git", args, { cwd, encoding: "utf8" })
const say = (text: string) => process.stdout.write(`\n\u001b[1m== ${text}\u001b[0m\n`)

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-repair-demo-"))
fs.cpSync(path.join(here, "workspace"), scratch, { recursive: true })
fs.renameSync(path.join(scratch, "gitignore"), path.join(scratch, ".gitignore"))
git(scratch, "init", "-q", "-b", "main")
git(scratch, "config", "user.name", "Demo User")
git(scratch, "config", "user.email", "demo@example.com")
git(scratch, "add", ".")
git(scratch, "commit", "-q", "-m", "Initial commit")

const source = [
  "/** Applies a percentage discount to a price in cents, rounding half up to whole cents. */",
  "export function applyDiscount(cents: number, percent: number): number {",
  "  if (percent < 0 || percent > 100) {",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of the model's TypeScript answer
  "    throw new RangeError(`discount must be between 0 and 100, got ${percent}`)",
  "  }",
  "  return Math.round((cents * (100 - percent)) / 100)",
  "}",
  ""
].join("\n")
const test = (expected: number) =>
  [
    'import { describe, expect, it } from "vitest"',
    'import { applyDiscount } from "../src/pricing"',
    "",
    'describe("applyDiscount", () => {',
    '  it("takes 15% off", () => {',
    "    expect(applyDiscount(1000, 15)).toBe(850)",
    "  })",
    '  it("rounds half a cent up", () => {',
    `    expect(applyDiscount(999, 50)).toBe(${expected})`,
    "  })",
    "})",
    ""
  ].join("\n")

const model = await serveScript([
  // The change is asked for file by file: the source first, then its test.
  { when: "Answer with src/pricing.ts only", text: `### src/pricing.ts\n\`\`\`ts\n${source}\`\`\`\n` },
  {
    when: "Answer with test/pricing.test.ts only",
    text: `### test/pricing.test.ts\n\`\`\`ts\n${test(499)}\`\`\`\n`
  },
  {
    when: "# Repair:",
    text: "Half a cent rounds up, so the test expected the wrong value:\n\ntest/pricing.test.ts\n<<<<<<< SEARCH\n    expect(applyDiscount(999, 50)).toBe(499)\n=======\n    expect(applyDiscount(999, 50)).toBe(500)\n>>>>>>> REPLACE\n"
  },
  { when: "You review a code change", text: '```json\n{"findings": []}\n```' }
])

say(
  `tamma-codegen generate --request examples/demo/requests/02-pricing.json --provider openai-compatible --base-url ${model.url}`
)
const status = await new Promise<number | null>((resolve) => {
  const child = spawn(
    process.execPath,
    [
      path.join(project, "cli", "bin.ts"),
      "generate",
      "--request",
      path.join(here, "requests", "02-pricing.json"),
      "--workspace",
      scratch,
      "--provider",
      "openai-compatible",
      "--model",
      "scripted",
      "--base-url",
      model.url
    ],
    { stdio: "inherit" }
  )
  child.on("close", resolve)
})
await model.close()

say("the committed test")
process.stdout.write(git(scratch, "show", "HEAD:test/pricing.test.ts"))
say(`${model.requests.length} model call(s); scratch repository: ${scratch}`)
process.exit(status === 0 ? 0 : 1)
