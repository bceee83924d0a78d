/**
 * One small project per language for the repair-loop runs: the workspace, a request for a
 * `clamp` module, and the files a model would answer with — right, with one wrong test
 * assertion, or not compiling.
 */

export interface LanguageCase {
  readonly language: string
  /** The workspace before the run. */
  readonly workspace: Readonly<Record<string, string>>
  readonly sourcePath: string
  readonly testPath: string
  /** The source, correct. */
  readonly source: string
  /** The source with an error the compiler reports. */
  readonly brokenSource: string
  /** The tests, passing against `source`. */
  readonly test: string
  /** The line of `test` that a wrong answer changes, and what it changes it to. */
  readonly assertion: { readonly right: string; readonly wrong: string }
  /** The template's parameters. */
  readonly functions: ReadonlyArray<Record<string, unknown>>
  /**
   * For a language whose built-in module template writes one file: a template of the workspace's
   * own (its folder under `templateDirs`) that writes the source and its tests as two files.
   */
  readonly twoFileTemplate?: { readonly id: string; readonly files: Readonly<Record<string, string>> }
}

const clampDoc = {
  name: "clamp",
  doc: "Limits x to the range from lo to hi.",
  examples: [
    { args: [5, 0, 10], expected: 5 },
    { args: [15, 0, 10], expected: 10 }
  ]
}

