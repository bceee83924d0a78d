/**
 * Security and performance rules for TypeScript and JavaScript, as tree-sitter queries. One set
 * serves the `typescript`, `tsx` and `javascript` grammars, so the queries use only node types
 * the three share: no JSX nodes (`dangerouslySetInnerHTML` is found by its `__html` object) and
 * no class fields (`public_field_definition` and `field_definition` differ). The ids read
 * `javascript/<name>`: the rules are about the JavaScript runtime (Node, the DOM, npm packages)
 * and say the same on a `.js` and a `.ts` file.
 *
 * Names that suggest secrets and expressions that suggest request input are matched by text: the
 * rules are heuristics, tuned so that idiomatic code does not trip them.
 */
import { performance, q, type Rule, type RuleSet, re, security } from "../../quality/tree-sitter/Rule.ts"
import { typescriptFlow, typescriptFlowRules } from "./FlowRules.ts"
import { regexRules } from "./RegexRules.ts"

/** An expression that is not a literal: a name, a member, a concatenation, a call, a template with `${…}`. */
const dynamic = q`[(identifier) (member_expression) (subscript_expression) (binary_expression) (call_expression) (await_expression) (template_string (template_substitution))]`
/** The callee of a call, bare (`exec(…)`) or as a method (`cp.exec(…)`): `@fn` is its name. */
const callee = q`[(identifier) @fn (member_expression property: (property_identifier) @fn)]`

/** A name that holds a credential: `password`, `dbPassword`, `API_KEY`, `clientSecret`; not `bypass` or `tokenType`. */
const secretName = re(
  /((^|_)(pass|passwd|password|secret|token|api_?[Kk]ey|private_?[Kk]ey|access_?[Kk]ey|client_?[Ss]ecret)|(^|[a-z0-9])(Pass|Passwd|Password|Secret|Token|Api[Kk]ey|APIKey|PrivateKey|AccessKey|ClientSecret)|(^|_)(PASS|PASSWD|PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CLIENT_?SECRET))$/
)
/**
 * String contents that are not a credential although assigned to a credential's name: an env
 * variable's name (`"API_KEY"`), a storage key or header (`"access_token"`, `"x-api-key"`), a
 * label (`"Password"`), a mask (`"****"`), a placeholder (`"${TOKEN}"`), the word itself.
 */
