import { describe, expect, it } from "vitest"
import { cliSync as cli, scratchFolders, writeTree } from "./support/CliProcess.ts"

const { tempDir } = scratchFolders()

const handler = `from flask import Flask, request

app = Flask(__name__)


@app.route("/users")
def users():
    name = request.args.get("name", "")
    sql = "SELECT id FROM users WHERE name = '" + name + "'"
    cur = db.cursor()
    cur.execute(sql)
    return {"users": cur.fetchall()}
`

describe("tamma-codegen validate --json on a data flow", () => {
  it("reports the finding at its sink with its CWE, level and the lines the value came through", () => {
    const dir = writeTree(tempDir("tamma-flow-"), { "app.py": handler })
    const run = cli(["validate", dir, "--json"])
    expect(run.status).toBe(1)
    const report = JSON.parse(run.stdout) as { files: Array<{ issues: Array<Record<string, unknown>> }> }
    const finding = report.files[0]?.issues.find((issue) => issue.rule === "python/sql-injection")
    expect(finding).toMatchObject({
      category: "security",
      cwe: "CWE-89",
      level: "critical",
      line: 11,
      sink: 11,
      flow: [
        { role: "source", line: 8, code: "request.args" },
        { role: "propagation", line: 9 }
      ]
    })
    expect(finding?.message).toContain("`sql`")
    expect(finding?.message).toContain("line 8")
  })

  it("says nothing of a parameterised query", () => {
    const safe = handler
      .replace(`"SELECT id FROM users WHERE name = '" + name + "'"`, '"SELECT id FROM users WHERE name = %s"')
      .replace("cur.execute(sql)", "cur.execute(sql, (name,))")
    const dir = writeTree(tempDir("tamma-flow-"), { "app.py": safe })
    const run = cli(["validate", dir, "--json"])
    const report = JSON.parse(run.stdout) as { files: Array<{ issues: Array<Record<string, unknown>> }> }
    expect(report.files[0]?.issues.filter((issue) => issue.cwe === "CWE-89")).toEqual([])
  })
})
