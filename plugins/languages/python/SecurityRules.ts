/**
 * Security and performance rules for Python, as tree-sitter queries. Names that suggest secrets
 * and calls that suggest user input are matched by text: the rules are heuristics, tuned so that
 * idiomatic code does not trip them.
 */
import { performance, q, type Rule, type RuleSet, re, security } from "../../quality/tree-sitter/Rule.ts"
import { pythonFlow, pythonFlowRules } from "./FlowRules.ts"

/** A call's first argument that is not a plain literal: a name, an expression, an f-string. */
const dynamic = q`[(identifier) (attribute) (binary_operator) (call) (subscript) (string (interpolation))]`
const secretName = q`"([Pp]ass(wd|word)?|PASS(WD|WORD)?|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Aa]pi_?[Kk]ey|API_?KEY|[Pp]rivate_?[Kk]ey|PRIVATE_?KEY)$"`
const userInput = q`"(\\brequest\\.|\\binput\\(|\\bsys\\.argv|\\bflask\\.request)"`
const loopBody = q`[(for_statement body: (block) @scope) (while_statement body: (block) @scope)]`
const asyncBody = q`(function_definition "async" body: (block) @scope)`
/** A module that takes its Template from the string module, which only substitutes $name. */
const stringTemplate = re(/(^|\n)[ \t]*from\s+string\s+import\s+(\([^)]*|[^\n]*)\bTemplate\b/)

/**
 * A name that holds a secret compared as text: a token, a secret, a password, a signature, a
 * digest, an HMAC, an API key (`expected_signature`, `settings.API_TOKEN`), maybe encoded. Names
 * that only start so (`token_type`, `password_policy`) are not.
 */