const notACredential = re(
  /^([A-Z][A-Z0-9]*(_[A-Z0-9]+)+|[A-Z]+|[a-z]+([-_.][a-z]+)+|[A-Z][a-z]+|[*•xX.]+|\$\{?\w+\}?|\{\{.*\}\}|<.*>|[Pp]ass(wd|word)?|[Ss]ecret|[Tt]oken|[Aa]pi[-_]?[Kk]ey)$/
)
/** A CORS origin option that admits every origin: `true`, `"*"`, or a callback that always says yes. */
const anyOrigin = re(
  /^(true|.\*.|\(?\s*\w*\s*,\s*\w+\s*\)?\s*=>\s*\{?\s*\w+\(\s*null\s*,\s*true\s*\);?\s*\}?|function\s*\w*\s*\(\s*\w*\s*,\s*\w+\s*\)\s*\{\s*(return\s+)?\w+\(\s*null\s*,\s*true\s*\);?\s*\})$/
)
/** The request's Origin header, read whole: `req.headers.origin`, `req.get("origin")`, `ctx.get("Origin")`, or a name `origin`. */
const requestOrigin = re(
  /^((req|request|ctx\.request|ctx)\.(headers\.origin|headers\[.origin.\]|header\.origin|get\(.[Oo]rigin.\)|header\(.[Oo]rigin.\))|origin)$/
)
/** Names of values that must be unpredictable: tokens, secrets, session ids, nonces, salts, one-time codes. */
const unpredictableName = re(
  /([Tt]oken|TOKEN|[Ss]ecret|SECRET|[Pp]assword|PASSWORD|[Nn]once|NONCE|[Ss]alt|SALT|[Oo]tp|OTP|(api|Api|secret|Secret|private|Private|session|Session|access|Access|signing|Signing|encryption|Encryption)_?[Kk]ey|[Ss]ession_?[Ii]d|SESSION_?ID|[Cc]srf|CSRF|[Rr]eset_?[Cc]ode|[Vv]erification_?[Cc]ode|[Pp]in_?[Cc]ode)$/
)
/** Text that reads from an HTTP request (Express, Koa, Fastify, Lambda, `URL.searchParams`). */
const userInput = re(
  /\b(req|request|ctx\.request|ctx)\.(params|query|body|headers|cookies|files?)\b|\bqueryStringParameters\b|\bsearchParams\.get\(/
)
/** Request fields that carry names and structures a client chooses: paths, merge sources. */
const requestData = re(
  /\b(req|request|ctx\.request|ctx)\.(params|query|body|files?)\b|\bqueryStringParameters\b|\bsearchParams\.get\(/
)
/** An expression whose text starts with request input: a URL or redirect target taken whole from the request. */
const startsWithUserInput = re(/^(`\$\{)?(req|request|ctx\.request|ctx)\.(params|query|body|headers)\b/)
/** Calls that escape or sanitise markup: their result is meant for HTML sinks. */
const sanitized = re(/(sanitize|[Ee]scape|DOMPurify|[Pp]urify|encodeURIComponent|encodeHTML|htmlEncode)/)
/** Hash names of MD4, MD5 and SHA-1, quoted. */
const weakHash = re(/^.(md[45]|MD[45]|sha-?1|SHA-?1|RSA-MD5|RSA-SHA1).$/)
/** A `createHash` call with a weak hash, by text. */
const weakHashCall = re(/createHash\(\s*["'`](md[45]|MD[45]|sha-?1|SHA-?1)["'`]/)
/** Names and expressions of credential-like data: a password, a secret, a token, a PIN. */
const credentialData = re(
  /([Pp]ass(wd|word)?|PASS(WD|WORD)?|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Cc]redential|[Pp]in[Cc]ode|[Aa]pi_?[Kk]ey|API_?KEY)/
)
/** Cipher names of DES, 3DES, RC2, RC4, Blowfish, CAST, IDEA, or any cipher in ECB mode. */
const weakCipher = re(/^.((des3?|DES3?|rc[24]|RC[24]|bf|BF|blowfish|cast|CAST|idea|IDEA)\b|[^"'`]*-(ecb|ECB).$)/)
/** A side of a comparison that reveals nothing when compared: a literal, undefined, null, a typeof. */
const notAValue = re(
  /^(undefined|null|true|false|NaN|Infinity|typeof\b[\s\S]*|["'`\d-][\s\S]*|\[[\s\S]*\]|\{[\s\S]*\})$/
)
/**
 * A name that holds a secret compared as text: a token, a secret, a password, a signature, a
 * digest, an HMAC, an API key, a password's or token's hash. A bare `hash` (a URL's fragment, a
 * hash table's key) and names that only start so (`tokenType`, `passwordPolicy`) are not.
 */
const secretValue = re(
  /(^|[^\w$])(([a-z]\w*)?(Token|Secret|Password|Passwd|Signature|Digest|Hmac|HMAC|ApiKey|APIKey|PasswordHash|TokenHash|SecretHash)|token|secret|password|passwd|signature|digest|hmac|api_?key|apiKey|(password|token|secret)_?[Hh]ash|[a-z]\w*_(token|secret|password|signature|digest|hmac)|[A-Z0-9_]*(TOKEN|SECRET|PASSWORD|SIGNATURE|DIGEST|HMAC|API_KEY))$/
)
/** An argument that is no key at all. */
const noKey = re(/^(null|undefined|false|""|''|``)$/)
/**
 * Calls that block the event loop for as long as the data takes: file contents, listings, child
 * processes. Metadata calls (statSync, existsSync, renameSync) are left out: one is cheaper than
 * the thread-pool round trip of its async twin.
 */
const blockingCall = re(
  /^(readFileSync|writeFileSync|appendFileSync|readdirSync|copyFileSync|cpSync|execSync|execFileSync|spawnSync)$/
)
/** Calls that go to a database or over the network: one per item is the N+1 shape. */
const queryCall = re(
  /^(query|queryOne|execute|find|findOne|findById|findByPk|findUnique|findFirst|findMany|findAll|findOneBy|findBy|fetch|\$queryRaw)$/
)
/** An awaited `queryCall`, by text: `await db.query(…)`, `await prisma.user.findUnique(…)`. */
const awaitedQuery = re(
  /^await\s+([\w$]+\s*\??\.\s*)*(query|queryOne|execute|find|findOne|findById|findByPk|findUnique|findFirst|findMany|findAll|findOneBy|findBy|fetch|\$queryRaw)\s*\(/
)
/**
 * An awaited call of a function or command taken from a list (hooks, plugins, middleware,
 * migrations, commands): they run in order by design.
 */
const sequencedAwait = re(
  /^await\s+([\w$]+\.(call|apply)\(|(hook|plugin|middleware|handler|listener|task|step|migration|job|command|action|operation)s?\b)/
)
/** `list.<method>(item)`: `@list`, `@item`, and the method's name captured as `@<method>`. */
const lookup = (method: "includes" | "indexOf") =>
  q`(call_expression function: (member_expression object: (identifier) @list property: (property_identifier) @${method}) arguments: (arguments . (_) @item .))`
/**
 * "item is not in list", alone or on either side of `&&`: `!list.includes(item)` or
 * `list.indexOf(item) === -1`. Spelled out flat: a nested alternation (`[[a b] c]`) matches only
 * its first branch in web-tree-sitter 0.27.
 */
const notInList = [
  q`(unary_expression operator: "!" argument: ${lookup("includes")})`,
  q`(binary_expression left: ${lookup("indexOf")} operator: ["===" "=="] right: (unary_expression operator: "-" argument: (number) @one))`
].flatMap((test) => [
  test,
  q`(binary_expression left: ${test} operator: "&&")`,
  q`(binary_expression operator: "&&" right: ${test})`
])
/** `list.push(item)`, alone or first in a block: `@target` and `@pushed`. */
const pushTo = q`(call_expression function: (member_expression object: (identifier) @target property: (property_identifier) @push) arguments: (arguments . (_) @pushed .))`

/** Bodies of every loop. */
const loopBody = q`[(for_statement body: (_) @scope) (for_in_statement body: (_) @scope) (while_statement body: (_) @scope) (do_statement body: (_) @scope)]`
/**
 * Bodies of loops over a collection (`for…of`, `for…in`), whose iterations are usually
 * independent; `for await` is left out, it consumes a stream in order by design, and so are
 * `while` and counted loops, which paginate, poll and retry.
 */
const collectionLoopBody = q`((for_in_statement body: (_) @scope) @loop (#not-match? @loop "^for\\s*await\\b"))`
/** Bodies of loops and of the callbacks of forEach, map, filter, reduce and flatMap. */
const iterationBody = q`${loopBody}
  ((call_expression function: (member_expression property: (property_identifier) @method) arguments: (arguments [(arrow_function body: (_) @scope) (function_expression body: (_) @scope)]))
    (#match? @method "^(forEach|map|filter|reduce|flatMap)$"))`
/** Bodies of async functions, methods and arrows. */
const asyncBody = q`[
  (function_declaration "async" body: (_) @scope)
  (function_expression "async" body: (_) @scope)
  (arrow_function "async" body: (_) @scope)
  (method_definition "async" body: (_) @scope)
  (generator_function_declaration "async" body: (_) @scope)
  (generator_function "async" body: (_) @scope)
]`

const requestDataGate = new RegExp(JSON.parse(requestData) as string)

const injectionRules: ReadonlyArray<Rule> = [
  security({
    id: "javascript/spawn-shell",
    when: /\b(spawn|execFile)(Sync)?\b/,
    message: "spawn/execFile runs a command built at run time through a shell",
    severity: "error",
    cwe: "CWE-78",
    level: "critical",
    fix: "drop shell: true (or sh -c) and pass the program and its arguments as an array",
    query: q`((call_expression function: ${callee}
        arguments: (arguments . ${dynamic} (object (pair key: (property_identifier) @key value: [(true) (string)])))) @match
        (#match? @fn "^(spawn|spawnSync|execFile|execFileSync)$") (#eq? @key "shell"))
      ((call_expression function: ${callee}
        arguments: (arguments . (string) @shell . (array . (string) @flag . ${dynamic}))) @match
        (#match? @fn "^(spawn|spawnSync|execFile|execFileSync)$") (#match? @shell "^.(/bin/)?(ba|z|da)?sh.$") (#match? @flag "^.-c.$"))`
  }),
  security({
    id: "javascript/new-function",
    when: /\bFunction\s*\(/,
    message: "the Function constructor compiles code built at run time",
    severity: "error",
    cwe: "CWE-95",
    level: "critical",
    fix: "write the function in the source; pass data as arguments rather than code",
    // `new Function("return this")` with only literals is a known idiom; any run-time part is not.
    query: q`((new_expression constructor: (identifier) @ctor arguments: (arguments ${dynamic})) @match (#eq? @ctor "Function"))
      ((call_expression function: (identifier) @ctor arguments: (arguments ${dynamic})) @match (#eq? @ctor "Function"))`
  }),
  security({
    id: "javascript/string-timer",
    when: /\b(setTimeout|setInterval|setImmediate|execScript)\b/,
    message: "a timer given a string evaluates it as code",
    severity: "error",
    cwe: "CWE-95",
    level: "high",
    fix: "pass a function: setTimeout(() => run(), delay)",
    query: q`((call_expression function: ${callee} arguments: (arguments . [(string) (template_string) (binary_expression left: [(string) (template_string)]) (binary_expression right: [(string) (template_string)])])) @match
      (#match? @fn "^(setTimeout|setInterval|setImmediate|execScript)$"))`
  }),
  security({
    id: "javascript/nosql-injection",
    when: /\$where|\b(req|request)\.(body|query)\b/,
    message: "a MongoDB query takes request input as its filter or runs a $where built at run time",
    severity: "error",
    cwe: "CWE-943",
    level: "high",
    fix: "build the filter from typed fields (String(req.body.email)) and never use $where",
    query: q`((pair key: [(property_identifier) (string)] @key value: ${dynamic}) @match (#match? @key "^.?\\$where.?$"))
      ((call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments . (member_expression) @filter)) @match
        (#match? @fn "^(find|findOne|findOneAndUpdate|findOneAndDelete|findOneAndReplace|updateOne|updateMany|deleteOne|deleteMany|countDocuments)$")
        (#match? @filter "^(req|request|ctx\\.request)\\.(body|query)$"))`
  })
]

const fileAndNetworkRules: ReadonlyArray<Rule> = [
  security({
    id: "javascript/open-redirect",
    when: /\b(req|request|ctx)\.(params|query|body|headers)\b/,
    message: "a redirect goes to a URL taken from the request",
    severity: "error",
    cwe: "CWE-601",
    level: "medium",
    fix: "redirect only to relative paths or hosts on an allow-list",
    query: q`((call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments (_) @target)) @match
      (#match? @fn "^(redirect|location)$") (#match? @target ${startsWithUserInput}))`
  }),
  security({
    id: "javascript/ssrf",
    when: /\b(req|request|ctx)\.(params|query|body|headers)\b/,
    message: "an outgoing request goes to a URL taken from the request",
    severity: "error",
    cwe: "CWE-918",
    level: "high",
    fix: "check the host against an allow-list before requesting it",
    query: q`((call_expression function: (identifier) @fn arguments: (arguments . (_) @url)) @match
        (#match? @fn "^(fetch|got|axios|request|needle|superagent)$") (#match? @url ${startsWithUserInput}))
      ((call_expression function: (member_expression object: (identifier) @client property: (property_identifier) @fn) arguments: (arguments . (_) @url)) @match
        (#match? @client "^(axios|got|http|https|request|superagent|needle|ky)$") (#match? @fn "^(get|post|put|patch|delete|head|request|stream)$")
        (#match? @url ${startsWithUserInput}))`
  }),
  security({
    id: "javascript/tls-verify-disabled",
    when: /\b(rejectUnauthorized|strictSSL)\b|NODE_TLS_REJECT_UNAUTHORIZED/,
    message: "TLS certificate verification is disabled",
    severity: "error",
    cwe: "CWE-295",
    level: "high",
    fix: "keep rejectUnauthorized: true (pass ca: to trust a private CA)",
    query: q`((pair key: (property_identifier) @key value: (false)) @match (#match? @key "^(rejectUnauthorized|strictSSL)$"))
      ((assignment_expression left: (member_expression property: (property_identifier) @key) right: (false)) @match
        (#match? @key "^(rejectUnauthorized|strictSSL)$"))
      ((assignment_expression left: [(member_expression property: (property_identifier) @variable) (subscript_expression index: (string) @variable)] right: [(string) (number)] @value) @match
        (#match? @variable "^.?NODE_TLS_REJECT_UNAUTHORIZED.?$") (#match? @value "^([\"']?)0[\"']?$"))`
  }),
  security({
    id: "javascript/tls-old-version",
    when: /\b(minVersion|secureProtocol)\b/,
    message: "SSL 3, TLS 1.0 and TLS 1.1 are broken protocol versions",
    severity: "error",
    cwe: "CWE-326",
    level: "high",
    fix: 'leave the default (TLS 1.2 and later) or set minVersion: "TLSv1.2"',
    query: q`((pair key: [(property_identifier) (string)] @key value: (string) @version) @match
      (#match? @key "^.?(minVersion|secureProtocol).?$") (#match? @version "^.(SSLv[23]|TLSv1|TLSv1\\.1|TLSv1_1)(_method|_client_method|_server_method)?.$"))`
  }),
  security({
    id: "javascript/cookie-insecure",
    when: /\.cookie\s*\(/,
    message: "a cookie is set without httpOnly: true and secure",
    severity: "error",
    cwe: "CWE-614",
    level: "high",
    fix: 'pass { httpOnly: true, secure: true, sameSite: "lax" } to res.cookie',
    // Options held in a variable are not seen; written out, both flags must be there (secure may be
    // an expression, as it often depends on the environment).
    query: q`((call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments . (_) . (_) .)) @match
        (#eq? @fn "cookie"))
      ((call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments (_) (_) (object) @options .)) @match
        (#eq? @fn "cookie")
        (#not-match? @options "httpOnly:\\s*true[\\s\\S]*secure:\\s*([^f\\s]|f[^a])|secure:\\s*([^f\\s]|f[^a])[\\s\\S]*httpOnly:\\s*true"))`
  }),
  security({
    id: "javascript/world-writable",
    when: /\b0o?[0-7]?[0-7][0-7][2367]\b/,
    message: "a file or directory is made writable by everyone",
    severity: "error",
    cwe: "CWE-732",
    level: "high",
    fix: "use 0o600 for files and 0o750 for directories",
    query: q`((call_expression function: ${callee} arguments: (arguments (_) (number) @mode)) @match
        (#match? @fn "^(chmod|chmodSync|lchmod|lchmodSync|fchmod|fchmodSync|mkdir|mkdirSync|open|openSync)$") (#match? @mode "^0o?[0-7]?[0-7][0-7][2367]$"))
      ((call_expression function: ${callee} arguments: (arguments (object (pair key: (property_identifier) @key value: (number) @mode)))) @match
        (#match? @fn "^(mkdir|mkdirSync|writeFile|writeFileSync|createWriteStream|appendFile|appendFileSync)$") (#eq? @key "mode")
        (#match? @mode "^0o?[0-7]?[0-7][0-7][2367]$"))`
  }),
  security({
    id: "javascript/cors-credentials-any-origin",
    when: /^(?=[\s\S]*\bcredentials\b)[\s\S]*\borigin\b/,
    message: "CORS allows credentials from any origin",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: "list the allowed origins (origin: ['https://app.example.com']) when credentials: true",
    // `origin: true`, `"*"` (the cors package echoes the Origin then) or a callback that approves every origin.
    query: q`((object (pair key: (property_identifier) @origin value: [(string) (true) (arrow_function) (function_expression)] @value) (pair key: (property_identifier) @credentials value: (true))) @match
        (#eq? @origin "origin") (#match? @value ${anyOrigin}) (#eq? @credentials "credentials"))
      ((object (pair key: (property_identifier) @credentials value: (true)) (pair key: (property_identifier) @origin value: [(string) (true) (arrow_function) (function_expression)] @value)) @match
        (#eq? @origin "origin") (#match? @value ${anyOrigin}) (#eq? @credentials "credentials"))`
  }),
  security({
    id: "javascript/cors-reflected-origin",
    when: /\.(setHeader|header|set|append)\(\s*["'`]Access-Control-Allow-Origin["'`]\s*,/i,
    message: "a handler echoes the request's Origin with credentials allowed: every site can read the user's responses",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: "echo the Origin only after checking it against a list of allowed origins",
    query: q`((call_expression function: (member_expression property: (property_identifier) @set) arguments: (arguments . (string) @name . (_) @value)) @match
      (#match? @set "^(setHeader|header|set|append)$") (#match? @name "^.[Aa]ccess-[Cc]ontrol-[Aa]llow-[Oo]rigin.$")
      (#match? @value ${requestOrigin}))`,
    // The function that echoes it also allows credentials, and compares the Origin with nothing.
    inside: ["function_declaration", "function_expression", "arrow_function", "method_definition"]
      .map(
        (type) => q`((${type} body: (_) @scope)
          (#match? @scope "[Aa]llow-[Cc]redentials.\\s*,\\s*(true|.true.)")
          (#not-match? @scope "[Aa]llowed|[Aa]llow[Ll]ist|[Ww]hitelist|[Oo]rigins\\.(includes|has|indexOf)\\(|origin\\s*===?|===?\\s*origin|origin\\.(endsWith|startsWith)\\("))`
      )
      .join("\n")
  }),
  security({
    id: "javascript/prototype-pollution",
    when: requestDataGate,
    message: "request input is merged deeply or used as a nested property key, which can reach Object.prototype",
    severity: "error",
    cwe: "CWE-1321",
    level: "high",
    fix: "validate the input with a schema first, or copy known fields; use a Map for user-chosen keys",
    query: q`((call_expression function: (identifier) @fn arguments: (arguments) @args) @match
        (#match? @fn "^(merge|mergeWith|defaultsDeep|deepMerge|deepmerge|setWith)$") (#match? @args ${requestData}))
      ((call_expression function: (member_expression object: (identifier) @module property: (property_identifier) @fn) arguments: (arguments) @args) @match
        (#match? @module "^(_|lodash|hoek|Hoek|\\$|jQuery)$") (#match? @fn "^(merge|mergeWith|defaultsDeep|extend|set|setWith|zipObjectDeep|applyToDefaults)$")
        (#match? @args ${requestData}))
      ((assignment_expression left: (subscript_expression object: (subscript_expression) index: (_) @key)) @match (#match? @key ${requestData}))
      ((assignment_expression left: (subscript_expression object: (subscript_expression index: (_) @key))) @match (#match? @key ${requestData}))`
  })
]

const cryptoRules: ReadonlyArray<Rule> = [
  security({
    id: "javascript/timing-attack",
    // A secret-like name beside an equality operator whose other side is no literal, undefined or null.
    when: /(token|secret|passw|signature|digest|hmac|api_?key)\w*\s*[!=]==?\s*(?!undefined\b|null\b|["'`\d])[\w$(]|[\w$)\]]\s*[!=]==?\s*[\w$.]*(token|secret|passw|signature|digest|hmac|api_?key)/i,
    message: "a secret is compared with == or ===, which stops at the first differing character",
    severity: "warning",
    cwe: "CWE-208",
    level: "medium",
    fix: "compare secrets, signatures and token digests with crypto.timingSafeEqual on equal-length buffers",
    // Both sides are values: a comparison with a literal, undefined or null reveals no secret.
    // The operator is checked by a predicate: an alternation of four tokens made this query
    // twice as slow to compile as it is to run on a file.
    query: q`((binary_expression left: (_) @a operator: _ @op right: (_) @b) @match
        (#match? @op "^[!=]==?$") (#match? @a ${secretValue}) (#not-match? @b ${notAValue}))
      ((binary_expression left: (_) @a operator: _ @op right: (_) @b) @match
        (#match? @op "^[!=]==?$") (#match? @b ${secretValue}) (#not-match? @a ${notAValue}))`
  }),
  security({
    id: "javascript/weak-hash",
    when: /\bcreateHash\b|\b(md5|sha1)\b/,
    message: "MD5 or SHA-1 hashes a password, secret or token",
    severity: "error",
    cwe: "CWE-328",
    level: "high",
    fix: "hash passwords with scrypt, argon2 or bcrypt; use sha256 (or an HMAC) for tokens and signatures",
    // A checksum that a format prescribes (git's SHA-1, an ETag's MD5) is not a finding: only
    // hashing of credential-like data, or into a credential-like name.
    query: q`((call_expression
        function: (member_expression object: (call_expression function: ${callee} arguments: (arguments . (string) @algorithm)) property: (property_identifier) @update)
        arguments: (arguments . (_) @data)) @match
        (#eq? @fn "createHash") (#match? @algorithm ${weakHash}) (#eq? @update "update") (#match? @data ${credentialData}))
      ((variable_declarator name: (identifier) @name value: (_) @value) @match
        (#match? @name ${credentialData}) (#match? @value ${weakHashCall}))
      ((call_expression function: (identifier) @fn arguments: (arguments . (_) @data)) @match
        (#match? @fn "^(md5|sha1)$") (#match? @data ${credentialData}))`
  }),
  security({
    id: "javascript/weak-cipher",
    when: /\bcreate(Cipher|Decipher)iv\b/,
    message: "DES, 3DES, RC2, RC4, Blowfish and ECB mode are weak",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: 'use an authenticated cipher: createCipheriv("aes-256-gcm", key, iv) or chacha20-poly1305',
    query: q`((call_expression function: ${callee} arguments: (arguments . (string) @algorithm)) @match
      (#match? @fn "^(createCipheriv|createDecipheriv)$")
      (#match? @algorithm ${weakCipher}))`
  }),
  security({
    id: "javascript/gcm-fixed-nonce",
    when: /\bcreateCipheriv\b/,
    message: "a GCM nonce written in the source is reused for every message, which breaks GCM",
    severity: "error",
    cwe: "CWE-323",
    level: "high",
    fix: "use a fresh crypto.randomBytes(12) per message and send it with the ciphertext",
    query: q`((call_expression function: ${callee} arguments: (arguments . (string) @algorithm . (_) . (_) @nonce)) @match
      (#eq? @fn "createCipheriv") (#match? @algorithm "^.[^\"'\`]*-(gcm|GCM|ccm|CCM|ocb|OCB)|chacha20-poly1305")
      (#match? @nonce "^([\"'\`]|Buffer\\.(from\\(\\s*[\"'\`\\[]|alloc\\()|new Uint8Array\\()"))`
  }),
  security({
    id: "javascript/create-cipher",
    when: /\bcreate(Cipher|Decipher)\b/,
    message: "crypto.createCipher derives its key with MD5 and uses no IV",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: 'derive a key with scrypt and use createCipheriv("aes-256-gcm", key, randomBytes(12))',
    // Node's takes an algorithm name; a cipher library's createCipher(core, options) is not this.
    query: q`((call_expression function: (member_expression object: (identifier) @module property: (property_identifier) @fn)) @match
        (#match? @module "^(crypto|nodeCrypto)$") (#match? @fn "^(createCipher|createDecipher)$"))
      ((call_expression function: ${callee} arguments: (arguments . (string))) @match (#match? @fn "^(createCipher|createDecipher)$"))`
  }),
  security({
    id: "javascript/insecure-random",
    when: /\bMath\.random\(/,
    message: "Math.random is predictable; it must not make secrets",
    severity: "error",
    cwe: "CWE-338",
    level: "high",
    fix: "use crypto.randomBytes, crypto.randomUUID or crypto.getRandomValues",
    query: q`([
      (variable_declarator name: (identifier) @name value: (_) @value)
      (assignment_expression left: [(identifier) @name (member_expression property: (property_identifier) @name)] right: (_) @value)
      (pair key: (property_identifier) @name value: (_) @value)
    ] @match (#match? @name ${unpredictableName}) (#match? @value "\\bMath\\.random\\("))`
  }),
  security({
    id: "javascript/hardcoded-credential",
    when: /(pass|secret|token|api_?key|private_?key|access_?key)[\w"'`]*\s*(:[^=\n;,]*)?[:=]\s*["'`]/i,
    message: "a credential is hard-coded in the source",
    severity: "error",
    cwe: "CWE-798",
    level: "high",
    fix: "read it from the environment (process.env) or a secret store",
    // Only a non-empty string literal: `process.env.TOKEN ?? ""` and `token: string` are not
    // matched, nor a local reassigned (`lastToken = "?JSX"`), which is how lexers and state machines read.
    query: q`([
      (variable_declarator name: (identifier) @name value: (string (string_fragment) @value) @match)
      (assignment_expression left: (member_expression property: (property_identifier) @name) right: (string (string_fragment) @value) @match)
      (pair key: [(property_identifier) @name (string (string_fragment) @name)] value: (string (string_fragment) @value) @match)
    ] (#match? @name ${secretName}) (#match? @value "^\\S{4,}$") (#not-match? @value ${notACredential}))`
  }),
  security({
    id: "javascript/jwt-hardcoded-secret",
    when: /\b(jwt|JWT|jsonwebtoken)\b/,
    message: "a JWT is signed or verified with a secret hard-coded in the source",
    severity: "error",
    cwe: "CWE-798",
    level: "high",
    fix: "read the signing key from the environment or a secret store",
    query: q`((call_expression function: (member_expression object: (identifier) @module property: (property_identifier) @fn)
        arguments: (arguments . (_) . (string (string_fragment)) @match))
      (#match? @module "^(jwt|jsonwebtoken|JWT)$") (#match? @fn "^(sign|verify)$"))`
  }),
  security({
    id: "javascript/jwt-none-algorithm",
    when: /\balgorithms?\b[\s\S]*\b[Nn][Oo][Nn][Ee]\b/,
    message: 'JWT algorithm "none" accepts unsigned tokens',
    severity: "error",
    cwe: "CWE-347",
    level: "critical",
    fix: 'list the real algorithms: algorithms: ["RS256"] (or HS256 with a strong secret)',
    query: q`((pair key: (property_identifier) @key value: [(string) @algorithm (array (string) @algorithm)]) @match
      (#match? @key "^algorithms?$") (#match? @algorithm "^.[Nn][Oo][Nn][Ee].$"))`
  }),
  security({
    id: "javascript/jwt-verify-without-secret",
    when: /\b(jwt|JWT|jsonwebtoken)\b/,
    message: "jwt.verify is called without a secret or key",
    severity: "error",
    cwe: "CWE-347",
    level: "critical",
    fix: "pass the secret or public key and the expected algorithms: jwt.verify(token, key, { algorithms: [...] })",
    query: q`((call_expression function: (member_expression object: (identifier) @module property: (property_identifier) @fn) arguments: (arguments . (_) .)) @match
        (#match? @module "^(jwt|jsonwebtoken|JWT)$") (#eq? @fn "verify"))
      ((call_expression function: (member_expression object: (identifier) @module property: (property_identifier) @fn) arguments: (arguments . (_) . (_) @key)) @match
        (#match? @module "^(jwt|jsonwebtoken|JWT)$") (#eq? @fn "verify") (#match? @key ${noKey}))`
  })
]

const dataAndMarkupRules: ReadonlyArray<Rule> = [
  security({
    id: "javascript/unsafe-deserialization",
    when: /\b(unserialize|deepDeserialize|deserialize)\b/,
    message: "this deserialiser can run code or corrupt memory from its input",
    severity: "error",
    cwe: "CWE-502",
    level: "critical",
    fix: "exchange data as JSON (JSON.parse) and validate it with a schema",
    // node-serialize's unserialize and funcster revive functions; v8.deserialize trusts its bytes.
    query: q`((call_expression function: ${callee}) @match (#match? @fn "^(unserialize|deepDeserialize)$"))
      ((call_expression function: (member_expression object: (identifier) @module property: (property_identifier) @fn)) @match
        (#eq? @module "v8") (#eq? @fn "deserialize"))`
  }),
  security({
    id: "javascript/yaml-unsafe-load",
    when: /FULL_SCHEMA|js-types/,
    message: "YAML loaded with the full schema can build functions and regexps from its input",
    severity: "error",
    cwe: "CWE-502",
    level: "high",
    fix: "use the default schema of js-yaml 4 (yaml.load(text)) or the yaml package's parse",
    query: q`((call_expression function: ${callee} arguments: (arguments) @args) @match
      (#match? @fn "^(load|loadAll|safeLoad)$") (#match? @args "\\b(DEFAULT_FULL_SCHEMA|FULL_SCHEMA)\\b|js-types"))`
  }),
  security({
    id: "javascript/inner-html",
    when: /\b(innerHTML|outerHTML)\b/,
    message: "markup built at run time is assigned to innerHTML/outerHTML",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "set textContent, build nodes with createElement, or sanitise with DOMPurify.sanitize",
    query: q`([
      (assignment_expression left: (member_expression property: (property_identifier) @property) right: ${dynamic} @value)
      (augmented_assignment_expression left: (member_expression property: (property_identifier) @property) right: ${dynamic} @value)
    ] @match (#match? @property "^(innerHTML|outerHTML)$") (#not-match? @value ${sanitized}))`
  }),
  security({
    id: "javascript/document-write",
    when: /\bdocument\b/,
    message: "document.write inserts markup built at run time",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "create the nodes with createElement and textContent",
    query: q`((call_expression function: (member_expression object: (identifier) @object property: (property_identifier) @fn) arguments: (arguments . ${dynamic} @value)) @match
      (#eq? @object "document") (#match? @fn "^(write|writeln)$") (#not-match? @value ${sanitized}))`
  }),
  security({
    id: "javascript/insert-adjacent-html",
    when: /\b(insertAdjacentHTML|createContextualFragment)\b/,
    message: "insertAdjacentHTML/createContextualFragment parses markup built at run time",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "use insertAdjacentText or createElement, or sanitise with DOMPurify.sanitize",
    query: q`((call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments . (_) . ${dynamic} @value)) @match
        (#eq? @fn "insertAdjacentHTML") (#not-match? @value ${sanitized}))
      ((call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments . ${dynamic} @value)) @match
        (#eq? @fn "createContextualFragment") (#not-match? @value ${sanitized}))`
  }),
  security({
    id: "javascript/dangerously-set-inner-html",
    when: /\b__html\b/,
    message: "React renders markup built at run time through dangerouslySetInnerHTML",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "render the text as children, or sanitise it with DOMPurify.sanitize first",
    // The `{ __html }` object is what the prop takes, in JSX and in createElement alike.
    query: q`((pair key: (property_identifier) @key value: ${dynamic} @value) @match (#eq? @key "__html") (#not-match? @value ${sanitized}))`
  }),
  security({
    id: "javascript/reflected-xss",
    when: /\b(res|response)\.(send|write|end)\b/,
    message: "request input is written into the response without escaping",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "render through a template engine that escapes, or escape the value; send data with res.json",
    // Express sends a string as text/html; Fastify's reply.send sends it as text/plain: res only.
    query: q`((call_expression function: (member_expression object: (identifier) @response property: (property_identifier) @fn)
        arguments: (arguments . [(binary_expression) (template_string (template_substitution)) (member_expression)] @body)) @match
      (#match? @response "^(res|response)$") (#match? @fn "^(send|write|end)$")
      (#match? @body ${userInput}) (#not-match? @body ${sanitized}) (#not-match? @body "^(req|request)\\.(body|query|params|headers|cookies)$"))`
  })
]

const performanceRules: ReadonlyArray<Rule> = [
  performance({
    id: "javascript/sync-io-in-async",
    when: /\b(readFile|writeFile|appendFile|readdir|copyFile|cp|exec|execFile|spawn)Sync\b/,
    message: "a synchronous file or process call inside an async function blocks the event loop",
    fix: "use the promise API (fs/promises, util.promisify(execFile)) and await it",
    query: q`((call_expression function: ${callee}) @match (#match? @fn ${blockingCall}))`,
    inside: asyncBody
  }),
  performance({
    id: "javascript/await-in-loop",
    when: /^(?=[\s\S]*\bawait\b)[\s\S]*\bfor\b/,
    message: "each item's result is awaited in turn inside a loop, so the calls run one after another",
    fix: "start them together: const results = await Promise.all(items.map((item) => work(item)))",
    // Only awaits whose result is stored per item (push, add, set, results[key] =): the shape of
    // independent work. An await in a loop that walks, searches, retries or runs hooks in order is
    // not matched, and queries are javascript/query-in-loop's: one finding, not two.
    query: q`((call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments (await_expression) @match))
        (#match? @fn "^(push|add|set)$") (#not-match? @match ${awaitedQuery}) (#not-match? @match ${sequencedAwait}))
      ((assignment_expression left: (subscript_expression) right: (await_expression) @match)
        (#not-match? @match ${awaitedQuery}) (#not-match? @match ${sequencedAwait}))`,
    inside: collectionLoopBody
  }),
  performance({
    id: "javascript/query-in-loop",
    when: /^(?=[\s\S]*\bawait\b)(?=[\s\S]*\bfor\b)[\s\S]*(\b(query|queryOne|execute|find|findOne|findById|findByPk|findUnique|findFirst|findMany|findAll|findOneBy|findBy|fetch)|\$queryRaw)\b/,
    message: "a query or request per iteration (N+1 queries)",
    fix: "fetch all rows in one query (WHERE id = ANY($1), IN (...), include/join) or batch the requests",
    query: q`((await_expression (call_expression function: ${callee})) @match (#match? @fn ${queryCall}) (#not-match? @match ${sequencedAwait}))`,
    inside: collectionLoopBody
  }),
  performance({
    id: "javascript/nested-loop-same-collection",
    message: "a loop over a collection inside a loop over the same collection is quadratic",
    fix: "index the collection once in a Map or Set and look items up",
    // A callback pipeline on a module (Effect.map(…, () => Effect.map(…))) is not a collection: lowercase receivers only.
    query: q`(for_in_statement right: (_) @outer
        body: [(statement_block (for_in_statement right: (_) @inner) @match) (for_in_statement right: (_) @inner) @match]
        (#eq? @outer @inner))
      ((call_expression function: (member_expression object: (_) @outer property: (property_identifier) @method)
        arguments: (arguments . (arrow_function body: (call_expression function: (member_expression object: (_) @inner property: (property_identifier) @innerMethod)) @match)))
        (#eq? @outer @inner) (#match? @outer "^[a-z][\\w$.]*$") (#match? @method "^(map|filter|forEach|some|every|find|findIndex|flatMap)$")
        (#match? @innerMethod "^(map|filter|forEach|some|every|find|findIndex|flatMap|includes|indexOf)$"))`
  }),
  performance({
    id: "javascript/regexp-in-loop",
    when: /\bRegExp\b/,
    message: "a constant regular expression is built on every iteration",
    fix: "build it once, outside the loop (a module-level constant or a regex literal)",
    // A pattern made from the loop's values has to be built per iteration: literals only.
    query: q`((new_expression constructor: (identifier) @ctor arguments: (arguments . [(string) (template_string)] @pattern)) @match
      (#eq? @ctor "RegExp") (#not-match? @pattern "\\$\\{"))`,
    inside: loopBody
  }),
  performance({
    id: "javascript/json-deep-clone",
    when: /\bJSON\.parse\b/,
    message: "JSON.parse(JSON.stringify(x)) is a slow deep copy that drops dates, maps and undefined",
    fix: "use structuredClone(x)",
    query: q`((call_expression
        function: (member_expression object: (identifier) @json property: (property_identifier) @parse)
        arguments: (arguments . (call_expression function: (member_expression object: (identifier) @json2 property: (property_identifier) @stringify) arguments: (arguments . (_) .)) .)) @match
      (#eq? @json "JSON") (#eq? @parse "parse") (#eq? @json2 "JSON") (#eq? @stringify "stringify"))`
  }),
  performance({
    id: "javascript/dedupe-with-includes",
    when: /^(?=[\s\S]*\b(includes|indexOf)\b)[\s\S]*\bpush\b/,
    // Its query is among the costliest to compile (about 50 ms): a file where no one list is both
    // looked up and pushed to skips it.
    sameReceiver: [["includes", "indexOf"], ["push"]],
    message: "deduplicating into an array with includes/indexOf in a loop is quadratic",
    fix: "collect into a Set (new Set(items), set.add) and spread it if an array is needed",
    // `if (!list.includes(x)) list.push(x)`: a precise shape; a lookup in a small constant list is not matched.
    // `#eq?` of a capture that the matched branch leaves out holds: each branch's own captures are checked.
    query: q`(if_statement
      condition: (parenthesized_expression [${notInList.join(" ")}])
      consequence: [(expression_statement ${pushTo}) (statement_block . (expression_statement ${pushTo}))]
      (#eq? @includes "includes") (#eq? @indexOf "indexOf") (#eq? @one "1")
      (#eq? @list @target) (#eq? @item @pushed) (#eq? @push "push")) @match`,
    inside: iterationBody
  })
]

/** The JavaScript and TypeScript rules, for the `typescript`, `tsx` and `javascript` grammars. */
export const typescript: RuleSet = {
  language: "javascript",
  grammars: ["typescript", "tsx", "javascript"],
  functionTypes: [
    "function_declaration",
    "function_expression",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "generator_function"
  ],
  rules: [
    ...injectionRules,
    ...fileAndNetworkRules,
    ...cryptoRules,
    ...dataAndMarkupRules,
    ...regexRules,
    ...typescriptFlowRules,
    ...performanceRules
  ],
  flow: typescriptFlow
}
