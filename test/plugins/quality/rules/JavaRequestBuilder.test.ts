/**
 * OkHttp's Request.Builder sends to the URL it is given however it is reached: straight after
 * `new Request.Builder()`, further down a chain of other setters, or through a variable that
 * holds the builder. The corpus test allows a few misses per language, so each of these samples
 * is held to its verdict here.
 */
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { corpusCheckOf, corpusLanguages } from "./CorpusSamples.ts"

const folder = path.resolve(import.meta.dirname, "../../../fixtures/security/java/tainted-url")
const java = corpusLanguages.find((language) => language.folder === "java")
if (java === undefined) throw new Error("the corpus has no Java")
const check = corpusCheckOf(java)

const ssrf = (file: string) =>
  check(path.join(folder, file)).pipe(
    Effect.map((issues) => issues.filter((issue) => issue.category === "security" && issue.cwe === "CWE-918"))
  )

describe("java/tainted-url through OkHttp's Request.Builder", () => {
  it.effect.each([
    { file: "vulnerable-6.java", shape: "a chain with another setter before url(…)" },
    { file: "vulnerable-7.java", shape: "a variable declared as Request.Builder" },
    { file: "vulnerable-8.java", shape: "a var assigned new Request.Builder()" }
  ])("reports $file: $shape", ({ file }) =>
    Effect.gen(function* () {
      expect((yield* ssrf(file)).map((issue) => issue.rule)).toContain("java/tainted-url")
    })
  )

  it.effect.each([
    { file: "safe-6.java", shape: "a chain whose url(…) is a fixed address" },
    { file: "safe-7.java", shape: "a builder variable given a constant" },
    { file: "safe-8.java", shape: "url(…) of an object that is not a builder" }
  ])("leaves $file alone: $shape", ({ file }) =>
    Effect.gen(function* () {
      expect(yield* ssrf(file)).toEqual([])
    })
  )
})
