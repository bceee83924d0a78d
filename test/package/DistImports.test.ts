import { describe, expect, it } from "vitest"
import { loadedSpecifiers, packageOf } from "./support/DistImports.ts"

describe("loadedSpecifiers", () => {
  it("finds every way a built file loads a module, and not the ones comments and strings only mention", () => {
    const source = [
      'import { Effect } from "effect"',
      'import "side-effect"',
      'export { x } from "./local.js"',
      'export * from "@scope/pkg/deep/path"',
      'const lazy = () => import("lazy-pkg")',
      'const cjs = require("cjs-pkg")',
      'const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")',
      // A template literal whose head names the package.
      ["const wasm = require.resolve(`@vscode/tree-sitter-wasm/wasm/tree-sitter-", "$", "{name}.wasm`)"].join(""),
      '// import { no } from "commented-out"',
      'const text = "require(\\"in-a-string\\")"',
      'const dir = path.resolve("not-a-package")'
    ].join("\n")
    expect(loadedSpecifiers(source, "x.js")).toEqual([
      "effect",
      "side-effect",
      "./local.js",
      "@scope/pkg/deep/path",
      "lazy-pkg",
      "cjs-pkg",
      "typescript/bin/tsc",
      "@vscode/tree-sitter-wasm/wasm/tree-sitter-"
    ])
  })
})

describe("packageOf", () => {
  it("names the package of a bare specifier and nothing for relative or builtin ones", () => {
    expect(packageOf("@scope/pkg/deep/path")).toBe("@scope/pkg")
    expect(packageOf("typescript/bin/tsc")).toBe("typescript")
    expect(packageOf("./local.js")).toBeUndefined()
    expect(packageOf("node:fs")).toBeUndefined()
    expect(packageOf("child_process")).toBeUndefined()
  })
})
