import ts from "typescript"
import { describe, expect, it } from "vitest"
import type { SourceSymbol } from "../../../core/domain/SourceSymbol.ts"
import { goSymbols } from "../../../plugins/languages/go/Symbols.ts"
import { typeScriptSymbols } from "../../../plugins/languages/javascript/Symbols.ts"
import { pythonSymbols } from "../../../plugins/languages/python/Symbols.ts"
import { crateName, rustSymbols } from "../../../plugins/languages/rust/Symbols.ts"

const summary = (symbols: ReadonlyArray<SourceSymbol>) =>
  symbols.map((s) => ({
    name: s.owner === undefined ? s.name : `${s.owner}.${s.name}`,
    params: s.params.map(
      (p) => `${p.rest ? "..." : ""}${p.name}${p.type === undefined ? "" : `: ${p.type}`}${p.hasDefault ? " =" : ""}`
    ),
    returns: s.returns,
    line: s.line,
    documented: s.documented
  }))

describe("typeScriptSymbols", () => {
  it("finds exported functions, arrow functions, classes, public methods and export lists", () => {
    const code = [
      "/** Doc. */",
      "export function a(x: number, y = 2, ...rest: string[]): number { return x }",
      "export const b = async (s: string): Promise<string> => s",
      "function c(this: Window, n: number) { return n }",
      "export { c, c as d }",
      "export class K {",
      "  constructor(private readonly n: number) {}",
      "  get(i: number): number { return i }",
      "  private hidden() {}",
      "  #secret() {}",
      "  static of(n: number): K { return new K(n) }",
      "}",
      "export type T = string",
      "export default function skipped() {}",
      "const notExported = () => 1"
    ].join("\n")
    expect(summary(typeScriptSymbols(ts, code, "src/a.ts"))).toEqual([
      { name: "a", params: ["x: number", "y =", "...rest: string[]"], returns: "number", line: 1, documented: true },
      { name: "b", params: ["s: string"], returns: "Promise<string>", line: 2, documented: false },
      { name: "d", params: ["n: number"], returns: undefined, line: 3, documented: false },
      { name: "K", params: ["n: number"], returns: undefined, line: 5, documented: false },
      { name: "K.get", params: ["i: number"], returns: "number", line: 7, documented: false },
      { name: "K.of", params: ["n: number"], returns: "K", line: 10, documented: false }
    ])
  })
})

describe("pythonSymbols", () => {
  it("reads top-level defs and classes with multi-line signatures, decorators and docstrings", () => {
    const code = [
      "import os",
      "",
      "def add(a: int, b: int = 1, *args: int, key: str = 'x,y', **kw) -> int:",
      '    """Adds."""',
      "    return a + b",
      "",
      "async def fetch(",
      "    url: str,",
      "    timeout: float = 1.0,",
      ") -> dict[str, int]:",
      "    return {}",
      "",
      "@dataclass",
      "class Point(Base):",
      "    x: int = 0",
      "    def __init__(self, x: int) -> None:",
      "        self.x = x",
      "    @classmethod",
      "    def origin(cls) -> 'Point':",
      "        return cls(0)",
      "    def _hidden(self): pass",
      "",
      "def _private(): pass",
      "s = '''",
      "def not_code(): pass",
      "'''"
    ].join("\n")
    expect(summary(pythonSymbols(code))).toEqual([
      {
        name: "add",
        params: ["a: int", "b: int =", "...args: int", "key: str =", "...kw"],
        returns: "int",
        line: 2,
        documented: true
      },
      {
        name: "fetch",
        params: ["url: str", "timeout: float ="],
        returns: "dict[str, int]",
        line: 6,
        documented: false
      },
      { name: "Point", params: ["x: int"], returns: undefined, line: 12, documented: false },
      { name: "Point.origin", params: [], returns: "'Point'", line: 17, documented: false }
    ])
    expect(pythonSymbols(code).find((s) => s.name === "fetch")?.signatureEnd).toBe(9)
  })

  it("follows __all__ when the module declares it", () => {
    expect(pythonSymbols('__all__ = ["b"]\n\ndef a(): pass\n\ndef b(): pass\n').map((s) => s.name)).toEqual(["b"])
  })
})

describe("goSymbols", () => {
  it("reads exported funcs, methods and structs with grouped parameters and results", () => {
    const code = [
      "package calc",
      "",
      "// Add adds.",
      "func Add(a, b int, rest ...int) int { return a + b }",
      "func Split(s string) (parts []string, err error) {",
      "\treturn nil, nil",
      "}",
      "func Map[T any](xs []T, f func(T) T) []T { return xs }",
      "func lower() {}",
      "type Tally struct{ n int }",
      "func (t *Tally) Add(n int) map[string]interface{} { return nil }"
    ].join("\n")
    expect(summary(goSymbols(code))).toEqual([
      { name: "Add", params: ["a: int", "b: int", "...rest: int"], returns: "int", line: 3, documented: true },
      { name: "Split", params: ["s: string"], returns: "([]string, error)", line: 4, documented: false },
      { name: "Map", params: ["xs: []T", "f: func(T) T"], returns: "[]T", line: 7, documented: false },
      { name: "Tally", params: [], returns: undefined, line: 9, documented: false },
      { name: "Tally.Add", params: ["n: int"], returns: "map[string]interface{}", line: 10, documented: false }
    ])
    expect(goSymbols(code).find((s) => s.name === "Map")?.generic).toBe(true)
  })
})

describe("rustSymbols", () => {
  it("reads pub fns, structs and inherent methods; skips pub(crate), nested and trait impl items", () => {
    const code = [
      "/// Adds.",
      "#[inline]",
      "pub fn add(a: i64, mut b: i64) -> i64 { a + b }",
      "pub fn first<'a>(s: &'a str) -> &'a str { &s[..1] }",
      "pub fn big<T: Into<u64>>(x: T) -> u64 { x.into() }",
      "pub(crate) fn internal() {}",
      "pub struct Tally { n: i64 }",
      "impl Tally {",
      "    pub fn new() -> Self { Tally { n: 0 } }",
      "    pub fn add(&mut self, n: i64) -> i64 { self.n += n; self.n }",
      "    fn private(&self) {}",
      "}",
      "impl Default for Tally { fn default() -> Self { Self::new() } }",
      "mod inner { pub fn hidden() {} }"
    ].join("\n")
    const symbols = rustSymbols(code)
    expect(summary(symbols)).toEqual([
      { name: "add", params: ["a: i64", "b: i64"], returns: "i64", line: 1, documented: true },
      { name: "first", params: ["s: &str"], returns: "&str", line: 3, documented: false },
      { name: "big", params: ["x: T"], returns: "u64", line: 4, documented: false },
      { name: "Tally", params: [], returns: undefined, line: 6, documented: false },
      { name: "Tally.new", params: [], returns: "Tally", line: 8, documented: false },
      { name: "Tally.add", params: ["n: i64"], returns: "i64", line: 9, documented: false }
    ])
    expect(symbols.map((s) => [s.name, s.generic, s.receiver])).toEqual([
      ["add", false, undefined],
      ["first", false, undefined],
      ["big", true, undefined],
      ["Tally", false, undefined],
      ["new", false, undefined],
      ["add", false, "&mut self"]
    ])
  })

  it("names the crate from [lib] or [package]", () => {
    expect(crateName('[package]\nname = "my-crate"\n')).toBe("my_crate")
    expect(crateName('[package]\nname = "a"\n\n[lib]\nname = "b"\n')).toBe("b")
  })
})
