import { describe, expect, it } from "@effect/vitest"
import { isJavaScriptTestPath } from "../../../../plugins/languages/javascript/TestPath.ts"

describe("isJavaScriptTestPath", () => {
  it.each([
    ["test/foo.test.ts", true],
    ["src/foo.spec.js", true],
    ["src/a/b.test.mjs", true],
    ["src/__tests__/b.tsx", true],
    ["spec/fixtures/data.json", true],
    ["src/foo.ts", false],
    ["src/testing.ts", false],
    ["src/contest/a.js", false]
  ])("calls %s a test file: %s", (path, test) => {
    expect(isJavaScriptTestPath(path)).toBe(test)
  })
})