const secretValue = re(
  /(^|[^\w])([a-z]\w*_)?(token|secret|password|passwd|signature|digest|hmac|api_?key|(password|token|secret)_hash)(\.(encode|decode|strip)\(\))?$|(^|[^\w.])([a-z]\w*\.)*([A-Z0-9]+_)*(TOKEN|SECRET|PASSWORD|SIGNATURE|DIGEST|HMAC|API_KEY)$/
)
/** A side of a comparison that reveals nothing: None, a boolean, a literal, a length, a type. */
const notAValue = re(
  /^(None|True|False|-?\d[\s\S]*|[rbfuRBFU]*["'][\s\S]*|\[[\s\S]*\]|\{[\s\S]*\}|(len|type)\([\s\S]*)$/
)

const securityRules: ReadonlyArray<Rule> = [
  security({
    id: "python/timing-attack",
    when: /(token|secret|passw|signature|digest|hmac|api_?key)\w*(\.\w+\([^)]*\))*\s*[!=]=|[!=]=\s*[\w.]*(token|secret|passw|signature|digest|hmac|api_?key)/i,
    message: "a secret is compared with == or !=, which stops at the first differing character",
    severity: "warning",
    cwe: "CWE-208",
    // Medium as in JavaScript: the secret is guessed from a name, and a lexer comparing
    // `token == eof` looks the same; it is reported without failing the default gate.
    level: "medium",
    fix: "compare secrets, signatures and token digests with hmac.compare_digest(a, b)",
    // Both sides are values: a comparison with None, a literal or a length reveals no secret; a
    // class's own __eq__ (a signature object comparing its fields) checks no secret.
    inside: q`(module) @scope
      ((function_definition name: (identifier) @name body: (block) @scope) (#not-match? @name "^__(eq|ne|hash|lt|le|gt|ge)__$"))
      (lambda body: (_) @scope)`,
    query: q`((comparison_operator (_) @a operators: ["==" "!="] (_) @b) @match
        (#match? @a ${secretValue}) (#not-match? @b ${notAValue}))
      ((comparison_operator (_) @a operators: ["==" "!="] (_) @b) @match
        (#match? @b ${secretValue}) (#not-match? @a ${notAValue}))`
  }),
  security({
    id: "python/pickle-load",
    message: "pickle/dill deserialisation runs arbitrary code from its input",
    severity: "error",
    cwe: "CWE-502",
    level: "high",
    fix: "exchange data as JSON (json.loads) or sign it before unpickling",
    query: q`(call function: (attribute object: (identifier) @module attribute: (identifier) @name)
      (#match? @module "^(pickle|cPickle|dill|joblib)$") (#match? @name "^(load|loads|Unpickler)$")) @match`
  }),
  security({
    id: "python/marshal-load",
    message: "marshal/shelve deserialisation is unsafe on untrusted input",
    severity: "error",
    cwe: "CWE-502",
    level: "high",
    fix: "exchange data as JSON",
    query: q`(call function: (attribute object: (identifier) @module attribute: (identifier) @name)
      (#match? @module "^(marshal|shelve)$") (#match? @name "^(load|loads|open)$")) @match`
  }),
  security({
    id: "python/yaml-load",
    message: "yaml.load without SafeLoader can build arbitrary objects",
    severity: "error",
    cwe: "CWE-502",
    level: "high",
    fix: "use yaml.safe_load or Loader=yaml.SafeLoader",
    query: q`(call function: (attribute object: (identifier) @module attribute: (identifier) @name) arguments: (argument_list) @args
      (#eq? @module "yaml") (#match? @name "^(load|load_all|unsafe_load|full_load)$") (#not-match? @args "SafeLoader")) @match`
  }),
  security({
    id: "python/xxe",
    message: "XML is parsed with external entities resolved (XXE)",
    severity: "error",
    cwe: "CWE-611",
    level: "high",
    fix: "use defusedxml, or lxml's XMLParser(resolve_entities=False, no_network=True)",
    query: q`((call function: [(attribute attribute: (identifier) @name) (identifier) @name]
        arguments: (argument_list (keyword_argument name: (identifier) @option value: (true))))
        @match (#eq? @name "XMLParser") (#eq? @option "resolve_entities"))
      ((call function: (attribute attribute: (identifier) @name) arguments: (argument_list . (_) @feature . (true)))
        @match (#eq? @name "setFeature") (#match? @feature "feature_external_(ges|pes)$"))`
  }),
  security({
    id: "python/path-traversal",
    message: "a path is built from request or user input",
    severity: "error",
    cwe: "CWE-22",
    level: "high",
    fix: "resolve the path and check it stays under the base directory (Path.resolve().is_relative_to(base))",
    query: q`(call function: [(attribute attribute: (identifier) @name) (identifier) @name] arguments: (argument_list) @args
      (#match? @name "^(join|open|send_file|Path|FileResponse|remove|unlink|rmtree)$") (#match? @args ${userInput})) @match`
  }),
  security({
    id: "python/weak-hash",
    message: "MD5 and SHA-1 are broken for security purposes",
    severity: "error",
    cwe: "CWE-328",
    level: "medium",
    fix: "use hashlib.sha256 (or pass usedforsecurity=False for a non-security checksum)",
    query: q`(call function: (attribute object: (identifier) @module attribute: (identifier) @name) arguments: (argument_list) @args
      (#eq? @module "hashlib") (#match? @name "^(md5|sha1)$") (#not-match? @args "usedforsecurity")) @match`
  }),
  security({
    id: "python/weak-cipher",
    message: "DES, 3DES, RC4 and Blowfish are weak ciphers",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: "use AES-GCM or ChaCha20-Poly1305",
    query: q`(attribute object: (identifier) @cipher attribute: (identifier) @name
      (#match? @cipher "^(DES|DES3|ARC4|ARC2|Blowfish|TripleDES|algorithms)$") (#match? @name "^(new|TripleDES|ARC4|Blowfish|CAST5|IDEA)$")) @match`
  }),
  security({
    id: "python/ecb-mode",
    message: "ECB mode leaks patterns of the plaintext",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: "use an authenticated mode such as GCM",
    query: q`(attribute attribute: (identifier) @name (#match? @name "^(MODE_ECB|ECB)$")) @match`
  }),
  security({
    id: "python/gcm-fixed-nonce",
    message: "an AEAD nonce written in the source is reused for every message, which breaks GCM",
    severity: "error",
    cwe: "CWE-323",
    level: "high",
    fix: "use a fresh os.urandom(12) nonce per message and send it with the ciphertext",
    query: q`((call function: (attribute attribute: (identifier) @fn) arguments: (argument_list . (_) @nonce)) @match
        (#eq? @fn "GCM") (#match? @nonce "^(b[\"']|bytes\\(|bytearray\\()"))
      ((call function: (attribute object: (_) @cipher attribute: (identifier) @fn) arguments: (argument_list . (_) @nonce)) @match
        (#match? @fn "^(encrypt|decrypt)$") (#match? @cipher "(AESGCM|ChaCha20Poly1305|AESCCM|AESOCB3|[Aa]ead|[Gg]cm)")
        (#match? @nonce "^(b[\"']|bytes\\(|bytearray\\()"))
      ((keyword_argument name: (identifier) @name value: (_) @nonce) @match
        (#eq? @name "nonce") (#match? @nonce "^(b[\"']|bytes\\(|bytearray\\()"))
      ((assignment left: (identifier) @name right: (_) @nonce) @match
        (#match? @name "^(nonce|NONCE|[A-Za-z_]*_(nonce|NONCE))$") (#match? @nonce "^b[\"']"))`
  }),
  security({
    id: "python/insecure-random",
    message: "the random module is predictable; it must not make secrets",
    severity: "error",
    cwe: "CWE-338",
    level: "high",
    fix: "use the secrets module (secrets.token_urlsafe, secrets.choice)",
    query: q`(assignment left: (identifier) @name right: (_) @value
      (#match? @name "([Tt]oken|TOKEN|[Ss]ecret|SECRET|[Pp]assword|PASSWORD|[Nn]once|[Ss]alt|[Oo]tp|[Kk]ey|KEY)")
      (#match? @value "\\brandom\\.(random|randint|randrange|choice|choices|getrandbits|sample)\\(")) @match`
  }),
  security({
    id: "python/tls-verify-disabled",
    message: "TLS certificate verification is disabled",
    severity: "error",
    cwe: "CWE-295",
    level: "high",
    fix: "keep verify=True (or pass a CA bundle path)",
    query: q`(keyword_argument name: (identifier) @name value: (false) (#eq? @name "verify")) @match`
  }),
  security({
    id: "python/ssl-unverified-context",
    message: "an SSL context that does not verify certificates",
    severity: "error",
    cwe: "CWE-295",
    level: "high",
    fix: "use ssl.create_default_context()",
    // CERT_NONE counts where it is set or passed (an assignment, an argument, a default, a dict's
    // value), not where a mode is compared with it (`context.verify_mode != ssl.CERT_NONE`).
    query: q`((attribute object: (identifier) @module attribute: (identifier) @name) @match
        (#eq? @module "ssl") (#eq? @name "_create_unverified_context"))
      ([(assignment right: (attribute object: (identifier) @module attribute: (identifier) @name) @match)
        (keyword_argument value: (attribute object: (identifier) @module attribute: (identifier) @name) @match)
        (argument_list (attribute object: (identifier) @module attribute: (identifier) @name) @match)
        (default_parameter value: (attribute object: (identifier) @module attribute: (identifier) @name) @match)
        (typed_default_parameter value: (attribute object: (identifier) @module attribute: (identifier) @name) @match)
        (pair value: (attribute object: (identifier) @module attribute: (identifier) @name) @match)]
        (#eq? @module "ssl") (#eq? @name "CERT_NONE"))
      ((assignment left: (attribute attribute: (identifier) @name) right: (false)) @match (#eq? @name "check_hostname"))`
  }),
  security({
    id: "python/tls-old-version",
    message: "SSL 3, TLS 1.0 and TLS 1.1 are broken protocol versions",
    severity: "error",
    cwe: "CWE-326",
    level: "high",
    fix: "use ssl.create_default_context() (or PROTOCOL_TLS_CLIENT) and set minimum_version = ssl.TLSVersion.TLSv1_2",
    query: q`(attribute attribute: (identifier) @name
      (#match? @name "^(PROTOCOL_SSLv2|PROTOCOL_SSLv3|PROTOCOL_TLSv1|PROTOCOL_TLSv1_1|SSLv3|TLSv1|TLSv1_1)$")) @match`
  }),
  security({
    id: "python/cookie-insecure",
    message: "a cookie is set without httponly=True and secure",
    severity: "error",
    cwe: "CWE-614",
    level: "high",
    fix: 'pass httponly=True, secure=True, samesite="Lax" to set_cookie',
    // A response's set_cookie(key, value, ...) takes a name and a value, or a name written out;
    // a cookie jar's set_cookie(cookie) (http.cookiejar, requests) stores one Cookie it received.
    query: q`((call function: (attribute attribute: (identifier) @fn) arguments: (argument_list . (_) . (_)) @args) @match
        (#eq? @fn "set_cookie")
        (#not-match? @args "httponly=True[\\s\\S]*secure=([^F\\s]|F[^a])|secure=([^F\\s]|F[^a])[\\s\\S]*httponly=True"))
      ((call function: (attribute attribute: (identifier) @fn) arguments: (argument_list . (string) .) @args) @match
        (#eq? @fn "set_cookie"))`
  }),
  security({
    id: "python/cors-credentials-any-origin",
    when: /supports_credentials|allow_credentials|CORS_ALLOW_CREDENTIALS/,
    message: "CORS lets any origin read responses sent with the user's cookies",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: "list the allowed origins (origins=[...], allow_origins=[...], CORS_ALLOWED_ORIGINS) when credentials are allowed",
    // flask-cors and Starlette echo the request's Origin when every origin is allowed with
    // credentials; flask-cors allows every origin unless origins or resources say otherwise.
    query: q`((call function: [(identifier) (attribute)] @fn arguments: (argument_list) @args) @match
        (#match? @fn "^(flask_cors\\.)?(CORS|cross_origin)$") (#match? @args "supports_credentials\\s*=\\s*True")
        (#not-match? @args "\\b(origins\\s*=\\s*([^\"'\\s]|[\"'][^*])|resources\\s*=)"))
      ((call function: (attribute attribute: (identifier) @add) arguments: (argument_list . (identifier) @middleware) @args) @match
        (#eq? @add "add_middleware") (#eq? @middleware "CORSMiddleware") (#match? @args "allow_credentials\\s*=\\s*True")
        (#match? @args "allow_origins\\s*=\\s*\\[\\s*[\"']\\*[\"']\\s*,?\\s*\\]|allow_origin_regex\\s*=\\s*r?[\"']\\^?\\.[*+]\\$?[\"']"))
      ((module (expression_statement (assignment left: (identifier) @all right: (true)) @match) (expression_statement (assignment left: (identifier) @credentials right: (true))))
        (#match? @all "^CORS_(ALLOW_ALL_ORIGINS|ORIGIN_ALLOW_ALL)$") (#eq? @credentials "CORS_ALLOW_CREDENTIALS"))
      ((module (expression_statement (assignment left: (identifier) @credentials right: (true))) (expression_statement (assignment left: (identifier) @all right: (true)) @match))
        (#match? @all "^CORS_(ALLOW_ALL_ORIGINS|ORIGIN_ALLOW_ALL)$") (#eq? @credentials "CORS_ALLOW_CREDENTIALS"))`
  }),
  security({
    id: "python/world-writable",
    message: "a file or directory is made writable by everyone",
    severity: "error",
    cwe: "CWE-732",
    level: "high",
    fix: "use 0o600 for files and 0o750 for directories",
    query: q`((call function: (attribute attribute: (identifier) @fn) arguments: (argument_list (integer) @mode)) @match
        (#match? @fn "^(chmod|lchmod|fchmod|makedirs|mkdir)$") (#match? @mode "^0o?[0-7]?[0-7][0-7][2367]$"))
      ((call function: (attribute attribute: (identifier) @fn) arguments: (argument_list (keyword_argument name: (identifier) @name value: (integer) @mode))) @match
        (#match? @fn "^(chmod|makedirs|mkdir|touch)$") (#eq? @name "mode") (#match? @mode "^0o?[0-7]?[0-7][0-7][2367]$"))`
  }),
  security({
    id: "python/hardcoded-credential",
    message: "a credential is hard-coded in the source",
    severity: "error",
    cwe: "CWE-798",
    level: "high",
    fix: "read it from the environment or a secret store",
    query: q`([
      (assignment left: [(identifier) @name (attribute attribute: (identifier) @name)] right: (string (string_content)) @match)
      (keyword_argument name: (identifier) @name value: (string (string_content)) @match)
    ] (#match? @name ${secretName}))`
  }),
  security({
    id: "python/mark-safe",
    message: "markup built at run time is marked safe, bypassing HTML escaping",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "let the template engine escape, or use format_html / markupsafe.escape",
    query: q`(call function: [(identifier) @name (attribute attribute: (identifier) @name)] arguments: (argument_list . ${dynamic})
      (#match? @name "^(mark_safe|Markup|SafeString)$")) @match`
  }),
  security({
    id: "python/template-injection",
    message: "a template is rendered from a string built at run time",
    severity: "error",
    cwe: "CWE-1336",
    level: "critical",
    fix: "render a fixed template file and pass the values as context",
    // Jinja2, Mako and Django templates run code or read objects; string.Template only substitutes
    // $name. Template named with its module counts for an engine's module; a bare Template(...)
    // counts unless the module imports it from string (`from string import Template`).
    query: q`((call function: (identifier) @name arguments: (argument_list . ${dynamic})) @match
        (#match? @name "^(render_template_string|Template)$"))
      ((call function: (attribute object: (_) @engine attribute: (identifier) @name) arguments: (argument_list . ${dynamic})) @match
        (#eq? @name "Template") (#match? @engine "^(jinja2|mako\\.template|django\\.template|template)$"))
      ((call function: (attribute attribute: (identifier) @name) arguments: (argument_list . ${dynamic})) @match
        (#match? @name "^(render_template_string|from_string)$"))`,
    // The name called marks the finding: a name other than a bare Template is its own scope (the
    // call's own name, not its arguments: `engine.from_string(Template(text).substitute(v))`). A
    // bare one lies at the top level of a module that does not import string's Template, or in a
    // function or method defined there.
    capture: "name",
    inside: [
      q`((module) @scope (#not-match? @scope ${stringTemplate}))`,
      ...[
        "function_definition body: (block) @scope",
        "decorated_definition definition: (function_definition body: (block) @scope)",
        "class_definition body: (block (function_definition body: (block) @scope))",
        "class_definition body: (block (decorated_definition definition: (function_definition body: (block) @scope)))"
      ].map((scope) => q`((module (${scope})) @module (#not-match? @module ${stringTemplate}))`),
      q`(attribute attribute: (identifier) @scope (#match? @scope "^(Template|render_template_string|from_string)$"))`,
      q`(call function: (identifier) @scope (#eq? @scope "render_template_string"))`
    ].join("\n")
  }),
  security({
    id: "python/redos",
    message: "a regular expression with nested quantifiers can take exponential time",
    severity: "warning",
    cwe: "CWE-1333",
    level: "medium",
    fix: "remove the nested quantifier, e.g. (a+)+ → a+",
    query: q`(call function: (attribute object: (identifier) @module) arguments: (argument_list . (string) @match)
      (#eq? @module "re") (#match? @match "\\([^()]*[+*][^()]*\\)[+*{]"))`
  }),
  security({
    id: "python/mktemp",
    message: "tempfile.mktemp is racy: another process can create the file first",
    severity: "warning",
    cwe: "CWE-377",
    level: "medium",
    fix: "use tempfile.mkstemp or NamedTemporaryFile",
    query: q`(call function: (attribute object: (identifier) @module attribute: (identifier) @name)
      (#eq? @module "tempfile") (#eq? @name "mktemp")) @match`
  }),
  security({
    id: "python/debug-server",
    message: "the app runs with the debugger enabled, which allows code execution",
    severity: "error",
    cwe: "CWE-489",
    level: "high",
    fix: "read debug from configuration and keep it off in production",
    query: q`(call function: (attribute attribute: (identifier) @name) arguments: (argument_list (keyword_argument name: (identifier) @key value: (true)))
      (#eq? @name "run") (#eq? @key "debug")) @match`
  })
]

const performanceRules: ReadonlyArray<Rule> = [
  performance({
    id: "python/await-in-loop",
    message: "await inside a loop runs the awaited calls one after another",
    fix: "start them together with asyncio.gather (or a TaskGroup)",
    query: q`(await) @match`,
    inside: loopBody
  }),
  performance({
    id: "python/blocking-call-in-async",
    message: "a blocking call inside an async function stalls the event loop",
    fix: "use the async equivalent (aiofiles, asyncio.sleep, httpx.AsyncClient) or asyncio.to_thread",
    // Predicates hold for a whole pattern, not for one branch of an alternation: hence two patterns.
    query: q`((call function: (identifier) @name) @match (#eq? @name "open"))
      ((call function: (attribute object: (identifier) @module attribute: (identifier) @name)) @match
        (#match? @module "^(time|requests|urllib|subprocess)$") (#match? @name "^(sleep|get|post|put|delete|request|urlopen|run|call)$"))`,
    inside: asyncBody
  }),
  performance({
    id: "python/nested-loop-same-collection",
    message: "a loop over a collection inside a loop over the same collection is quadratic",
    fix: "index the collection once (a dict or set) and look items up",
    query: q`(for_statement right: (_) @outer body: (block (for_statement right: (_) @inner) @match) (#eq? @outer @inner))`
  }),
  performance({
    id: "python/regex-in-loop",
    message: "a regular expression is compiled on every iteration",
    fix: "compile it once, outside the loop (a module-level constant)",
    query: q`(call function: (attribute object: (identifier) @module attribute: (identifier) @name)
      (#eq? @module "re") (#eq? @name "compile")) @match`,
    inside: loopBody
  }),
  performance({
    id: "python/string-concat-in-loop",
    message: "building a string with += in a loop copies it on every iteration",
    fix: "collect the parts in a list and ''.join them",
    query: q`((augmented_assignment operator: "+=" right: (string)) @match)
      ((augmented_assignment operator: "+=" right: (call function: (identifier) @name)) @match (#eq? @name "str"))`,
    inside: loopBody
  }),
  performance({
    id: "python/query-in-loop",
    message: "a query per iteration (N+1 queries)",
    fix: "fetch all rows in one query (WHERE id IN (...), a join, or prefetch_related)",
    query: q`(call function: (attribute attribute: (identifier) @name)
      (#match? @name "^(execute|executemany|query|raw|fetch|fetchrow|fetchval)$")) @match`,
    inside: loopBody
  }),
  performance({
    id: "python/deepcopy-in-loop",
    message: "copy.deepcopy in a loop is slow",
    fix: "copy once outside the loop, or copy only what changes",
    query: q`(call function: (attribute object: (identifier) @module attribute: (identifier) @name)
      (#eq? @module "copy") (#eq? @name "deepcopy")) @match`,
    inside: loopBody
  })
]

/** The Python rules, for the `python` grammar. */
export const python: RuleSet = {
  language: "python",
  grammars: ["python"],
  functionTypes: ["function_definition", "lambda"],
  rules: [...securityRules, ...pythonFlowRules, ...performanceRules],
  flow: pythonFlow
}
