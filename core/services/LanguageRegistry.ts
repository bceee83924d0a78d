/**
 * LanguageRegistry: where language packs register what they bring when their layer is built.
 */
import { Context, Effect, Layer, Option } from "effect"
import type { CompileDiagnostic } from "../domain/CompileReport.ts"
import type { FormatStyle } from "../domain/FormatStyle.ts"
import type { QualityIssue } from "../domain/Quality.ts"
import type { SourceSymbol } from "../domain/SourceSymbol.ts"
import type { TestCaseWriter } from "../domain/TestCase.ts"
import type { TestLayout, TestLayoutInput } from "../domain/TestLayout.ts"
import { LanguageNotSupportedError, type QualityToolError, type TestLayoutError } from "../errors.ts"
import type { TestFramework } from "./TestRunner.ts"

/** A checker that reports issues for one file: a linter, a syntax check, a rule set. */
export interface QualityTool {
  readonly name: string
  readonly check: (code: string, path: string) => Effect.Effect<ReadonlyArray<QualityIssue>, QualityToolError>
}

/**
 * A formatter; it fails on code it cannot parse rather than returning it unchanged. It lays the
 * code out in `style` where its language allows it, and in its own default where `style` is silent.
 */
export interface Formatter {
  readonly name: string
  readonly format: (code: string, path: string, style?: FormatStyle) => Effect.Effect<string, QualityToolError>
}

/** Reads the exported symbols of a source file, for the test and documentation generators. */
export interface SymbolReader {
  /** Whether it reads `path` at all (a TypeScript declaration file has no code to test or document). */
  readonly reads: (path: string) => boolean
  readonly read: (source: string, path: string) => Effect.Effect<ReadonlyArray<SourceSymbol>>
}

/** Where the tests generator puts a file's tests, the template that writes them, and how it writes each check. */
export interface TestLayoutRule {
  /** The id of the `test-from-source` template of this language. */
  readonly template: string
  readonly place: (input: TestLayoutInput) => Effect.Effect<TestLayout, TestLayoutError>
  readonly cases: TestCaseWriter
}

/** How the documentation generator documents this language. */
export interface DocumentationRule {
  /** The id of the `doc-comments` template of this language. */
  readonly template: string
  /** A doc is a string statement inside the body (Python's docstring), not a comment above the declaration. */
  readonly docstring: boolean
}

/** A command of a compile check, run with no shell in a sandbox holding the change. */
export interface CompileCommand {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env?: Readonly<Record<string, string>>
}

/**
 * How a language's compiler or type checker checks a change: the commands to run in the sandbox
 * (in order, all of them), and the diagnostics read from their output. `commands` answers none
 * when the workspace has nothing this check can compile (a Go file outside any module).
 */
export interface CompileCheck {
  readonly name: string
  readonly commands: (options: {
    /** The sandbox: a copy of the workspace with the change. */
    readonly workspace: string
    /** The change's files of this language, workspace-relative. */
    readonly files: ReadonlyArray<string>
  }) => ReadonlyArray<CompileCommand>
  readonly parse: (output: {
    readonly stdout: string
    readonly stderr: string
    readonly exitCode: number
  }) => ReadonlyArray<CompileDiagnostic>
  /**
   * Why a failed command said nothing about the code (a build tool that cannot resolve its
   * plugins offline), or undefined when its failure is the code's: the check is then skipped.
   */
  readonly cannotRun?: (output: { readonly stdout: string; readonly stderr: string }) => string | undefined
}

/** A test function of a test file whose body holds no assertion: it passes whatever the code does. */
export interface UnassertedTest {
  readonly name: string
  /** 1-based. */
  readonly line: number
}

/** The tests a file holds, and those of them that assert nothing. */
export interface TestsFound {
  readonly count: number
  readonly unasserted: ReadonlyArray<UnassertedTest>
}

/** Reads a file's tests statically, to find those that assert nothing (no test framework requires assertions). */
export interface AssertionCheck {
  /** How the language's tests assert, named in the failure the model reads: `expect(…)`, `assert …`. */
  readonly forms: string
  /**
   * Any file, not only a test file (Rust keeps unit tests beside the code). None found when the
   * file cannot be read as code: the check never blocks what it cannot parse. `modules` reads
   * the change's and the workspace's other files, so that a helper the tests import is judged
   * by its body; without it, only where the helper lies is known.
   */
  readonly read: (
    source: string,
    path: string,
    modules?: (path: string) => Effect.Effect<string | undefined>
  ) => Effect.Effect<TestsFound>
  /** Its tests may sit in source files (Rust's `#[cfg(test)]` modules): such a file is one of the change's tests. */
  readonly besideCode?: boolean
}

