/**
 * Security and performance rules for Go, as tree-sitter queries. Package names are matched as
 * written (`exec.Command`, `md5.Sum`): an aliased import escapes them, an idiomatic one does not.
 */
import { performance, q, type Rule, type RuleSet, re, security } from "../../quality/tree-sitter/Rule.ts"
import { goFlow, goFlowRules } from "./FlowRules.ts"

/** An expression that is not a literal: a name, a field, a concatenation, a call. */
const dynamic = q`[(identifier) (selector_expression) (binary_expression) (call_expression) (index_expression)]`
const stringLiteral = q`[(interpreted_string_literal) (raw_string_literal)]`
const secretName = q`"([Pp]ass(wd|word)?|PASS(WD|WORD)?|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Aa]pi[Kk]ey|API_?KEY|[Pp]rivate[Kk]ey)$"`
const requestInput = q`"(\\br\\.(URL|Form|PostForm|FormValue|PostFormValue|Header|Body)|\\breq\\.(URL|Form|FormValue)|mux\\.Vars|\\.Param\\(|\\.Query\\()"`
const loopBody = q`(for_statement body: (block) @scope)`
const sqlMethod = q`"^(Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|Prepare|PrepareContext|Raw|Select|Get)$"`

/**
 * A name that holds a secret compared as text: a token, a secret, a password, a signature, a
 * digest, an HMAC, an API key (`apiKey`, `cfg.WebhookSecret`, `string(token)`). Names that only
 * start so (`tokenType`) and lengths are not.
 */
