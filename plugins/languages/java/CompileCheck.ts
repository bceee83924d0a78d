/**
 * Java's compile check: `javac` over every source of the workspace with the change, against the
 * JUnit 5 API when it is installed (Debian's `junit5` puts it in /usr/share/java), so that the
 * change's tests compile too. Classes go to a scratch folder inside the sandbox.
 */
import { existsSync, readdirSync } from "node:fs"
import * as path from "node:path"
import type { CompileCheck } from "../../../core/services/LanguageRegistry.ts"

const sharedJava = "/usr/share/java"
/** The jars a JUnit 5 test compiles against. */
const junitApi = /^(junit-jupiter-api|junit-jupiter-params|junit-platform-commons|opentest4j|apiguardian(-api)?)\.jar$/

const junitClassPath = (): ReadonlyArray<string> =>
  existsSync(sharedJava)
    ? readdirSync(sharedJava)
        .filter((name) => junitApi.test(name))
        .map((name) => path.join(sharedJava, name))
    : []

/** Folders never searched for sources: build output and version control. */
const skipped = new Set(["target", "build", "out", ".git", ".tamma", "node_modules"])

const sourcesUnder = (root: string, dir = ""): ReadonlyArray<string> =>
  readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = dir === "" ? entry.name : `${dir}/${entry.name}`
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : sourcesUnder(root, relative)
    return entry.isFile() && entry.name.endsWith(".java") ? [relative] : []
  })

export const javacCheck: CompileCheck = {
  name: "javac",
  commands: ({ workspace }) => {
    const sources = sourcesUnder(workspace)
    const classPath = junitClassPath()
    return sources.length === 0
      ? []
      : [
          {
            command: "javac",
            args: [
              "-d",
              ".tamma-classes",
              "-encoding",
              "UTF-8",
              "-nowarn",
              "-proc:none",
              ...(classPath.length === 0 ? [] : ["-cp", classPath.join(path.delimiter)]),
              ...sources
            ]
          }
        ]
  },
  parse: ({ stdout, stderr }) =>
    [...`${stdout}\n${stderr}`.matchAll(/^(.+?\.java):(\d+): error: (.*)$/gm)].map((m) => ({
      file: m[1],
      line: Number(m[2]),
      message: m[3] ?? ""
    }))
}
