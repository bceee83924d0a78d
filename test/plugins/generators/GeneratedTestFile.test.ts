import { describe, expect, it } from "@effect/vitest"
import { generatedVariant } from "../../../plugins/generators/tests/GeneratedTestFile.ts"

describe("generatedVariant", () => {
  it("names a free file beside a hand-written one", () => {
    expect(generatedVariant("calc_test.go")).toBe("calc_generated_test.go")
    expect(generatedVariant("test/a.test.ts")).toBe("test/a.generated.test.ts")
    expect(generatedVariant("tests/test_a.py")).toBe("tests/test_a_generated.py")
    expect(generatedVariant("tests/a.rs")).toBe("tests/a_generated.rs")
  })
})