const secretValue = re(
  /^(?!len\()([\s\S]*[^\w])?(([A-Za-z]\w*)?(Token|Secret|Password|Passwd|Signature|Digest|Hmac|HMAC|APIKey|ApiKey)|token|secret|password|passwd|signature|digest|hmac|apiKey)\)?$/
)
/** A side of a comparison that reveals nothing: nil, a boolean, a literal, a length. */
const notAValue = re(/^(nil|true|false|-?\d[\s\S]*|["'`][\s\S]*|len\([\s\S]*)$/)

const securityRules: ReadonlyArray<Rule> = [
  security({
    id: "go/timing-attack",
    when: /(token|secret|passw|signature|digest|hmac|api_?key)\w*\)?\s*[!=]=|[!=]=\s*[\w.(]*(token|secret|passw|signature|digest|hmac|api_?key)/i,
    message: "a secret is compared with == or !=, which stops at the first differing byte",
    severity: "warning",
    cwe: "CWE-208",
    // Medium as in JavaScript: the secret is guessed from a name, and a lexer comparing
    // `token == eof` looks the same; it is reported without failing the default gate.
    level: "medium",
    fix: "compare secrets and signatures with subtle.ConstantTimeCompare (hmac.Equal for MACs)",
    // Both sides are values: a comparison with nil, a literal or a length reveals no secret.
    query: q`((binary_expression left: (_) @a operator: ["==" "!="] right: (_) @b) @match
        (#match? @a ${secretValue}) (#not-match? @b ${notAValue}))
      ((binary_expression left: (_) @a operator: ["==" "!="] right: (_) @b) @match
        (#match? @b ${secretValue}) (#not-match? @a ${notAValue}))`
  }),
  security({
    id: "go/exec-shell",
    message: "a shell runs a command built at run time",
    severity: "error",
    cwe: "CWE-78",
    level: "critical",
    fix: "run the program directly: exec.Command(name, args...) without sh -c",
    query: q`(call_expression
      function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      arguments: (argument_list . (interpreted_string_literal) @shell . (interpreted_string_literal) @flag . ${dynamic})
      (#eq? @pkg "exec") (#match? @fn "^Command(Context)?$") (#match? @shell "^\"(/bin/)?(ba|z)?sh\"$") (#eq? @flag "\"-c\"")) @match`
  }),
  security({
    id: "go/exec-non-literal",
    message: "the program that exec runs is chosen at run time",
    severity: "warning",
    cwe: "CWE-78",
    level: "high",
    fix: "run a fixed program, or check the name against an allow-list",
    query: q`(call_expression
      function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      arguments: (argument_list . [(identifier) (selector_expression) (binary_expression) (index_expression)])
      (#eq? @pkg "exec") (#eq? @fn "Command")) @match`
  }),
  security({
    id: "go/weak-hash",
    message: "MD5 and SHA-1 are broken for security purposes",
    severity: "error",
    cwe: "CWE-328",
    level: "medium",
    fix: "use crypto/sha256 (or sha512)",
    query: q`(call_expression function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      (#match? @pkg "^(md5|sha1)$") (#match? @fn "^(New|Sum)$")) @match`
  }),
  security({
    id: "go/weak-cipher",
    message: "DES, 3DES and RC4 are weak ciphers",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: "use AES-GCM (crypto/cipher.NewGCM) or chacha20poly1305",
    query: q`(call_expression function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      (#match? @pkg "^(des|rc4)$") (#match? @fn "^(NewCipher|NewTripleDESCipher)$")) @match`
  }),
  security({
    id: "go/insecure-random",
    message: "math/rand is predictable; it must not make secrets",
    severity: "error",
    cwe: "CWE-338",
    level: "high",
    fix: "use crypto/rand (rand.Read, rand.Text)",
    query: q`([
      (short_var_declaration left: (expression_list (identifier) @name) right: (expression_list) @value)
      (assignment_statement left: (expression_list (identifier) @name) right: (expression_list) @value)
      (var_spec name: (identifier) @name value: (expression_list) @value)
    ] @match
      (#match? @name "([Tt]oken|[Ss]ecret|[Pp]assword|[Nn]once|[Ss]alt|[Oo]tp|[Kk]ey)")
      (#match? @value "\\brand\\.(Intn|Int31|Int31n|Int63|Int63n|Uint32|Uint64|Float64|Perm|IntN|N)\\("))`
  }),
  security({
    id: "go/tls-insecure-skip-verify",
    message: "TLS certificate verification is disabled",
    severity: "error",
    cwe: "CWE-295",
    level: "high",
    fix: "remove InsecureSkipVerify (or set RootCAs to trust a private CA)",
    query: q`(keyed_element key: (literal_element (identifier) @key) value: (literal_element (true))
      (#eq? @key "InsecureSkipVerify")) @match`
  }),
  security({
    id: "go/tls-weak-version",
    message: "TLS versions below 1.2 are broken",
    severity: "error",
    cwe: "CWE-326",
    level: "high",
    fix: "set MinVersion: tls.VersionTLS12 or later",
    query: q`(keyed_element key: (literal_element (identifier) @key) value: (literal_element (selector_expression field: (field_identifier) @version))
      (#eq? @key "MinVersion") (#match? @version "^Version(SSL30|TLS10|TLS11)$")) @match`
  }),
  security({
    id: "go/hardcoded-credential",
    message: "a credential is hard-coded in the source",
    severity: "error",
    cwe: "CWE-798",
    level: "high",
    fix: "read it from the environment (os.Getenv) or a secret store",
    query: q`([
      (short_var_declaration left: (expression_list (identifier) @name) right: (expression_list . (interpreted_string_literal (interpreted_string_literal_content)) @match))
      (var_spec name: (identifier) @name value: (expression_list . (interpreted_string_literal (interpreted_string_literal_content)) @match))
      (const_spec name: (identifier) @name value: (expression_list . (interpreted_string_literal (interpreted_string_literal_content)) @match))
      (keyed_element key: (literal_element (identifier) @name) value: (literal_element (interpreted_string_literal (interpreted_string_literal_content)) @match))
    ] (#match? @name ${secretName}))`
  }),
  security({
    id: "go/unsafe-package",
    message: "package unsafe steps around Go's memory safety",
    severity: "warning",
    cwe: "CWE-242",
    level: "medium",
    fix: "use safe conversions (encoding/binary, strings.Builder) unless this is audited low-level code",
    query: q`(import_spec path: (interpreted_string_literal) @match (#eq? @match "\"unsafe\""))`
  }),
  security({
    id: "go/template-unescaped",
    message: "a value built at run time is marked as safe HTML/JS/URL, bypassing html/template's escaping",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "pass the plain string to the template and let it escape",
    query: q`(call_expression
      function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      arguments: (argument_list . ${dynamic})
      (#eq? @pkg "template") (#match? @fn "^(HTML|HTMLAttr|JS|JSStr|URL|CSS|Srcset)$")) @match`
  }),
  security({
    id: "go/reflected-xss",
    message: "request input is written to the response without escaping",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "render through html/template, or escape with html.EscapeString",
    query: q`(call_expression
      function: (selector_expression field: (field_identifier) @fn)
      arguments: (argument_list . (identifier) @writer) @args
      (#match? @fn "^(Fprintf|Fprint|Fprintln|WriteString)$") (#eq? @writer "w") (#match? @args ${requestInput})) @match`
  }),
  security({
    id: "go/ssrf",
    message: "an outgoing request goes to a URL taken from the request",
    severity: "error",
    cwe: "CWE-918",
    level: "high",
    fix: "check the host against an allow-list before requesting it",
    query: q`(call_expression
      function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      arguments: (argument_list) @args
      (#eq? @pkg "http") (#match? @fn "^(Get|Post|Head|NewRequest|NewRequestWithContext)$") (#match? @args ${requestInput})) @match`
  }),
  security({
    id: "go/file-permissions",
    message: "a file or directory is made writable by everyone",
    severity: "error",
    cwe: "CWE-732",
    level: "high",
    fix: "use 0o600 for files and 0o750 for directories",
    query: q`(call_expression
      function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      arguments: (argument_list (int_literal) @match .)
      (#match? @pkg "^(os|ioutil)$") (#match? @fn "^(WriteFile|OpenFile|Mkdir|MkdirAll|Chmod)$") (#match? @match "^0o?[0-7]?[0-7][0-7][2367]$"))`
  }),
  security({
    id: "go/http-no-timeouts",
    message: "http.ListenAndServe has no timeouts, so slow clients can hold connections open",
    severity: "warning",
    cwe: "CWE-400",
    level: "medium",
    fix: "use an http.Server with ReadHeaderTimeout, ReadTimeout and WriteTimeout",
    query: q`(call_expression function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      (#eq? @pkg "http") (#match? @fn "^(ListenAndServe|ListenAndServeTLS|Serve)$")) @match`
  }),
  security({
    id: "go/cookie-insecure",
    message: "a cookie is sent without Secure or HttpOnly",
    severity: "error",
    cwe: "CWE-614",
    level: "high",
    fix: "set Secure: true and HttpOnly: true in the http.Cookie literal",
    // Secure may be an expression (r.TLS != nil); HttpOnly must be true.
    query: q`((keyed_element key: (literal_element (identifier) @key) value: (literal_element (false))) @match
        (#match? @key "^(Secure|HttpOnly)$"))
      ((composite_literal type: (qualified_type package: (package_identifier) @package name: (type_identifier) @type) body: (literal_value) @fields) @match
        (#eq? @package "http") (#eq? @type "Cookie")
        (#not-match? @fields "HttpOnly:\\s*true[\\s\\S]*Secure:\\s*([^f\\s]|f[^a])|Secure:\\s*([^f\\s]|f[^a])[\\s\\S]*HttpOnly:\\s*true"))`,
    // A cookie sent to a browser: one that sets what only a Set-Cookie carries (a path, an expiry,
    // a flag), or one built where a function sets cookies on a response (http.SetCookie, echo's
    // c.SetCookie). A Name and Value alone elsewhere is a client's cookie: a jar's or a request's.
    inside: [
      q`((composite_literal body: (literal_value) @fields) @scope
        (#match? @fields "\\b(Path|Domain|Expires|MaxAge|Secure|HttpOnly|SameSite|Partitioned):"))`,
      ...["function_declaration", "method_declaration", "func_literal"].map(
        (scope) => q`((${scope} body: (block) @scope) (#match? @scope "\\bSetCookie\\("))`
      )
    ].join("\n")
  }),
  security({
    id: "go/cors-credentials-any-origin",
    when: /AllowCredentials/,
    message: "CORS echoes any origin with credentials: every site can read the user's responses",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: "list the allowed origins (AllowedOrigins / AllowOrigins) or check the Origin against a list before echoing it",
    // rs/cors and gin-contrib/cors echo the Origin that AllowOriginFunc approves; "*" alone is
    // sent as "*", which browsers refuse with credentials, so it is not reported.
    query: q`((composite_literal type: (qualified_type package: (package_identifier) @package name: (type_identifier) @type) body: (literal_value) @fields) @match
        (#eq? @package "cors") (#match? @type "^(Options|Config)$") (#match? @fields "AllowCredentials:\\s*true")
        (#match? @fields "AllowOrigin(Vary)?(Request)?Func:\\s*func\\([^)]*\\)\\s*(\\([^)]*\\)|bool)\\s*\\{\\s*return\\s+true(\\s*,\\s*nil)?\\s*\\}"))`
  }),
  security({
    id: "go/cors-reflected-origin",
    when: /Allow-Credentials/,
    message: "a handler echoes the request's Origin with credentials allowed: every site can read the user's responses",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: "echo the Origin only after checking it against a list of allowed origins",
    // The handler that echoes the Origin also allows credentials, and compares the Origin with nothing.
    query: q`((call_expression function: (selector_expression field: (field_identifier) @set) arguments: (argument_list . (interpreted_string_literal) @name . (_) @value)) @match
        (#match? @set "^(Set|Add|Header)$") (#match? @name "^\"[Aa]ccess-[Cc]ontrol-[Aa]llow-[Oo]rigin\"$")
        (#match? @value "(Get|GetHeader)\\(\"[Oo]rigin\"\\)$|^origin$"))`,
    inside: [
      "function_declaration body: (block) @scope",
      "method_declaration body: (block) @scope",
      "func_literal body: (block) @scope"
    ]
      .map(
        (scope) => q`((${scope}) (#match? @scope "[Aa]llow-[Cc]redentials\",\\s*\"true\"")
          (#not-match? @scope "[Aa]llowed|[Aa]llowlist|[Ww]hitelist|origin\\s*==|==\\s*origin|Has(Suffix|Prefix)\\(origin|Contains\\(\\w+,\\s*origin"))`
      )
      .join("\n")
  }),
  security({
    id: "go/gob-request-body",
    when: /\bgob\.NewDecoder\b/,
    message:
      "encoding/gob decodes a request body: it is not hardened against adversarial input and can be made to use much memory",
    severity: "warning",
    cwe: "CWE-502",
    level: "medium",
    fix: "decode request bodies as JSON or protobuf through http.MaxBytesReader; keep gob for data the service wrote itself",
    query: q`((call_expression function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn) arguments: (argument_list . (_) @body)) @match
      (#eq? @pkg "gob") (#eq? @fn "NewDecoder") (#match? @body "^(r|req|request|c\\.Request|ctx\\.Request\\(\\))\\.Body$"))`
  }),
  security({
    id: "go/bind-all-interfaces",
    message: "the server listens on every network interface",
    severity: "info",
    cwe: "CWE-605",
    level: "low",
    fix: "bind to 127.0.0.1 unless the service must be reachable from outside",
    query: q`((interpreted_string_literal) @match (#match? @match "^\"0\\.0\\.0\\.0:"))`
  })
]

const performanceRules: ReadonlyArray<Rule> = [
  performance({
    id: "go/query-in-loop",
    message: "a query per iteration (N+1 queries)",
    fix: "fetch all rows in one query (WHERE id = ANY($1), a join)",
    query: q`(call_expression function: (selector_expression field: (field_identifier) @method) (#match? @method ${sqlMethod})) @match`,
    inside: loopBody
  }),
  performance({
    id: "go/regexp-in-loop",
    message: "a regular expression is compiled on every iteration",
    fix: "compile it once into a package-level var",
    query: q`(call_expression function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      (#eq? @pkg "regexp") (#match? @fn "^(Compile|MustCompile|CompilePOSIX|MustCompilePOSIX|MatchString|Match)$")) @match`,
    inside: loopBody
  }),
  performance({
    id: "go/string-concat-in-loop",
    message: "building a string with + in a loop copies it on every iteration",
    fix: "use a strings.Builder",
    // Only what is a string for sure: a literal, a + with a literal operand, or fmt.Sprint*; a
    // numeric total += (a - b) * c is not this rule's business.
    query: q`((assignment_statement operator: "+=" right: (expression_list [${stringLiteral} (binary_expression left: ${stringLiteral}) (binary_expression right: ${stringLiteral})])) @match)
      ((assignment_statement operator: "+=" right: (expression_list (call_expression function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)))) @match
        (#eq? @pkg "fmt") (#match? @fn "^Sprint"))
      ((assignment_statement left: (expression_list (identifier) @target) right: (expression_list (binary_expression left: (identifier) @source right: ${stringLiteral}))) @match
        (#eq? @target @source))`,
    inside: loopBody
  }),
  performance({
    id: "go/nested-loop-same-collection",
    message: "a loop over a collection inside a loop over the same collection is quadratic",
    fix: "index the collection once in a map and look items up",
    query: q`(for_statement (range_clause right: (_) @outer)
      body: (block (statement_list (for_statement (range_clause right: (_) @inner)) @match))
      (#eq? @outer @inner))`
  }),
  performance({
    id: "go/defer-in-loop",
    message: "defer in a loop runs only when the function returns, so resources pile up",
    fix: "move the loop body into a function, or close the resource explicitly",
    query: q`(defer_statement) @match`,
    inside: loopBody
  }),
  performance({
    id: "go/http-client-in-loop",
    message: "a new http.Client per iteration does not reuse connections",
    fix: "create one client outside the loop and reuse it",
    query: q`(composite_literal type: (qualified_type package: (package_identifier) @pkg name: (type_identifier) @type)
      (#eq? @pkg "http") (#match? @type "^(Client|Transport)$")) @match`,
    inside: loopBody
  }),
  performance({
    id: "go/time-after-in-loop",
    message: "time.After in a loop allocates a timer per iteration",
    fix: "create one time.Timer (or time.Ticker) outside the loop and Reset it",
    query: q`(call_expression function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
      (#eq? @pkg "time") (#eq? @fn "After")) @match`,
    inside: loopBody
  })
]

/** The Go rules, for the `go` grammar. */
export const go: RuleSet = {
  language: "go",
  grammars: ["go"],
  functionTypes: ["function_declaration", "method_declaration", "func_literal"],
  rules: [...securityRules, ...goFlowRules, ...performanceRules],
  flow: goFlow
}
