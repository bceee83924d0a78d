/**
 * Security and performance rules for Rust, as tree-sitter queries. Paths are matched by text
 * (`Md5::new`, `std::mem::transmute`) because `use` declarations decide how much of a path code
 * spells out; the patterns accept any prefix.
 */
import { performance, q, type Rule, type RuleSet, re, security } from "../../quality/tree-sitter/Rule.ts"
import { rustFlow, rustFlowRules } from "./FlowRules.ts"

/** An argument that is not a literal. */
const dynamic = q`[(identifier) (field_expression) (reference_expression) (call_expression) (macro_invocation) (index_expression)]`
const secretName = q`"([Pp]ass(wd|word)?|PASS(WD|WORD)?|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Aa]pi_?[Kk]ey|API_?KEY|[Pp]rivate_?[Kk]ey|PRIVATE_?KEY)$"`
const loopBody = q`[
  (for_expression body: (block) @scope)
  (while_expression body: (block) @scope)
  (loop_expression body: (block) @scope)
]`
const asyncBody = q`((function_item (function_modifiers) @modifiers body: (block) @scope) (#match? @modifiers "async"))
  (async_block (block) @scope)`

/**
 * A name that holds a secret compared as text: a token, a secret, a password, a signature, a
 * digest, an HMAC, an API key (`state.api_key`, `expected_signature.as_bytes()`). Names that only
 * start so (`token_type`) are not.
 */
