/** Where Go's generated tests go: `<file>_test.go` beside the file, in the same package (`go test`). */
import * as posix from "node:path/posix"
import { Effect } from "effect"
import { TestLayoutError } from "../../../core/errors.ts"
import type { TestLayoutRule } from "../../../core/services/LanguageRegistry.ts"
import { goPackage } from "./Symbols.ts"
import { goTestCases } from "./TestCases.ts"

export const goTestLayout: TestLayoutRule = {
  template: "go/test-from-source",
  cases: goTestCases,
  place: ({ target, source }) => {
    const pkg = goPackage(source)
    if (pkg === undefined) return Effect.fail(new TestLayoutError({ target, reason: "no package clause" }))
    const stem = posix.basename(target).replace(/\.[^.]+$/, "")
    return Effect.succeed({
      framework: "go test",
      testPath: posix.join(posix.dirname(target), `${stem}_test.go`),
      importFrom: pkg,
      subject: pkg
    })
  }
}
