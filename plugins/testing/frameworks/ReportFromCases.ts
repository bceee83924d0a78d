/**
 * A framework's parsed report from its test cases: the counts, and a status that tells a run that
 * failed before any test ran (`error`) from one whose tests failed.
 */
import type { TestCase } from "../../../core/domain/TestReport.ts"

export const fromCases = (cases: ReadonlyArray<TestCase>, exitCode: number) => {
  const count = (status: TestCase["status"]) => cases.filter((c) => c.status === status).length
  const failed = count("failed")
  return {
    status:
      failed > 0
        ? ("failed" as const)
        : cases.length === 0 && exitCode !== 0
          ? ("error" as const)
          : ("passed" as const),
    passed: count("passed"),
    failed,
    skipped: count("skipped"),
    cases,
    coverage: undefined
  }
}
