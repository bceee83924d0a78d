/**
 * The shell pack of `examples/language-pack/`, registered beside a built-in pack as a wiring
 * would: the registry finds it by alias and extension, and validating shell scripts runs its
 * tools for real (tree-sitter's bash grammar).
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../core/services/QualityChecker.ts"
import { Shell } from "../../examples/language-pack/Shell.ts"
import { TypeScript } from "../../plugins/languages/typescript/TypeScript.ts"

const wiring = QualityChecker.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(TypeScript.layer, Shell.layer)),
  Layer.provideMerge(LanguageRegistry.layer)
)

const check = (code: string, path = "scripts/deploy.sh") =>
  QualityChecker.use((quality) => quality.check(code, "bash", path))

describe("a language pack from examples/", () => {
  layer(wiring)("registered beside TypeScript", (it) => {
    it.effect("is found by alias and by extension, and knows its test files", () =>
      Effect.gen(function* () {
        const registry = yield* LanguageRegistry
        expect((yield* registry.get("sh")).id).toBe("shell")
        expect(Option.map(yield* registry.detect("bin/release.bash"), (pack) => pack.id)).toEqual(Option.some("shell"))
        expect(Option.map(yield* registry.detect("src/a.ts"), (pack) => pack.id)).toEqual(Option.some("typescript"))
        expect(yield* registry.isTestPath("test/release.bats")).toBe(true)
        expect(yield* registry.isTestPath("scripts/release.sh")).toBe(false)
      })
    )

    it.effect("passes a clean script", () =>
      Effect.gen(function* () {
        const result = yield* check('#!/bin/sh\nset -eu\nfor f in "$@"; do\n  echo "$f"\ndone\n')
        expect(result.issues).toEqual([])
        expect(result.score).toBe(1)
      })
    )

    it.effect("reports where a script stops parsing", () =>
      Effect.gen(function* () {
        const result = yield* check('#!/bin/sh\nif [ -n "$1" ]; then\n  echo "$1"\n')
        expect(result.issues.length).toBeGreaterThan(0)
        expect(result.issues.every((issue) => issue.category === "syntax" && issue.tool === "shell-syntax")).toBe(true)
        expect(result.score).toBeLessThan(1)
      })
    )

    it.effect("flags a download piped into a shell, and not one saved and checked first", () =>
      Effect.gen(function* () {
        const piped = yield* check("#!/bin/sh\nwget -qO- https://example.com/i.sh | /bin/bash -s -- --yes\n")
        expect(piped.issues.map((issue) => [issue.rule, issue.line, issue.cwe])).toEqual([
          ["shell/pipe-download-to-shell", 2, "CWE-494"]
        ])
        const saved = yield* check(
          "#!/bin/sh\ncurl -fsSLo i.sh https://example.com/i.sh\nsha256sum -c i.sh.sha256\nsh i.sh\ncurl -s https://example.com | grep sh\n"
        )
        expect(saved.issues).toEqual([])
      })
    )
  })
})
