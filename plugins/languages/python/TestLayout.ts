/**
 * Where Python's generated tests go: pytest files `tests/test_<module>.py` (or under the request's
 * `testDir`), importing `from <dotted module> import …` without a leading `src.`.
 */
import * as posix from "node:path/posix"
import { Effect } from "effect"
import type { TestLayoutRule } from "../../../core/services/LanguageRegistry.ts"
import { pythonTestCases } from "./TestCases.ts"

export const pythonTestLayout: TestLayoutRule = {
  template: "python/test-from-source",
  cases: pythonTestCases,
  place: (input) => {
    const module = input.target
      .replace(/^(\.\/)?src\//, "")
      .replace(/\.py$/, "")
      .replace(/\/__init__$/, "")
      .replaceAll("/", ".")
    const name = module.slice(module.lastIndexOf(".") + 1)
    return Effect.succeed({
      framework: "pytest",
      testPath: posix.join(input.testDir ?? "tests", `test_${name}.py`),
      importFrom: module,
      subject: module
    })
  }
}
