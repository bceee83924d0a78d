import { describe, expect, it } from "@effect/vitest"
import { defaultFilesConfig } from "../../core/domain/Config.ts"
import { UnsafePathError } from "../../core/errors.ts"
import { checkContent, checkPath } from "../../core/services/PathPolicy.ts"

const ruleOf = (path: string) => {
  const result = checkPath(path, defaultFilesConfig)
  return result instanceof UnsafePathError ? result.rule : undefined
}

describe("PathPolicy", () => {
  it("normalises ordinary relative paths", () => {
    expect(checkPath("src/./a/../b.ts", defaultFilesConfig)).toBe("src/b.ts")
    expect(checkPath("src//lib/x.ts", defaultFilesConfig)).toBe("src/lib/x.ts")
  })

  it.each([
    ["../outside.ts", "outside-workspace"],
    ["src/../../x", "outside-workspace"],
    ["/etc/passwd", "absolute"],
    ["C:/Windows/x", "absolute"],
    ["a\u0000b", "control-character"],
    ["a\nb.ts", "control-character"],
    [".git/config", "reserved"],
    [".tamma/journal/x", "reserved"],
    ["src/con.ts", "device-name"],
    ["src/file.", "trailing-dot-or-space"],
    [".env", "denied"],
    ["config/.env.local", "denied"],
    ["keys/server.pem", "denied"],
    ["home/id_rsa.pub", "denied"],
    ["node_modules/x/index.js", "denied"],
    ["a\\b.ts", "backslash"],
    ["", "empty"],
    [`${"a/".repeat(200)}x.ts`, "too-long"]
  ])("refuses %j with rule %s", (path, rule) => {
    expect(ruleOf(path)).toBe(rule)
  })

  it("refuses binary and oversized content", () => {
    expect(checkContent("a.ts", "x\u0000y", defaultFilesConfig)?.rule).toBe("binary-content")
    expect(checkContent("a.ts", "x".repeat(defaultFilesConfig.maxFileBytes + 1), defaultFilesConfig)?.rule).toBe(
      "too-large"
    )
    expect(checkContent("a.ts", "ok", defaultFilesConfig)).toBeUndefined()
  })
})
