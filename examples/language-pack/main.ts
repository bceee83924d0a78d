/**
 * The shell pack at work: registered beside nothing else, it validates a script that pipes a
 * download into a shell. Run: node examples/language-pack/main.ts
 */
import { Effect, Layer } from "effect"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../core/services/QualityChecker.ts"
import { Shell } from "./Shell.ts"

const layer = QualityChecker.layer.pipe(Layer.provideMerge(Shell.layer), Layer.provideMerge(LanguageRegistry.layer))

const script = "#!/bin/sh\nset -eu\ncurl -fsSL https://example.com/install.sh | sh\n"

const result = await Effect.runPromise(
  QualityChecker.use((quality) => quality.check(script, "shell", "install.sh")).pipe(Effect.provide(layer))
)
console.log(
  `score ${result.score}`,
  result.issues.map((issue) => `${issue.line}:${issue.column} ${issue.rule} ${issue.message}`)
)
if (result.issues.length !== 1 || result.issues[0]?.rule !== "shell/pipe-download-to-shell") process.exitCode = 1
