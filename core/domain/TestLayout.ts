/**
 * Where a source file's generated tests go, which framework runs them and how they import the
 * code under test: what a language pack's `testLayout` answers for the tests generator.
 */
import type { Effect } from "effect"

export interface TestLayout {
  /** The framework the file is written for (`vitest`, `pytest`, `go test`…). */
  readonly framework: string
  readonly testPath: string
  /** TS/JS module specifier, Python dotted module, Go package name, Rust `crate::path`. */
  readonly importFrom: string
  /** The module's name, for suite titles and file headers. */
  readonly subject: string
}

export interface TestLayoutInput {
  /** The source file, workspace-relative. */
  readonly target: string
  readonly source: string
  /** Reads a workspace file as staged so far (a manifest: package.json, Cargo.toml). */
  readonly read: (path: string) => Effect.Effect<string | undefined>
  /** The request's test folder, when it names one. */
  readonly testDir?: string
  /** The request's framework, when it names one the language has. */
  readonly framework?: string
}
