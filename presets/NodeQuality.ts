/**
 * NodeQuality: the default language packs and the quality checker over them — all that
 * `validate`, `format` and their worker threads load, without the rest of the pipeline (git,
 * templates, AI providers). Adding a language to the defaults is one line here.
 */
import { Layer } from "effect"
import { LanguageRegistry } from "../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../core/services/QualityChecker.ts"
import { C } from "../plugins/languages/c/C.ts"
import { Cpp } from "../plugins/languages/cpp/Cpp.ts"
import { CSharp } from "../plugins/languages/csharp/CSharp.ts"
import { Css } from "../plugins/languages/css/Css.ts"
import { Go } from "../plugins/languages/go/Go.ts"
import { Java } from "../plugins/languages/java/Java.ts"
import { JavaScript } from "../plugins/languages/javascript/JavaScript.ts"
import { Json } from "../plugins/languages/json/Json.ts"
import { Markdown } from "../plugins/languages/markdown/Markdown.ts"
import { Php } from "../plugins/languages/php/Php.ts"
import { Python } from "../plugins/languages/python/Python.ts"
import { Ruby } from "../plugins/languages/ruby/Ruby.ts"
import { Rust } from "../plugins/languages/rust/Rust.ts"
import { TypeScript } from "../plugins/languages/typescript/TypeScript.ts"
import { Yaml } from "../plugins/languages/yaml/Yaml.ts"
import { ControlCharacters } from "../plugins/quality/control-chars/ControlCharacters.ts"
import { Secretlint } from "../plugins/quality/secretlint/Secretlint.ts"

/** Language packs registered by default: the six languages, the formats of every change, and C, C++, C#, PHP and Ruby. */
export const languagesLayer: Layer.Layer<LanguageRegistry> = Layer.mergeAll(
  TypeScript.layer,
  JavaScript.layer,
  Python.layer,
  Go.layer,
  Rust.layer,
  Java.layer,
  Json.layer,
  Yaml.layer,
  Markdown.layer,
  Css.layer,
  C.layer,
  Cpp.layer,
  CSharp.layer,
  Php.layer,
  Ruby.layer,
  LanguageRegistry.registerShared(Secretlint),
  LanguageRegistry.registerShared(ControlCharacters)
).pipe(Layer.provideMerge(LanguageRegistry.layer))

/** Quality checks alone: what `validate` and `format` need. */
export const qualityLayer: Layer.Layer<QualityChecker | LanguageRegistry> = QualityChecker.layer.pipe(
  Layer.provideMerge(languagesLayer)
)
