import { describe, expect, it } from "@effect/vitest"
import { mirroredTestPath } from "../../../../plugins/languages/javascript/TestPath.ts"

describe("mirroredTestPath", () => {
  it.each([
    ["src/foo.ts", "test/foo.test.ts"],
    ["src/a/b.tsx", "test/a/b.test.tsx"],
    ["./src/foo.mjs", "test/foo.test.mjs"],
    ["lib/foo.js", "test/lib/foo.test.js"],
    ["src/types.d.ts", "test/types.test.ts"],
    ["src\\win\\foo.ts", "test/win/foo.test.ts"],
    ["test/foo.test.ts", "test/foo.test.ts"],
    ["src/foo.spec.js", "src/foo.spec.js"]
  ])("puts the test of %s at %s", (source, expected) => {
    expect(mirroredTestPath(source)).toBe(expected)
  })
})