/** Everything a language brings to the pipeline. */
export interface LanguagePack {
  readonly id: string
  readonly name: string
  /** File extensions with the dot: `.ts`, `.tsx`. */
  readonly extensions: ReadonlyArray<string>
  /** Other names for the language: `ts`, `typescript`. */
  readonly aliases: ReadonlyArray<string>
  /** Its comment tokens; the documentation generator checks with them that a doc changed only comments. */
  readonly comment: { readonly line?: string; readonly block?: readonly [string, string] }
  readonly formatter?: Formatter
  readonly tools: ReadonlyArray<QualityTool>
  /** What the repair loop runs to learn whether a change compiles (type-checks). */
  readonly compileCheck?: CompileCheck
  /** The exported symbols of a file; without it the test and documentation generators do not serve the language. */
  readonly symbols?: SymbolReader
  readonly testLayout?: TestLayoutRule
  readonly documentation?: DocumentationRule
  /** The frameworks the test runner may use, in the order they are tried; the first is the default. */
  readonly testFrameworks?: ReadonlyArray<TestFramework>
  /** Whether a path is a test file by this language's conventions. */
  readonly isTestPath?: (path: string) => boolean
  /** The tests of a file that assert nothing; without it no test of the language is held to asserting. */
  readonly assertionCheck?: AssertionCheck
}

const extensionOf = (path: string): string => {
  const slash = path.lastIndexOf("/")
  const base = path.slice(slash + 1)
  const dot = base.lastIndexOf(".")
  return dot <= 0 ? "" : base.slice(dot).toLowerCase()
}

export class LanguageRegistry extends Context.Service<
  LanguageRegistry,
  {
    readonly register: (pack: LanguagePack) => Effect.Effect<void>
    /** A tool that runs on every file of every language (secret scanning). */
    readonly registerShared: (tool: QualityTool) => Effect.Effect<void>
    readonly sharedTools: Effect.Effect<ReadonlyArray<QualityTool>>
    readonly list: Effect.Effect<ReadonlyArray<LanguagePack>>
    /** A pack by id, alias or extension. */
    readonly get: (language: string) => Effect.Effect<LanguagePack, LanguageNotSupportedError>
    /** The pack whose extension the path has. */
    readonly detect: (path: string) => Effect.Effect<Option.Option<LanguagePack>>
    /**
     * Whether some registered language calls the path a test file: conventions span languages
     * (a fixture under `tests/` belongs to the suite whatever its extension).
     */
    readonly isTestPath: (path: string) => Effect.Effect<boolean>
  }
>()("@tamma/codegen/services/LanguageRegistry") {
  static readonly layer = Layer.sync(LanguageRegistry, () => {
    const packs = new Map<string, LanguagePack>()
    const shared = new Map<string, QualityTool>()
    const find = (language: string): LanguagePack | undefined => {
      const key = language.toLowerCase()
      const byId = packs.get(key)
      if (byId !== undefined) return byId
      for (const pack of packs.values()) {
        if (pack.aliases.includes(key) || pack.extensions.includes(key.startsWith(".") ? key : `.${key}`)) return pack
      }
      return undefined
    }
    return LanguageRegistry.of({
      register: (pack) => Effect.sync(() => void packs.set(pack.id, pack)),
      registerShared: (tool) => Effect.sync(() => void shared.set(tool.name, tool)),
      sharedTools: Effect.sync(() => [...shared.values()]),
      list: Effect.sync(() => [...packs.values()]),
      get: (language) =>
        Effect.suspend(() => {
          const pack = find(language)
          return pack === undefined ? Effect.fail(new LanguageNotSupportedError({ language })) : Effect.succeed(pack)
        }),
      detect: (path) =>
        Effect.sync(() => {
          const extension = extensionOf(path)
          for (const pack of packs.values()) {
            if (extension !== "" && pack.extensions.includes(extension)) return Option.some(pack)
          }
          return Option.none()
        }),
      isTestPath: (path) => Effect.sync(() => [...packs.values()].some((pack) => pack.isTestPath?.(path) === true))
    })
  })

  /** A layer that registers a tool for every language when it is built. */
  static readonly registerShared = (tool: QualityTool): Layer.Layer<never, never, LanguageRegistry> =>
    Layer.effectDiscard(LanguageRegistry.use((registry) => registry.registerShared(tool)))

  /** A layer that registers `pack` into the registry when it is built. */
  static readonly register = (pack: LanguagePack): Layer.Layer<never, never, LanguageRegistry> =>
    Layer.effectDiscard(LanguageRegistry.use((registry) => registry.register(pack)))
}