const secretValue = re(
  /(^|[^\w])([a-z]\w*_)?(token|secret|password|passwd|signature|digest|hmac|api_?key)(\.(as_bytes|as_str|as_ref|trim)\(\))*$|(^|[^\w])([A-Z0-9]+_)*(TOKEN|SECRET|PASSWORD|SIGNATURE|DIGEST|HMAC|API_KEY)$/
)
/** A side of a comparison that reveals nothing: None, a boolean, a literal, a length. */
const notAValue = re(/^(None|true|false|-?\d[\s\S]*|b?["'][\s\S]*|[\s\S]*\.len\(\))$/)

const securityRules: ReadonlyArray<Rule> = [
  security({
    id: "rust/timing-attack",
    when: /(token|secret|passw|signature|digest|hmac|api_?key)\w*(\.\w+\(\))*\s*[!=]=|[!=]=\s*[\w.&*]*(token|secret|passw|signature|digest|hmac|api_?key)/i,
    message: "a secret is compared with == or !=, which stops at the first differing byte",
    severity: "warning",
    cwe: "CWE-208",
    // Medium as in JavaScript: the secret is guessed from a name, and a lexer comparing
    // `token == eof` looks the same; it is reported without failing the default gate.
    level: "medium",
    fix: "compare secrets and signatures with constant_time_eq or subtle's ct_eq (Mac::verify_slice for MACs)",
    // Both sides are values: a comparison with None, a literal or a length reveals no secret; an
    // impl's own eq (PartialEq of a token type) checks no secret.
    inside: q`(source_file) @scope
      ((function_item name: (identifier) @name body: (block) @scope) (#not-match? @name "^(eq|ne|cmp|partial_cmp|hash)$"))
      (closure_expression body: (_) @scope)
      (async_block (block) @scope)`,
    query: q`((binary_expression left: (_) @a operator: ["==" "!="] right: (_) @b) @match
        (#match? @a ${secretValue}) (#not-match? @b ${notAValue}))
      ((binary_expression left: (_) @a operator: ["==" "!="] right: (_) @b) @match
        (#match? @b ${secretValue}) (#not-match? @a ${notAValue}))`
  }),
  security({
    id: "rust/command-non-literal",
    message: "the program that Command runs is chosen at run time",
    severity: "warning",
    cwe: "CWE-78",
    level: "high",
    fix: "run a fixed program, or check the name against an allow-list",
    query: q`(call_expression function: (scoped_identifier path: (identifier) @type name: (identifier) @new)
      arguments: (arguments . ${dynamic})
      (#eq? @type "Command") (#eq? @new "new")) @match`
  }),
  security({
    id: "rust/sql-format",
    message: "SQL built with format! is passed to a query",
    severity: "error",
    cwe: "CWE-89",
    level: "critical",
    fix: 'use bind parameters: query("... WHERE id = $1").bind(id)',
    query: q`(call_expression
      function: [(field_expression field: (field_identifier) @method) (scoped_identifier name: (identifier) @method)]
      arguments: (arguments . [(reference_expression value: (macro_invocation macro: (identifier) @format)) (macro_invocation macro: (identifier) @format)] @match)
      (#match? @method "^(query|query_as|query_scalar|execute|query_one|query_opt|prepare|batch_execute|sql_query)$") (#eq? @format "format"))`
  }),
  security({
    id: "rust/tls-accept-invalid",
    message: "TLS certificate or hostname verification is disabled",
    severity: "error",
    cwe: "CWE-295",
    level: "high",
    fix: "remove danger_accept_invalid_*; add the private CA with add_root_certificate",
    query: q`(call_expression function: (field_expression field: (field_identifier) @method) arguments: (arguments (boolean_literal) @value)
      (#match? @method "^danger_accept_invalid_(certs|hostnames)$") (#eq? @value "true")) @match`
  }),
  security({
    id: "rust/weak-hash",
    message: "MD5 and SHA-1 are broken for security purposes",
    severity: "error",
    cwe: "CWE-328",
    level: "medium",
    fix: "use sha2::Sha256",
    query: q`((scoped_identifier) @match (#match? @match "(^|::)((Md5|Md4|Sha1)::(new|digest)|md5::compute)$"))`
  }),
  security({
    id: "rust/weak-cipher",
    message: "DES, 3DES, RC4 and Blowfish are weak ciphers",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: "use aes_gcm::Aes256Gcm or chacha20poly1305",
    query: q`((scoped_identifier) @match (#match? @match "(^|::)(Des|TdesEde2|TdesEde3|Rc4|Blowfish)::(new|new_from_slice)$"))`
  }),
  security({
    id: "rust/ecb-mode",
    message: "ECB mode leaks patterns of the plaintext",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: "use an authenticated mode (aes_gcm)",
    query: q`([(scoped_identifier) (scoped_type_identifier)] @match (#match? @match "(^|::)ecb::(Encryptor|Decryptor)"))`
  }),
  security({
    id: "rust/insecure-random",
    message: "a fast, predictable generator makes a secret",
    severity: "error",
    cwe: "CWE-338",
    level: "high",
    fix: "use rand::rngs::OsRng (or rand::thread_rng, which is cryptographically secure)",
    query: q`(let_declaration pattern: (identifier) @name value: (_) @value
      (#match? @name "([Tt]oken|[Ss]ecret|[Pp]assword|[Nn]once|[Ss]alt|[Oo]tp|[Kk]ey)")
      (#match? @value "(SmallRng|seed_from_u64|fastrand::|oorandom|Pcg32|Pcg64)")) @match`
  }),
  security({
    id: "rust/hardcoded-credential",
    message: "a credential is hard-coded in the source",
    severity: "error",
    cwe: "CWE-798",
    level: "high",
    fix: "read it from the environment (std::env::var) or a secret store",
    query: q`([
      (let_declaration pattern: (identifier) @name value: (string_literal (string_content)) @match)
      (const_item name: (identifier) @name value: (string_literal (string_content)) @match)
      (static_item name: (identifier) @name value: (string_literal (string_content)) @match)
      (field_initializer field: (field_identifier) @name value: (string_literal (string_content)) @match)
    ] (#match? @name ${secretName}))`
  }),
  security({
    id: "rust/unsafe-block",
    message: "an unsafe block: the compiler no longer checks memory safety here",
    severity: "warning",
    cwe: "CWE-119",
    level: "medium",
    fix: "use a safe API, or keep the block minimal with a // SAFETY: comment that proves its invariants",
    query: q`(unsafe_block) @match`
  }),
  security({
    id: "rust/unsafe-fn",
    message: "an unsafe fn puts memory safety on every caller",
    severity: "info",
    cwe: "CWE-119",
    level: "low",
    fix: "expose a safe function that checks the invariants, and document them under # Safety",
    query: q`((function_item (function_modifiers) @modifiers) @match (#match? @modifiers "unsafe"))`
  }),
  security({
    id: "rust/transmute",
    message: "transmute reinterprets memory without any check",
    severity: "error",
    cwe: "CWE-843",
    level: "high",
    fix: "use a safe conversion (from_bits, to_ne_bytes, bytemuck, TryFrom)",
    query: q`((call_expression function: [(identifier) (scoped_identifier) (generic_function)] @function) @match
      (#match? @function "(^|::)transmute(_copy)?(::<.*>)?$"))`
  }),
  security({
    id: "rust/unchecked-memory",
    message: "an unchecked memory operation can read or write out of bounds",
    severity: "warning",
    cwe: "CWE-119",
    level: "medium",
    fix: "use the checked version (from_utf8, get, slices) unless a profile proves the check costs",
    query: q`((call_expression function: [(scoped_identifier) (field_expression)] @function) @match
      (#match? @function "(::|\\.)(from_raw_parts(_mut)?|from_utf8_unchecked|get_unchecked(_mut)?|set_len)$"))`
  }),
  security({
    id: "rust/regex-nested-quantifier",
    message: "a regular expression with nested quantifiers is exponential on backtracking engines (fancy_regex)",
    severity: "info",
    cwe: "CWE-1333",
    level: "low",
    fix: "remove the nested quantifier, e.g. (a+)+ → a+",
    query: q`(call_expression function: (scoped_identifier name: (identifier) @new) arguments: (arguments . [(string_literal) (raw_string_literal)] @pattern)
      (#eq? @new "new") (#match? @pattern "\\([^()]*[+*][^()]*\\)[+*{]")) @match`
  }),
  security({
    id: "rust/cors-credentials-any-origin",
    when: /\b(very_permissive|permissive|allow_credentials|supports_credentials)\b/,
    message: "CORS echoes any origin with credentials: every site can read the user's responses",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: "list the allowed origins (AllowOrigin::list, Cors::default().allowed_origin(...)) when credentials are allowed",
    // tower-http's very_permissive and actix-cors's permissive mirror the Origin with credentials;
    // tower-http refuses `Any` with credentials at run time, so only the mirrored origin counts.
    query: q`((call_expression function: (scoped_identifier) @fn) @match
        (#match? @fn "(^|::)(CorsLayer::very_permissive|Cors::permissive)$"))
      ((call_expression function: (field_expression field: (field_identifier) @method)) @match
        (#match? @method "^(allow_credentials|supports_credentials|allow_origin|allow_any_origin)$")
        (#match? @match "(mirror_request\\(\\)|allow_any_origin\\(\\))[\\s\\S]*(allow_credentials\\(\\s*true\\s*\\)|supports_credentials\\(\\))|(allow_credentials\\(\\s*true\\s*\\)|supports_credentials\\(\\))[\\s\\S]*(mirror_request\\(\\)|allow_any_origin\\(\\))"))`
  }),
  security({
    id: "rust/bind-all-interfaces",
    message: "the server listens on every network interface",
    severity: "info",
    cwe: "CWE-605",
    level: "low",
    fix: "bind to 127.0.0.1 unless the service must be reachable from outside",
    query: q`((string_literal) @match (#match? @match "^\"0\\.0\\.0\\.0:"))`
  }),
  security({
    id: "rust/file-permissions",
    message: "a file or directory is made writable by everyone",
    severity: "error",
    cwe: "CWE-732",
    level: "high",
    fix: "use 0o600 for files and 0o750 for directories",
    query: q`(call_expression function: [(field_expression field: (field_identifier) @method) (scoped_identifier name: (identifier) @method)]
      arguments: (arguments (integer_literal) @match)
      (#match? @method "^(mode|set_mode|from_mode)$") (#match? @match "^0o[0-7]?[0-7][0-7][2367]$"))`
  })
]

const performanceRules: ReadonlyArray<Rule> = [
  performance({
    id: "rust/regex-in-loop",
    message: "a regular expression is compiled on every iteration",
    fix: "compile it once (std::sync::LazyLock or once_cell::Lazy)",
    query: q`((scoped_identifier) @match (#match? @match "(^|::)Regex::new$"))`,
    inside: loopBody
  }),
  performance({
    id: "rust/format-in-loop",
    message: "format! allocates a String per iteration only to append it",
    fix: "write into the buffer with write!(buffer, ...) (std::fmt::Write)",
    query: q`((call_expression function: (field_expression field: (field_identifier) @push) arguments: (arguments (reference_expression value: (macro_invocation macro: (identifier) @format)))) @match
        (#eq? @push "push_str") (#eq? @format "format"))
      ((compound_assignment_expr operator: "+=" right: (reference_expression value: (macro_invocation macro: (identifier) @format))) @match
        (#eq? @format "format"))`,
    inside: loopBody
  }),
  performance({
    id: "rust/query-in-loop",
    message: "a query per iteration (N+1 queries)",
    fix: "fetch all rows in one query (WHERE id = ANY($1), a join)",
    query: q`(call_expression function: [(field_expression field: (field_identifier) @method) (scoped_identifier name: (identifier) @method)]
      (#match? @method "^(query|query_as|query_one|query_opt|execute|fetch_one|fetch_all|fetch_optional)$")) @match`,
    inside: loopBody
  }),
  performance({
    id: "rust/nested-loop-same-collection",
    message: "a loop over a collection inside a loop over the same collection is quadratic",
    fix: "index the collection once in a HashMap and look items up",
    query: q`(for_expression value: (_) @outer
      body: (block (expression_statement (for_expression value: (_) @inner) @match))
      (#eq? @outer @inner))`
  }),
  performance({
    id: "rust/collect-then-iterate",
    message: "collecting into a Vec only to iterate it again allocates for nothing",
    fix: "keep the iterator chain going without collect()",
    query: q`((call_expression) @match (#match? @match "\\.collect(::<[^()]*>)?\\(\\)\\s*\\.(into_iter|iter|len)\\(\\)$"))`
  }),
  performance({
    id: "rust/blocking-in-async",
    message: "a blocking call inside async code stalls the executor's thread",
    fix: "use the async equivalent (tokio::fs, tokio::time::sleep) or spawn_blocking",
    query: q`((call_expression function: (scoped_identifier) @function) @match
      (#match? @function "^(std::)?(fs::(read|read_to_string|write|read_dir|File::open|File::create)|thread::sleep)$"))`,
    inside: asyncBody
  }),
  performance({
    id: "rust/await-in-loop",
    message: "await inside a loop runs the awaited futures one after another",
    fix: "run them together with futures::future::join_all (or a JoinSet)",
    query: q`(await_expression) @match`,
    inside: loopBody
  })
]

/** The Rust rules, for the `rust` grammar. */
export const rust: RuleSet = {
  language: "rust",
  grammars: ["rust"],
  functionTypes: ["function_item", "closure_expression", "async_block"],
  rules: [...securityRules, ...rustFlowRules, ...performanceRules],
  flow: rustFlow
}