export const languages: ReadonlyArray<LanguageCase> = [
  {
    language: "typescript",
    workspace: {
      "package.json": JSON.stringify(
        { name: "clamp", private: true, type: "module", devDependencies: { typescript: "^6.0.3", vitest: "^5.1.1" } },
        null,
        2
      ),
      "tsconfig.json": JSON.stringify(
        {
          compilerOptions: {
            target: "ES2022",
            module: "ESNext",
            moduleResolution: "Bundler",
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: []
          },
          include: ["src", "test"]
        },
        null,
        2
      ),
      "src/index.ts": "export const version = 1\n"
    },
    sourcePath: "src/clamp.ts",
    testPath: "test/clamp.test.ts",
    source:
      "/** Limits x to the range from lo to hi. */\nexport function clamp(x: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, x))\n}\n",
    brokenSource:
      "/** Limits x to the range from lo to hi. */\nexport function clamp(x: number, lo: number, hi: number): number {\n  const limit: string = hi\n  return Math.min(limit, Math.max(lo, x))\n}\n",
    test: 'import { describe, expect, it } from "vitest"\nimport { clamp } from "../src/clamp"\n\ndescribe("clamp", () => {\n  it("keeps a value in range", () => {\n    expect(clamp(5, 0, 10)).toBe(5)\n  })\n  it("limits a value above the range", () => {\n    expect(clamp(15, 0, 10)).toBe(10)\n  })\n})\n',
    assertion: { right: "expect(clamp(15, 0, 10)).toBe(10)", wrong: "expect(clamp(15, 0, 10)).toBe(15)" },
    functions: [
      {
        ...clampDoc,
        params: [
          { name: "x", type: "number" },
          { name: "lo", type: "number" },
          { name: "hi", type: "number" }
        ],
        returns: "number",
        body: "return Math.min(hi, Math.max(lo, x))"
      }
    ]
  },
  {
    language: "javascript",
    workspace: {
      "package.json": JSON.stringify(
        { name: "clamp", private: true, type: "module", devDependencies: { vitest: "^5.1.1" } },
        null,
        2
      ),
      "src/index.js": "export const version = 1\n"
    },
    sourcePath: "src/clamp.js",
    testPath: "test/clamp.test.js",
    source:
      "/** Limits x to the range from lo to hi. */\nexport function clamp(x, lo, hi) {\n  return Math.min(hi, Math.max(lo, x))\n}\n",
    brokenSource:
      "/** Limits x to the range from lo to hi. */\nexport function clamp(x, lo, hi) {\n  return Math.min(hi, Math.max(lo, x)\n}\n",
    test: 'import { describe, expect, it } from "vitest"\nimport { clamp } from "../src/clamp.js"\n\ndescribe("clamp", () => {\n  it("keeps a value in range", () => {\n    expect(clamp(5, 0, 10)).toBe(5)\n  })\n  it("limits a value above the range", () => {\n    expect(clamp(15, 0, 10)).toBe(10)\n  })\n})\n',
    assertion: { right: "expect(clamp(15, 0, 10)).toBe(10)", wrong: "expect(clamp(15, 0, 10)).toBe(15)" },
    functions: [
      {
        ...clampDoc,
        params: [{ name: "x" }, { name: "lo" }, { name: "hi" }],
        body: "return Math.min(hi, Math.max(lo, x))"
      }
    ]
  },
  {
    language: "python",
    workspace: {
      "pyproject.toml": '[project]\nname = "clamp"\nversion = "0.1.0"\n',
      "app/__init__.py": ""
    },
    sourcePath: "app/clamp.py",
    testPath: "tests/test_clamp.py",
    source:
      '"""Limits of values."""\n\n\ndef clamp(x: int, lo: int, hi: int) -> int:\n    """Limits x to the range from lo to hi."""\n    return min(hi, max(lo, x))\n',
    brokenSource:
      '"""Limits of values."""\n\n\ndef clamp(x: int, lo: int, hi: int) -> int:\n    """Limits x to the range from lo to hi."""\n    return min(hi, max(lo, x)\n',
    test: '"""Tests of app.clamp."""\n\nfrom app.clamp import clamp\n\n\ndef test_keeps_a_value_in_range() -> None:\n    assert clamp(5, 0, 10) == 5\n\n\ndef test_limits_a_value_above_the_range() -> None:\n    assert clamp(15, 0, 10) == 10\n',
    assertion: { right: "assert clamp(15, 0, 10) == 10", wrong: "assert clamp(15, 0, 10) == 15" },
    functions: [
      {
        ...clampDoc,
        params: [
          { name: "x", type: "int" },
          { name: "lo", type: "int" },
          { name: "hi", type: "int" }
        ],
        returns: "int",
        body: "return min(hi, max(lo, x))"
      }
    ]
  },
  {
    language: "go",
    workspace: {
      "go.mod": "module example.com/clamp\n\ngo 1.19\n",
      "app/doc.go": "// Package app holds the helpers.\npackage app\n"
    },
    sourcePath: "app/clamp.go",
    testPath: "app/clamp_test.go",
    source:
      "package app\n\n// Clamp limits x to the range from lo to hi.\nfunc Clamp(x, lo, hi int) int {\n\tif x < lo {\n\t\treturn lo\n\t}\n\tif x > hi {\n\t\treturn hi\n\t}\n\treturn x\n}\n",
    brokenSource:
      "package app\n\n// Clamp limits x to the range from lo to hi.\nfunc Clamp(x, lo, hi int) int {\n\tvar limit string = hi\n\tif x < lo {\n\t\treturn lo\n\t}\n\tif x > hi {\n\t\treturn limit\n\t}\n\treturn x\n}\n",
    test: 'package app\n\nimport "testing"\n\nfunc TestKeepsAValueInRange(t *testing.T) {\n\tif got := Clamp(5, 0, 10); got != 5 {\n\t\tt.Errorf("Clamp(5, 0, 10) = %d, want 5", got)\n\t}\n}\n\nfunc TestLimitsAValueAboveTheRange(t *testing.T) {\n\tif got := Clamp(15, 0, 10); got != 10 {\n\t\tt.Errorf("Clamp(15, 0, 10) = %d, want 10", got)\n\t}\n}\n',
    assertion: {
      right: 'if got := Clamp(15, 0, 10); got != 10 {\n\t\tt.Errorf("Clamp(15, 0, 10) = %d, want 10", got)',
      wrong: 'if got := Clamp(15, 0, 10); got != 15 {\n\t\tt.Errorf("Clamp(15, 0, 10) = %d, want 15", got)'
    },
    functions: [
      {
        ...clampDoc,
        name: "Clamp",
        params: [
          { name: "x", type: "int" },
          { name: "lo", type: "int" },
          { name: "hi", type: "int" }
        ],
        returns: "int",
        body: "if x < lo {\n\treturn lo\n}\nif x > hi {\n\treturn hi\n}\nreturn x"
      }
    ]
  },
  {
    language: "rust",
    workspace: {
      "Cargo.toml": '[package]\nname = "clampkit"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
      "src/lib.rs": "//! Helpers.\n\npub mod clamp;\n"
    },
    twoFileTemplate: {
      id: "rust/module-and-tests",
      files: {
        "rust/implementation/module-and-tests/template.json": JSON.stringify({
          id: "rust/module-and-tests",
          name: "Rust module and its integration tests",
          description: "A module in src/ and its tests in tests/",
          language: "rust",
          category: "implementation",
          version: "1.0.0",
          parameters: [
            { name: "name", type: "string", required: true, description: "Module name" },
            { name: "functions", type: "array", required: true, description: "Functions" },
            { name: "withTests", type: "boolean", default: true, description: "Also write tests" }
          ]
        }),
        "rust/implementation/module-and-tests/files/src/{{ name | snake }}.rs.njk":
          "//! {{ name }}: {{ functions | length }} function(s).\n",
        "rust/implementation/module-and-tests/files/tests/{% if withTests %}{{ name | snake }}.rs{% endif %}.njk":
          "use clampkit::{{ name | snake }};\n"
      }
    },
    sourcePath: "src/clamp.rs",
    testPath: "tests/clamp.rs",
    source:
      "/// Limits x to the range from lo to hi.\npub fn clamp(x: i64, lo: i64, hi: i64) -> i64 {\n    x.max(lo).min(hi)\n}\n",
    brokenSource:
      "/// Limits x to the range from lo to hi.\npub fn clamp(x: i64, lo: i64, hi: i64) -> i64 {\n    let limit: &str = hi;\n    x.max(lo).min(limit)\n}\n",
    test: "use clampkit::clamp::clamp;\n\n#[test]\nfn keeps_a_value_in_range() {\n    assert_eq!(clamp(5, 0, 10), 5);\n}\n\n#[test]\nfn limits_a_value_above_the_range() {\n    assert_eq!(clamp(15, 0, 10), 10);\n}\n",
    assertion: { right: "assert_eq!(clamp(15, 0, 10), 10);", wrong: "assert_eq!(clamp(15, 0, 10), 15);" },
    functions: [
      {
        ...clampDoc,
        params: [
          { name: "x", type: "i64" },
          { name: "lo", type: "i64" },
          { name: "hi", type: "i64" }
        ],
        returns: "i64",
        body: "x.max(lo).min(hi)"
      }
    ]
  },
  {
    language: "java",
    workspace: {
      "src/main/java/com/example/Version.java":
        "package com.example;\n\npublic final class Version {\n    public static final int VALUE = 1;\n\n    private Version() {}\n}\n"
    },
    sourcePath: "src/main/java/com/example/Clamp.java",
    testPath: "src/test/java/com/example/ClampTest.java",
    source:
      "package com.example;\n\n/** Limits of values. */\npublic final class Clamp {\n    private Clamp() {}\n\n    /** Limits x to the range from lo to hi. */\n    public static int clamp(int x, int lo, int hi) {\n        return Math.min(hi, Math.max(lo, x));\n    }\n}\n",
    brokenSource:
      "package com.example;\n\n/** Limits of values. */\npublic final class Clamp {\n    private Clamp() {}\n\n    /** Limits x to the range from lo to hi. */\n    public static int clamp(int x, int lo, int hi) {\n        String limit = hi;\n        return Math.min(limit, Math.max(lo, x));\n    }\n}\n",
    test: "package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass ClampTest {\n    @Test\n    void keepsAValueInRange() {\n        assertEquals(5, Clamp.clamp(5, 0, 10));\n    }\n\n    @Test\n    void limitsAValueAboveTheRange() {\n        assertEquals(10, Clamp.clamp(15, 0, 10));\n    }\n}\n",
    assertion: {
      right: "assertEquals(10, Clamp.clamp(15, 0, 10));",
      wrong: "assertEquals(15, Clamp.clamp(15, 0, 10));"
    },
    functions: [
      {
        ...clampDoc,
        params: [
          { name: "x", type: "int" },
          { name: "lo", type: "int" },
          { name: "hi", type: "int" }
        ],
        returns: "int",
        body: "return Math.min(hi, Math.max(lo, x));"
      }
    ]
  }
]

/** The `generate` arguments of a run of `requestFile` in `workspace` against the scripted model server at `url`. */
export const scriptedGenerateArgs = (requestFile: string, workspace: string, url: string): ReadonlyArray<string> => [
  "generate",
  "--request",
  requestFile,
  "--workspace",
  workspace,
  "--provider",
  "openai-compatible",
  "--model",
  "scripted",
  "--base-url",
  url,
  "--json"
]
