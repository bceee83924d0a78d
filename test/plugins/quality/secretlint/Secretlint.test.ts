import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../../core/services/QualityChecker.ts"
import { TypeScript } from "../../../../plugins/languages/typescript/TypeScript.ts"
import { highEntropyTokens, Secretlint } from "../../../../plugins/quality/secretlint/Secretlint.ts"

const pem = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEAqPfgaTEWEP3S9w0tgsicURfo+nLW09/0KfOPinhYZ4ouzU+3",
  "xC4pSlEp8Ut9FgL0AgqNslNaK34Kq+NZjO9DAQIDAQABAoIBAQCYHqXJm0n0k/BE",
  "-----END RSA PRIVATE KEY-----"
].join("\n")

const secrets: ReadonlyArray<readonly [string, string, string]> = [
  ["AWS access key id", `const id = "AKIAZ7VRSQ5TJN2XQ3PL"`, "secretlint/aws"],
  ["GitHub token", `const token = "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"`, "secretlint/github"],
  ["Slack token", `const slack = "xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx"`, "secretlint/slack"],
  ["private key", `const key = \`${pem}\``, "secretlint/privatekey"],
  ["password in a URL", `const db = "https://deploy:Tr7vQm2x@db.internal.acme.io/app"`, "secretlint/basicauth"],
  ["generic high-entropy token", `const apiKey = "q8Zr2LmX9vTb4NwK7pYc3HsD6fJg1RtE"`, "secretlint/high-entropy-token"]
]

describe("Secretlint", () => {
  it.effect("takes credentials on a documentation domain for a placeholder", () =>
    Effect.gen(function* () {
      for (const url of [
        "https://user:pass@example.com/",
        "https://admin:Tr7vQm2x@api.example.org/v1",
        "ftp://deploy:Tr7vQm2x@files.test"
      ]) {
        const issues = yield* Secretlint.check(`/**\n * new URL("${url}")\n */\n`, "src/url.ts")
        expect(
          issues.filter((issue) => issue.rule === "secretlint/basicauth"),
          url
        ).toEqual([])
      }
      // A host that only starts like one is no placeholder.
      const lookalike = yield* Secretlint.check(
        `const u = "https://deploy:Tr7vQm2x@example.com.evil.io"\n`,
        "src/url.ts"
      )
      expect(lookalike.map((issue) => issue.rule)).toContain("secretlint/basicauth")
    })
  )

  it.effect.each(secrets)("finds a %s", ([, code, rule]) =>
    Effect.gen(function* () {
      const issues = yield* Secretlint.check(`// config\n${code}\n`, "src/config.ts")
      const found = issues.find((issue) => issue.rule === rule)
      expect(found?.line).toBe(2)
      expect(found?.category).toBe("security")
      expect(found?.cwe).toBe("CWE-798")
      expect(found?.message).not.toContain(code.slice(20, 40))
    })
  )

  it.effect("stays quiet on ordinary code", () =>
    Effect.gen(function* () {
      const code = [
        'const url = "https://example.com/api/v1/users"',
        'const id = "550e8400-e29b-41d4-a716-446655440000"',
        'const name = "userProfileSettingsController"',
        'const hash = "d41d8cd98f00b204e9800998ecf8427e"',
        "export const add = (a: number, b: number) => a + b"
      ].join("\n")
      expect(yield* Secretlint.check(code, "src/a.ts")).toEqual([])
      expect(highEntropyTokens(code)).toEqual([])
    })
  )

  it("takes alphabets, charsets and names in strings for what they are, not for secrets", () => {
    const code = [
      // effect's ai/IdGenerator.ts, encoding/Base64.ts and Schema.ts
      'const DEFAULT_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"',
      'const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"',
      '  "Ipv6UniqueLocalAddressFromString"',
      "const urlSafe = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'",
      "const descending = `zyxwvutsrqponmlkjihgfedcba9876543210ZYXWVUTSRQPONMLKJIH`",
      'const event = "onHttp2SessionRemoteSettingsChanged"'
    ].join("\n")
    expect(highEntropyTokens(code)).toEqual([])
  })

  it("still finds random tokens, with or without a short run or a name-like stretch in them", () => {
    const tokens = [
      "Abl1POycwtHbKk32dcqrbcgF89jhFwhEZ9NpiFP+",
      "XAvgIal/nW4Q6xZ1MCUvGzERUi+CPXC05lg3X2/+",
      "vYvxrzGlYXDu2UluqeDCwc2WMYbtfyG5Cxq7k5ZB",
      "abcdef0123K9xQ2mZ7pLw4RtY8vN3sB6hJ5gT1",
      "Xk9Rw2TbLq7VmZn4PcYh8GsDf3JwAe6Nu"
    ]
    const issues = highEntropyTokens(tokens.map((token, i) => `const key${i} = "${token}"`).join("\n"))
    expect(issues.map((issue) => [issue.rule, issue.level, issue.line])).toEqual(
      tokens.map((_, i) => ["secretlint/high-entropy-token", "high", i + 1])
    )
  })

  it.effect("runs on every language as a shared tool of the registry", () =>
    Effect.gen(function* () {
      const quality = yield* QualityChecker
      const result = yield* quality.check(
        `export const token = "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"\n`,
        "typescript",
        "a.ts"
      )
      expect(result.issues.some((issue) => issue.rule === "secretlint/github")).toBe(true)
      expect(result.score).toBeLessThanOrEqual(0.8)
    }).pipe(
      Effect.provide(
        QualityChecker.layer.pipe(
          Layer.provideMerge(Layer.mergeAll(TypeScript.layer, LanguageRegistry.registerShared(Secretlint))),
          Layer.provideMerge(LanguageRegistry.layer)
        )
      )
    )
  )
})
