/**
 * The documentation generator on the fixture projects: doc comments are added to exported
 * symbols without one, in each language's syntax; the code without comments is unchanged; and a
 * template that changes a code line is refused.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { Template, TemplateFile } from "../../../core/domain/Template.ts"
import { GeneratorFailedError } from "../../../core/errors.ts"
import { GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { TemplateStore } from "../../../core/services/TemplateStore.ts"
import { codeDifference } from "../../../plugins/generators/documentation/CommentStripping.ts"
import { DocGenerator } from "../../../plugins/generators/documentation/DocGenerator.ts"
import { DocChangedCodeError, DocTargetError } from "../../../plugins/generators/documentation/DocGeneratorError.ts"
import { withSection } from "../../../plugins/generators/documentation/ReadmeSection.ts"
import { TemplateGenerator } from "../../../plugins/generators/template/TemplateGenerator.ts"
import { Python } from "../../../plugins/languages/python/Python.ts"
import {
  copyProject,
  languages,
  projectRequest,
  removeCopies,
  runGenerator,
  templates,
  writeInto
} from "./ProjectFixture.ts"

afterEach(removeCopies)

const layer = Layer.mergeAll(DocGenerator.layer, TemplateGenerator.layer).pipe(
  Layer.provideMerge(GeneratorRegistry.layer),
  Layer.provideMerge(templates),
  Layer.provideMerge(languages)
)

const docRequest = (language: string, parameters: Record<string, unknown>) =>
  Effect.map(
    projectRequest(language),
    (base) =>
      new CodeGenerationRequest({
        ...base,
        taskType: "documentation",
        parameters,
        requirements: {
          ...base.requirements,
          documentation: ["slugify: turns a title into a URL slug", "slugify.title: the title to turn"]
        }
      })
  )

const cases = [
  {
    language: "typescript",
    target: "src/text.ts",
    syntax: "c",
    expected: [
      "/**\n * Turns a title into a URL slug.\n * @param title - the title to turn\n * @returns string\n */\nexport function slugify",
      "  /**\n   * Takes `times` and returns `number`."
    ]
  },
  {
    language: "python",
    target: "textkit/slug.py",
    syntax: "python",
    expected: [
      'def slugify(title: str) -> str:\n    """Turns a title into a URL slug.\n\n    Args:\n        title: the title to turn',
      '    def add(self, amount: int) -> int:\n        """Takes `amount` and returns `int`.'
    ]
  },
  {
    language: "go",
    target: "textkit.go",
    syntax: "c",
    expected: [
      "// Slugify turns a title into a URL slug.\nfunc Slugify",
      "// Tally is the tally type.\ntype Tally struct",
      "// Add takes `amount` and returns `int`.\nfunc (t *Tally) Add"
    ]
  },
  {
    language: "rust",
    target: "src/text.rs",
    syntax: "c",
    expected: [
      "/// Turns a title into a URL slug.\n///\n/// # Arguments\n///\n/// * `title` - the title to turn\npub fn slugify",
      "    /// Takes `amount` and returns `i64`."
    ]
  }
] as const

describe("DocGenerator", () => {
  it.effect.each(cases)("$language: documents the exported symbols and changes no code line", (c) =>
    Effect.gen(function* () {
      const dir = copyProject(c.language)
      const before = fs.readFileSync(path.join(dir, c.target), "utf8")
      const output = yield* runGenerator(yield* docRequest(c.language, { target: c.target }), dir)
      expect(output.generator).toBe("documentation")
      expect(output.files.map((f) => f.path)).toEqual([c.target])
      const after = output.files[0]?.content ?? ""
      for (const text of c.expected) expect(after).toContain(text)
      expect(codeDifference(before, after, c.syntax)).toBeUndefined()

      // A second run finds nothing left to document.
      writeInto(dir, output.files)
      const again = yield* runGenerator(yield* docRequest(c.language, { target: c.target }), dir)
      expect(again.files).toEqual([])
      expect(again.notes[0]).toContain("already has a doc comment")
    }).pipe(Effect.provide(layer))
  )

  it.effect("refuses a template that changes a code line", () =>
    Effect.gen(function* () {
      const dir = copyProject("typescript")
      const builtin = yield* TemplateStore.use((store) => store.load("typescript/doc-comments"))
      const tampering = new Template({
        ...builtin,
        files: builtin.files.map(
          (file) =>
            new TemplateFile({
              path: file.path,
              source: file.source.replace(
                "{{ block.code }}",
                '{{ block.code | replace("join(\\"-\\")", "join(\\"_\\")") }}'
              )
            })
        ),
        hash: "tampering"
      })
      expect(tampering.files[0]?.source).toContain("replace(")
      const error = yield* runGenerator(
        yield* docRequest("typescript", { target: "src/text.ts" }),
        dir,
        tampering
      ).pipe(Effect.flip)
      // The core sees a generator failure; the plugin's own error is its cause, with the same message.
      expect(error).toBeInstanceOf(GeneratorFailedError)
      expect(error instanceof GeneratorFailedError ? error.generator : undefined).toBe("documentation")
      expect(error instanceof GeneratorFailedError ? error.cause : error).toBeInstanceOf(DocChangedCodeError)
      expect(error.message).toContain('return words(title.toLowerCase()).join(\\"_\\")')
    }).pipe(Effect.provide(layer))
  )

  it.effect("adds a README section, and updates it in place on the next run", () =>
    Effect.gen(function* () {
      const dir = copyProject("python")
      writeInto(dir, [{ path: "README.md", content: "# textkit\n\n## Install\n\npip install textkit\n" }])
      const first = yield* runGenerator(
        yield* docRequest("python", { readme: { title: "Usage", body: ["```python", "slugify('A b')", "```"] } }),
        dir
      )
      expect(first.files[0]?.content).toBe(
        "# textkit\n\n## Install\n\npip install textkit\n\n## Usage\n\n```python\nslugify('A b')\n```\n"
      )
      writeInto(dir, first.files)
      const second = yield* runGenerator(
        yield* docRequest("python", { readme: { title: "Install", body: "uv add textkit" } }),
        dir
      )
      expect(second.files[0]?.content).toBe(
        "# textkit\n\n## Install\n\nuv add textkit\n\n## Usage\n\n```python\nslugify('A b')\n```\n"
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect("documents a language only through its registered pack", () =>
    Effect.gen(function* () {
      const dir = copyProject("go")
      const error = yield* runGenerator(yield* docRequest("go", { target: "textkit.go" }), dir).pipe(Effect.flip)
      const cause = error instanceof GeneratorFailedError ? error.cause : error
      expect(cause).toBeInstanceOf(DocTargetError)
      expect(cause instanceof DocTargetError ? cause.problem : error._tag).toBe("unsupported-language")
    }).pipe(
      Effect.provide(
        Layer.mergeAll(DocGenerator.layer, TemplateGenerator.layer).pipe(
          Layer.provideMerge(GeneratorRegistry.layer),
          Layer.provideMerge(templates),
          Layer.provideMerge(Python.layer.pipe(Layer.provideMerge(LanguageRegistry.layer)))
        )
      )
    )
  )
})

describe("withSection", () => {
  it("replaces up to the next heading of the same level, not a deeper one, nor one in a code fence", () => {
    const readme = "# T\n\n## A\n\nold\n\n### A.1\n\nmore\n\n```\n## not a heading\n```\n\n## B\n\nb\n"
    expect(withSection(readme, { title: "A", body: "new" })).toBe("# T\n\n## A\n\nnew\n\n## B\n\nb\n")
    expect(withSection("", { title: "A", body: ["x"] })).toBe("## A\n\nx\n")
  })
})
