/**
 * PathPolicy at its limits: each limit at, below and above its value, each rule with the input
 * that tells it from a looser rule, and the detail each refusal gives.
 */
import { describe, expect, it } from "@effect/vitest"
import { defaultFilesConfig, FilesConfig } from "../../core/domain/Config.ts"
import { UnsafePathError } from "../../core/errors.ts"
import { checkContent, checkPath } from "../../core/services/PathPolicy.ts"

const config = (overrides: Partial<ConstructorParameters<typeof FilesConfig>[0]>) =>
  new FilesConfig({ ...defaultFilesConfig, ...overrides })

const refusal = (path: string, files: FilesConfig = defaultFilesConfig) => {
  const result = checkPath(path, files)
  if (!(result instanceof UnsafePathError)) throw new Error(`${path} was accepted as ${result}`)
  return result
}

describe("PathPolicy boundaries", () => {
  it("accepts a name of 255 bytes and refuses one of 256, counting bytes rather than characters", () => {
    const files = config({ maxPathLength: 1000 })
    expect(checkPath(`src/${"a".repeat(255)}`, files)).toBe(`src/${"a".repeat(255)}`)
    expect(refusal(`src/${"a".repeat(256)}`, files).rule).toBe("name-too-long")
    // 128 two-byte characters: 128 characters, 256 bytes.
    expect(refusal(`src/${"é".repeat(128)}`, files).rule).toBe("name-too-long")
    expect(checkPath(`src/${"é".repeat(127)}`, files)).toBe(`src/${"é".repeat(127)}`)
  })

  it("names the too-long segment by its first 40 characters", () => {
    const long = `${"b".repeat(40)}${"c".repeat(260)}`
    const error = refusal(`src/${long}`, config({ maxPathLength: 1000 }))
    expect(error.detail).toBe(`${"b".repeat(40)}…`)
  })

  it("accepts a path of exactly maxPathLength and refuses one character more", () => {
    const files = config({ maxPathLength: 10 })
    expect(checkPath("src/abc.ts", files)).toBe("src/abc.ts")
    expect(refusal("src/abcd.ts", files)).toMatchObject({ rule: "too-long", detail: "11 > 10" })
    // The length is the normalised path's: `./` and `//` do not count.
    expect(checkPath("./src//abc.ts", files)).toBe("src/abc.ts")
  })

  it("accepts content of exactly maxFileBytes and refuses one byte more", () => {
    const files = config({ maxFileBytes: 4 })
    expect(checkContent("a.ts", "abcd", files)).toBeUndefined()
    expect(checkContent("a.ts", "abc", files)).toBeUndefined()
    const error = checkContent("a.ts", "abcde", files)
    expect(error).toMatchObject({ path: "a.ts", rule: "too-large", detail: "5 > 4 bytes" })
    // Bytes, not characters: two characters of two bytes each and one more.
    expect(checkContent("a.ts", "ééx", files)?.rule).toBe("too-large")
  })

  it("refuses a path of nothing but separators and dots as empty", () => {
    expect(refusal(".").rule).toBe("empty")
    expect(refusal("./").rule).toBe("empty")
    expect(refusal("src/..").rule).toBe("empty")
    expect(refusal("src//..").rule).toBe("empty")
  })

  it("takes a drive letter as absolute only at the start of the path", () => {
    expect(refusal("C:\\Windows").rule).toBe("absolute")
    expect(refusal("d:/x").rule).toBe("absolute")
    expect(refusal("\\\\server\\share").rule).toBe("absolute")
    // Further in, the colon is a character Windows refuses in a name, not a drive.
    expect(refusal("src/a:/b.ts").rule).toBe("reserved-character")
  })

  it("takes a device name only as a whole name, with or without an extension", () => {
    expect(refusal("src/NUL").rule).toBe("device-name")
    expect(refusal("src/com1.txt").rule).toBe("device-name")
    expect(refusal("src/lpt².log")).toMatchObject({ rule: "device-name", detail: "lpt².log" })
    expect(checkPath("src/falcon.ts", defaultFilesConfig)).toBe("src/falcon.ts")
    expect(checkPath("src/console.ts", defaultFilesConfig)).toBe("src/console.ts")
    expect(checkPath("src/com10.ts", defaultFilesConfig)).toBe("src/com10.ts")
  })

  it("says why a reserved folder is refused", () => {
    expect(refusal("lib/.git/config")).toMatchObject({ rule: "reserved", detail: ".git/ is git's" })
    expect(refusal("lib/GIT~1/config")).toMatchObject({ rule: "reserved", detail: "GIT~1/ is git's" })
    expect(refusal(".Tamma/runs/x.json")).toMatchObject({ rule: "reserved", detail: ".tamma/ is internal" })
    // Internal only at the top: a folder of that name further down is the user's.
    expect(checkPath("docs/.tamma/notes.md", defaultFilesConfig)).toBe("docs/.tamma/notes.md")
  })

  it("matches allow and deny globs against dot files too", () => {
    expect(checkPath(".github/workflows/ci.yml", defaultFilesConfig)).toBe(".github/workflows/ci.yml")
    expect(checkPath(".eslintrc.json", defaultFilesConfig)).toBe(".eslintrc.json")
    expect(refusal("src/.secret", config({ deny: ["src/*"] }))).toMatchObject({
      rule: "denied",
      detail: "matches src/*"
    })
  })

  it("accepts a path any one allow pattern matches, and lists them all when none does", () => {
    const files = config({ allow: ["src/**", "test/**"] })
    expect(checkPath("src/a.ts", files)).toBe("src/a.ts")
    expect(checkPath("test/a.test.ts", files)).toBe("test/a.test.ts")
    expect(refusal("lib/a.ts", files)).toMatchObject({ rule: "not-allowed", detail: "outside src/**, test/**" })
  })

  it("gives the same answer for a pattern checked again (its compiled form is kept)", () => {
    const files = config({ allow: ["pkg/**"] })
    expect(checkPath("pkg/a.ts", files)).toBe("pkg/a.ts")
    expect(checkPath("pkg/b.ts", files)).toBe("pkg/b.ts")
    expect(refusal("other/a.ts", files).rule).toBe("not-allowed")
  })
})
