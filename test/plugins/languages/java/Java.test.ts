import { readFileSync } from "node:fs"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { QualityToolError } from "../../../../core/errors.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../../core/services/QualityChecker.ts"
import { isJavaTestPath, Java } from "../../../../plugins/languages/java/index.ts"

const testLayer = Layer.mergeAll(QualityChecker.layer, Java.layer).pipe(Layer.provideMerge(LanguageRegistry.layer))

const clean = readFileSync(new URL("../../../fixtures/quality/java/Inventory.java", import.meta.url), "utf8")

const messy = 'public class Hello { public static void main(String[] args){ System.out.println("hi"); } }\n'

describe("Java", () => {
  it("declares the Java conventions", () => {
    const { pack } = Java
    expect([pack.id, pack.extensions, pack.aliases, pack.comment.line]).toEqual(["java", [".java"], ["java"], "//"])
    expect(pack.testFrameworks?.map((framework) => framework.name)).toEqual(["junit5"])
    expect(pack.formatter?.name).toBe("prettier-java")
    expect(pack.tools.map((tool) => tool.name)).toEqual(["tree-sitter", "tree-sitter-rules", "prettier-java-format"])
  })

  it.each([
    ["src/test/java/com/acme/OrderTest.java", true],
    ["OrderTest.java", true],
    ["src/main/java/com/acme/Order.java", false]
  ])("calls %s a test file: %s", (path, test) => {
    expect(isJavaTestPath(path)).toBe(test)
  })

  layer(testLayer)("through the QualityChecker", (it) => {
    it.effect("scores the clean fixture at least 0.9 with no security finding", () =>
      Effect.gen(function* () {
        const result = yield* (yield* QualityChecker).check(clean, "java", "src/main/java/Inventory.java")
        expect(result.issues.filter((issue) => issue.category === "security")).toEqual([])
        expect(result.score).toBeGreaterThanOrEqual(0.9)
      })
    )

    it.effect("reports the rules' findings", () =>
      Effect.gen(function* () {
        const code =
          'class Digest {\n  byte[] hash(byte[] data) throws Exception {\n    return MessageDigest.getInstance("MD5").digest(data);\n  }\n}\n'
        const result = yield* (yield* QualityChecker).check(code, "java", "Digest.java")
        expect(result.issues.map((issue) => [issue.rule, issue.category, issue.line, issue.column])).toContainEqual([
          "java/weak-hash",
          "security",
          3,
          12
        ])
      })
    )

    it.effect("reports a syntax error at its line", () =>
      Effect.gen(function* () {
        const code = "class A {\n  int ok() {\n    return 1;\n  }\n\n  int broken() {\n    return 2\n  }\n}\n"
        const result = yield* (yield* QualityChecker).check(code, "java", "A.java")
        const syntax = result.issues.filter((issue) => issue.category === "syntax")
        expect(syntax.map((issue) => [issue.line, issue.message])).toEqual([[7, "missing `;`"]])
      })
    )

    it.effect("formats idempotently", () =>
      Effect.gen(function* () {
        const checker = yield* QualityChecker
        const once = yield* checker.format(messy, "java")
        expect(once).toBe(
          'public class Hello {\n\n  public static void main(String[] args) {\n    System.out.println("hi");\n  }\n}\n'
        )
        expect(yield* checker.format(once, "java")).toBe(once)
        expect(yield* checker.format(clean, "java")).toBe(clean)
      })
    )

    it.effect("fails to format code that does not parse", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip((yield* QualityChecker).format("class A { void f( { }\n", "java"))
        expect(error).toBeInstanceOf(QualityToolError)
        expect(error.message).toContain("syntax error at 1:")
      })
    )

    it.effect("formats in the project's indentation when given its style", () =>
      Effect.gen(function* () {
        const checker = yield* QualityChecker
        expect(yield* checker.format(messy, "java", "Hello.java", { indent: "spaces", indentSize: 4 })).toBe(
          'public class Hello {\n\n    public static void main(String[] args) {\n        System.out.println("hi");\n    }\n}\n'
        )
        expect(yield* checker.format(messy, "java", "Hello.java", { indent: "tabs" })).toBe(
          'public class Hello {\n\n\tpublic static void main(String[] args) {\n\t\tSystem.out.println("hi");\n\t}\n}\n'
        )
      })
    )
  })
})
