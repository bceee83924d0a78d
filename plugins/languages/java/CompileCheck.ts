/**
 * Java's compile check. A Maven project compiles with Maven, offline (`mvn -o -q test-compile`),
 * so that its dependencies are on the class path; when Maven cannot resolve what it needs
 * offline, the check is skipped rather than blamed on the code. Anything else compiles with
 * `javac` over every source of the workspace, against the JUnit 5 API when it is installed
 * (Debian's `junit5` puts it in /usr/share/java), so that the change's tests compile too.
 * Classes go to a scratch folder inside the sandbox.
 */
import { existsSync, readdirSync } from "node:fs"
import * as path from "node:path"
import type { CompileCheck } from "../../../core/services/LanguageRegistry.ts"
import { findExecutable } from "../../testing/Executables.ts"

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

/** Maven's own words for "I could not get what I need", as opposed to a compiler error. */
const unresolvable =
  /offline mode|Could not resolve|Cannot access .* in offline|PluginResolutionException|Non-resolvable/

export const javacCheck: CompileCheck = {
  name: "javac",
  commands: ({ workspace }) => {
    if (existsSync(path.join(workspace, "pom.xml")) && findExecutable("mvn") !== undefined) {
      return [{ command: "mvn", args: ["-o", "-q", "-B", "test-compile"] }]
    }
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
  parse: ({ stdout, stderr }) => {
    const output = `${stdout}\n${stderr}`
    // javac: `src/A.java:3: error: message`; Maven: `[ERROR] /abs/src/A.java:[3,5] message`.
    const javac = [...output.matchAll(/^(.+?\.java):(\d+): error: (.*)$/gm)].map((m) => ({
      file: m[1],
      line: Number(m[2]),
      message: m[3] ?? ""
    }))
    const maven = [...output.matchAll(/^\[ERROR\] (\S+?\.java):\[(\d+),(\d+)\] (.*)$/gm)].map((m) => ({
      file: m[1],
      line: Number(m[2]),
      column: Number(m[3]),
      message: m[4] ?? ""
    }))
    return [...javac, ...maven]
  },
  cannotRun: ({ stdout, stderr }) => {
    const output = `${stdout}\n${stderr}`
    return /\[ERROR\] \S+?\.java:\[\d+,\d+\]/.test(output) || !unresolvable.test(output)
      ? undefined
      : "Maven cannot resolve the project's plugins or dependencies offline"
  }
}
