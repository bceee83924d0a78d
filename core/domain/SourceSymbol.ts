/**
 * The exported symbols of a source file, as a language pack reads them for the test and
 * documentation generators: names, parameters, result types, where they start and whether they
 * already have a doc comment.
 */

export interface SymbolParameter {
  readonly name: string
  /** The declared type as written, when the language has one there. */
  readonly type: string | undefined
  /** Has a default value (it does not count in a JavaScript function's `length`). */
  readonly hasDefault: boolean
  /** A rest or variadic parameter (`...xs`, `*args`, `xs ...int`). */
  readonly rest: boolean
}

export interface SourceSymbol {
  readonly name: string
  readonly kind: "function" | "class" | "method"
  /** The class, struct or impl type of a method. */
  readonly owner: string | undefined
  /** Parameters without the receiver (`self`, `this`, a Go receiver). */
  readonly params: ReadonlyArray<SymbolParameter>
  /** The declared result type as written; undefined when none is declared. */
  readonly returns: string | undefined
  /** Declares type parameters (generics), which some checks cannot name. */
  readonly generic: boolean
  /**
   * How a method receives its instance: Python `self`/`cls`/none (static), Rust `&self`/`&mut self`/`self`,
   * Go `*T`/`T`; undefined for functions and classes.
   */
  readonly receiver: string | undefined
  readonly isStatic: boolean
  /** 0-based line where a doc comment for the symbol goes (above decorators and attributes). */
  readonly line: number
  /** 0-based last line of the signature (where a Python docstring goes after). */
  readonly signatureEnd: number
  /** The indentation of the declaration. */
  readonly indent: string
  readonly documented: boolean
}

/** A symbol with defaults for the fields most declarations share. */
export const sourceSymbol = (
  fields: Pick<SourceSymbol, "name" | "kind" | "line" | "indent" | "documented"> & Partial<SourceSymbol>
): SourceSymbol => ({
  owner: undefined,
  params: [],
  returns: undefined,
  generic: false,
  receiver: undefined,
  isStatic: false,
  signatureEnd: fields.line,
  ...fields
})
