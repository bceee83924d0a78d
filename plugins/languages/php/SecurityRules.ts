/**
 * Security and performance rules for PHP, as tree-sitter queries on the `php` grammar (PHP with
 * its inline HTML: `<?= … ?>` is an echo). Plain PHP, Laravel and Symfony idioms are covered:
 * request input is `$_GET` and its kin, `$request->input(…)`, `request('…')`.
 *
 * Names that suggest secrets and expressions that suggest request input are matched by text: the
 * rules are heuristics, tuned so that idiomatic code does not trip them.
 */
import { performance, q, type Rule, type RuleSet, re, security } from "../../quality/tree-sitter/Rule.ts"

/** The name of a called function, bare (`exec(…)`) or qualified (`\exec(…)`): `@fn`. */
const fn = q`function: [(name) @fn (qualified_name (name) @fn)]`
/**
 * An argument's text built at run time: it holds a variable, an interpolation or a call, and is
 * not a single-quoted literal (where `$` is literal), a literal without `$`, or an argument array.
 */
const runTime = re(/[$(]/)
const notRunTime = re(/^('[^']*'|"[^"$]*"|\[[\s\S]*\]|array\([\s\S]*\))$/)

/** Text that reads from the HTTP request: superglobals, the request headers PHP exposes, Laravel and Symfony requests. */
const userInputPattern =
  /\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\[\s*["'](HTTP_\w+|PHP_SELF|REQUEST_URI|QUERY_STRING|PATH_INFO)["']|\$(request|req)->(input|query|get|post|cookie|header|all|route|request|file)\b|\brequest\(\)->(input|query|get|post|all)\b|\brequest\(\s*["']|\bInput::(get|all)\b|\bfilter_input\(|php:\/\/input/
const userInput = re(userInputPattern)
/** Request fields that name things (paths, URLs, callbacks): `userInput` without uploads and headers. */
const requestDataPattern =
  /\$_(GET|POST|REQUEST|COOKIE)\b|\$(request|req)->(input|query|get|post|cookie|route|request)\b|\brequest\(\)->(input|query|get|post)\b|\brequest\(\s*["']|\bInput::get\b|\bfilter_input\(/
const requestData = re(requestDataPattern)
/** An expression whose text starts with request input: a target taken whole from the request. */
const startsWithRequestData = re(
  /^(\$_(GET|POST|REQUEST|COOKIE)\b|\$(request|req)->(input|query|get|post)\b|request\(\)->(input|query|get|post)\b|request\(\s*["'])/
)
/** Request fields that name a URL, by their key: `$_GET['url']`, `$request->input('callback_uri')`. */
const urlField = re(/[Uu]rl|URL|(\b|_)[Uu]ri\b|URI|[Ll]ink|[Hh]ref|[Ee]ndpoint|[Ff]eed|[Ww]ebhook|[Cc]allback/)
/** Calls that escape markup or turn a value into a number or JSON: their result is safe to print. */
const escaped = re(
  /htmlspecialchars|htmlentities|strip_tags|\besc_(html|attr|url|js|textarea)\b|\be\(|intval|floatval|\((int|float|bool)\)|json_encode|urlencode|rawurlencode|number_format|filter_var|[Ee]scape|[Pp]urif/
)
/** Request input in printed text, not only tested with isset/empty: `echo isset($_GET['x']) ? 'a' : 'b'` prints none. */
const printedInput = re(
  /(?<!\b(isset|empty)\(\s*)(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\[\s*["'](HTTP_\w+|PHP_SELF|REQUEST_URI|QUERY_STRING|PATH_INFO)["'])|\$(request|req)->(input|query|get|post|cookie|header|route)\b|\brequest\(\)->(input|query|get|post)\b|\brequest\(\s*["']/
)

/** A name that holds a credential: `password`, `dbPassword`, `DB_PASSWORD`, `api_key`, `clientSecret`; not `bypass` or `tokenType`. */
const secretName = re(
  /((^|_)(pass|passwd|password|secret|token|api_?[Kk]ey|private_?[Kk]ey|access_?[Kk]ey|client_?[Ss]ecret)|(^|[a-z0-9])(Pass|Passwd|Password|Secret|Token|Api[Kk]ey|APIKey|PrivateKey|AccessKey|ClientSecret)|(^|_)(PASS|PASSWD|PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CLIENT_?SECRET))$/
)
/**
 * String contents that are not a credential although given to a credential's name: an env
 * variable's or config key's name, a header, a label, a mask, a placeholder, the word itself,
 * Laravel's validation rules (`required|min:8`) and casts (`hashed`).
 */
const notACredential = re(
  /^([A-Z][A-Z0-9]*(_[A-Z0-9]+)+|[A-Z]+|[a-z]+([-_.][a-z]+)+|[A-Za-z]+(-[A-Za-z]+)+|[A-Z][a-z]+|[*•xX.]+|\$\{?\w+\}?|%\w+%|\{\{.*\}\}|<.*>|[Pp]ass(wd|word)?|[Ss]ecret|[Tt]oken|[Aa]pi[-_]?[Kk]ey|hashed|encrypted|required|nullable|sometimes|confirmed|string|bcrypt|argon2i?d?|current_password|.*\|.*|[a-z_]+:.*)$/
)
/** Names of values that must be unpredictable: tokens, secrets, nonces, salts, one-time codes, session ids. */
const unpredictableName = re(
  /([Tt]oken|TOKEN|[Ss]ecret|SECRET|[Pp]assword|PASSWORD|[Nn]once|NONCE|[Ss]alt|SALT|[Oo]tp|OTP|(api|Api|secret|Secret|private|Private|session|Session|access|Access|signing|Signing|encryption|Encryption)_?[Kk]ey|[Ss]ession_?[Ii]d|SESSION_?ID|[Cc]srf|CSRF|[Rr]eset_?[Cc]ode|[Vv]erification_?[Cc]ode|[Pp]in_?[Cc]ode)$/
)
/** Calls whose results an attacker can predict or reproduce: the Mersenne Twister, uniqid, the clock. */
const predictablePattern =
  /\b(rand|mt_rand|uniqid|lcg_value|str_shuffle|array_rand)\s*\(|\b(md5|sha1)\s*\(\s*(time|microtime)\s*\(/
const predictable = re(predictablePattern)
/** Names and expressions of password-like data; `passport`, `bypass` and `compass` are not. */
const passwordData = re(
  /(^|[^A-Za-z])(pass|passwd|password|pwd|secret)(?![a-z])|(Pass|Passwd|Password|Pwd|Secret)(?![a-z])|(PASS|PASSWD|PASSWORD|PWD|SECRET)(?![A-Z])/
)
/** Cipher names of DES, 3DES, RC2, RC4, Blowfish, CAST, IDEA, or any cipher in ECB mode, quoted. */
const weakCipher = re(
  /^.((des|DES|des3|DES3|rc[24]|RC[24]|bf|BF|blowfish|cast5?|CAST5?|idea|IDEA)\b|[^"']*-(ecb|ECB).$)/
)
/** Text that reads as a SQL statement. */
const sqlTextPattern =
  /\b(SELECT|select)\b[\s\S]*\b(FROM|from)\b|\b(INSERT|insert)\s+(INTO|into)\b|\b(UPDATE|update)\s+[\w."`{}$>-]+\s+(SET|set)\b|\b(DELETE|delete)\s+(FROM|from)\b/
const sqlText = re(sqlTextPattern)
/**
 * A value spliced into SQL where a value goes (after `=`, `<`, `LIKE`, `IN (`, `VALUES (`, a
 * quote), by interpolation (`= '$name'`, `= {$id}`) or by `.` (`= '" . $name`). Class constants,
 * `(int)` casts, `->quote(…)` and the placeholders of a list (`$placeholders`, `array_fill(…, '?')`)
 * are not values.
 */
const sqlValue = re(
  /(=|<|>|\b(LIKE|like|IN|in|LIMIT|limit|OFFSET|offset|VALUES|values)|\()\s*'?%?(\{?\$(?!\w*([Pp]laceholder|[Mm]arks|[Bb]indings))|["']\s*\.(?!\s*((self|static|parent|[A-Z]\w*)::|[A-Z][A-Z0-9_]*\b|\((int|float)\)|(intval|floatval|count)\(|implode\([^)]*array_fill|str_repeat\(|\$\w*([Pp]laceholder|[Mm]arks)|(\$\w+->)+quote\(|(mysqli_)?real_escape_string\(|(\$\w+->)+real_escape_string\()))/
)
/** Variables that hold SQL text by their name. */
const sqlVariable = re(/([Ss]ql|SQL|[Qq]uery|QUERY|[Ww]here|WHERE)$/)
/** Database connections by their name: `$pdo`, `$db`, `$this->connection`, `$mysqli`, `$wpdb`. */
const connection = re(/([Pp]do|PDO|[Dd]b|DB|[Dd]bh|[Cc]onn|[Cc]onnection|[Mm]ysqli|[Dd]atabase|wpdb)$/)
/** Laravel facades and helpers whose `where`/`query`/`select` are not database queries. */
const notAModel = re(
  /^(Arr|Str|Collection|LazyCollection|Http|Route|Cache|Config|Session|Validator|Rule|Storage|Log|View|URL)$/
)
/** A file name the client chose: `$_FILES[…]['name']`, `getClientOriginalName()`. */
const clientFileName = re(/\$_FILES\[[^\]]+\]\s*\[\s*["']name["']\s*\]|getClientOriginalName\(\)|getClientFilename\(\)/)

/** Bodies of every loop. */
const loopBody = q`[(foreach_statement body: (_) @scope) (for_statement body: (_) @scope) (while_statement body: (_) @scope) (do_statement body: (_) @scope)]`
/** Callbacks that run once per item: array_map and kin, and Laravel collections' each/map. */
const itemCallbacks = q`((function_call_expression function: (name) @callback arguments: (arguments (argument [(anonymous_function body: (_) @scope) (arrow_function body: (_) @scope)])))
    (#match? @callback "^(array_map|array_filter|array_walk|array_reduce|usort|uasort|uksort)$"))
  ((member_call_expression name: (name) @callback arguments: (arguments (argument [(anonymous_function body: (_) @scope) (arrow_function body: (_) @scope)])))
    (#match? @callback "^(each|map|flatMap|filter|reject|transform|mapWithKeys|reduce|sortBy|groupBy|keyBy|every|sum)$"))`
/**
 * Bodies of loops that walk items, and of per-item callbacks: foreach, counted loops, and while
 * loops that assign each item in their condition (`while ($row = $result->fetch())`). A while
 * loop on a flag or `true` polls, where a query per turn is the point.
 */
const itemLoopBody = q`(foreach_statement body: (_) @scope)
  (for_statement body: (_) @scope)
  (while_statement condition: (parenthesized_expression [(assignment_expression) (binary_expression left: (parenthesized_expression (assignment_expression)))]) body: (_) @scope)
  ${itemCallbacks}`
/**
 * Bodies of loops over a collection (`foreach`) and of per-item callbacks: `while` and counted
 * loops also poll and retry, where a wait or a request per turn is the point.
 */
const collectionBody = q`(foreach_statement body: (_) @scope)
  ${itemCallbacks}`

/**
 * Code that runs a command where nothing escapes one: top-level code in a file, and function
 * bodies, that never call escapeshellarg/escapeshellcmd. A command kept in a variable is taken as
 * escaped when the function that builds and runs it escapes its parts.
 */
const unescapedCommandScope = q`((program) @scope (#not-match? @scope "escapeshell(arg|cmd)\\("))
  ((function_definition body: (_) @scope) (#not-match? @scope "escapeshell(arg|cmd)\\("))
  ((method_declaration body: (_) @scope) (#not-match? @scope "escapeshell(arg|cmd)\\("))
  ((anonymous_function body: (_) @scope) (#not-match? @scope "escapeshell(arg|cmd)\\("))
  ((arrow_function body: (_) @scope) (#not-match? @scope "escapeshell(arg|cmd)\\("))`

/** A gate (`when`) for a predicate's own pattern, unanchored: a node's text is part of the file's. */
const userInputGate = new RegExp(userInputPattern.source)
const requestDataGate = new RegExp(requestDataPattern.source)

const injectionRules: ReadonlyArray<Rule> = [
  security({
    id: "php/command-injection",
    when: /\b(exec|system|shell_exec|passthru|popen|proc_open|pcntl_exec)\b/,
    message: "a shell command built at run time is run (exec, system, shell_exec, passthru, popen, proc_open)",
    severity: "error",
    cwe: "CWE-78",
    level: "critical",
    fix: "quote every value with escapeshellarg, or pass proc_open an array of arguments (no shell); better, use a library call instead of a command",
    // proc_open's array form has no shell; a function that escapes with escapeshellarg is taken as handling its commands.
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument) @command)) @match
      (#match? @fn "^(exec|system|shell_exec|passthru|popen|proc_open|pcntl_exec)$")
      (#match? @command ${runTime}) (#not-match? @command ${notRunTime}))`,
    inside: unescapedCommandScope
  }),
  security({
    id: "php/backtick-command",
    when: /`/,
    message: "a backtick command interpolates a variable: it runs through the shell",
    severity: "error",
    cwe: "CWE-78",
    level: "critical",
    fix: "use proc_open with an array of arguments, or escapeshellarg every value and call shell_exec",
    query: q`(shell_command_expression [(variable_name) (subscript_expression) (member_access_expression) (member_call_expression) (function_call_expression)]) @match`,
    inside: unescapedCommandScope
  }),
  security({
    id: "php/eval",
    when: /\beval\b/,
    message: "eval runs PHP code built at run time",
    severity: "error",
    cwe: "CWE-95",
    level: "critical",
    fix: "never evaluate text: decode data with json_decode and dispatch on it with a match or a map of closures",
    query: q`((function_call_expression function: (name) @fn arguments: (arguments . (argument) @code)) @match
      (#eq? @fn "eval") (#match? @code ${runTime}) (#not-match? @code ${notRunTime}))`
  }),
  security({
    id: "php/assert-string",
    when: /\bassert\b/,
    message: "assert given a string evaluates it as PHP code (before PHP 8)",
    severity: "error",
    cwe: "CWE-95",
    level: "high",
    fix: "assert an expression, not a string: assert($count > 0)",
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument [(string) (encapsed_string) (heredoc) (binary_expression operator: ".")]))) @match
      (#eq? @fn "assert"))`
  }),
  security({
    id: "php/create-function",
    when: /\bcreate_function\b/,
    message: "create_function compiles its body with eval (and was removed in PHP 8)",
    severity: "error",
    cwe: "CWE-95",
    level: "high",
    fix: "write a closure: function ($a) { … } or fn ($a) => …",
    query: q`((function_call_expression ${fn}) @match (#eq? @fn "create_function"))`
  }),
  security({
    id: "php/preg-replace-eval",
    when: /\bpreg_replace\b/,
    message: "the /e modifier makes preg_replace evaluate the replacement as PHP code",
    severity: "error",
    cwe: "CWE-95",
    level: "critical",
    fix: "use preg_replace_callback with a closure",
    // The pattern's modifiers follow its closing delimiter: '/…/ie', "#…#e".
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument [(string) (encapsed_string)] @pattern))) @match
      (#eq? @fn "preg_replace") (#match? @pattern "^.([^A-Za-z0-9\\s\\\\])[\\s\\S]*\\1[A-Za-z]*e[A-Za-z]*.$"))`
  }),
  security({
    id: "php/dynamic-call-from-input",
    when: requestDataGate,
    message: "a function or class is chosen by request input",
    severity: "error",
    cwe: "CWE-94",
    level: "critical",
    fix: "map the allowed names to callables (a match or an array of closures) and reject anything else",
    query: q`((function_call_expression function: [(subscript_expression) (member_call_expression) (function_call_expression)] @callee) @match
        (#match? @callee ${startsWithRequestData}))
      ((function_call_expression ${fn} arguments: (arguments . (argument) @callback)) @match
        (#match? @fn "^(call_user_func|call_user_func_array|forward_static_call|forward_static_call_array|array_map)$")
        (#match? @callback ${startsWithRequestData}))
      ((object_creation_expression [(subscript_expression) (member_call_expression) (function_call_expression)] @class) @match
        (#match? @class ${startsWithRequestData}))`
  }),
  security({
    id: "php/unsafe-deserialization",
    when: /\bunserialize\b/,
    message: "unserialize without allowed_classes instantiates any class its input names (object injection)",
    severity: "error",
    cwe: "CWE-502",
    level: "critical",
    fix: "exchange data as JSON (json_decode), or pass ['allowed_classes' => false] (or a list) to unserialize",
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument) @data) @args) @match
      (#eq? @fn "unserialize") (#match? @data ${runTime}) (#not-match? @data ${notRunTime}) (#not-match? @args "allowed_classes"))`
  }),
  security({
    id: "php/sql-injection",
    when: /sql|query|where|select|insert|update|delete/i,
    message: "SQL is built by interpolating or concatenating a value",
    severity: "error",
    cwe: "CWE-89",
    level: "critical",
    fix: "use a prepared statement with placeholders: $pdo->prepare('… WHERE id = ?')->execute([$id]), or the query builder's bindings",
    // Passed to a query (mysqli_query, pg_query, ->query/->exec/->prepare, DB::select, whereRaw…)
    // or kept in a variable named for SQL; in both, the value must sit where SQL takes a value.
    query: q`((function_call_expression ${fn} arguments: (arguments (argument [(encapsed_string) (binary_expression) (heredoc)] @match)))
        (#match? @fn "^(mysqli_query|mysqli_real_query|mysqli_multi_query|mysqli_prepare|mysql_query|mysql_unbuffered_query|pg_query|pg_send_query|pg_prepare|sqlsrv_query|oci_parse|db_query)$")
        (#match? @match ${sqlText}) (#match? @match ${sqlValue}))
      ((member_call_expression name: (name) @fn arguments: (arguments (argument [(encapsed_string) (binary_expression) (heredoc)] @match)))
        (#match? @fn "^(query|exec|prepare|multi_query|real_query|execute|executeQuery|executeStatement|executeUpdate|fetchAll|fetchAssoc|fetchOne|fetchAllAssociative|fetchAssociative|get_results|get_row|get_var|get_col|select|selectOne|statement|unprepared|raw|whereRaw|orWhereRaw|selectRaw|havingRaw|orderByRaw|fromRaw|createNativeQuery|createQuery)$")
        (#match? @match ${sqlText}) (#match? @match ${sqlValue}))
      ((nullsafe_member_call_expression name: (name) @fn arguments: (arguments (argument [(encapsed_string) (binary_expression) (heredoc)] @match)))
        (#match? @fn "^(query|exec|prepare|execute|select|statement)$")
        (#match? @match ${sqlText}) (#match? @match ${sqlValue}))
      ((scoped_call_expression name: (name) @fn arguments: (arguments (argument [(encapsed_string) (binary_expression) (heredoc)] @match)))
        (#match? @fn "^(select|selectOne|insert|update|delete|statement|unprepared|raw|cursor)$")
        (#match? @match ${sqlText}) (#match? @match ${sqlValue}))
      ((assignment_expression left: [(variable_name (name) @name) (member_access_expression name: (name) @name)] right: [(encapsed_string) (binary_expression) (heredoc)] @match)
        (#match? @name ${sqlVariable}) (#match? @match ${sqlText}) (#match? @match ${sqlValue}))
      ((augmented_assignment_expression left: [(variable_name (name) @name) (member_access_expression name: (name) @name)] operator: ".=" right: [(encapsed_string) (binary_expression) (heredoc)] @match)
        (#match? @name ${sqlVariable}) (#match? @match ${sqlValue}))`
  }),
  security({
    id: "php/file-inclusion",
    when: requestDataGate,
    message: "include/require loads a file named by request input",
    severity: "error",
    cwe: "CWE-98",
    level: "critical",
    fix: "include only fixed files: map the allowed page names to paths (a match or an array) and reject anything else",
    query: q`([(include_expression) (include_once_expression) (require_expression) (require_once_expression)] @match
      (#match? @match ${requestData}))`
  }),
  security({
    id: "php/extract-input",
    when: /\b(extract|parse_str|import_request_variables)\b/,
    message: "request input is turned into local variables, which lets a client overwrite any of them",
    severity: "error",
    cwe: "CWE-621",
    level: "high",
    fix: "read the fields you need by name ($_POST['name'] ?? null, $request->validated()); give parse_str its result array",
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument) @data)) @match
        (#match? @fn "^(extract|import_request_variables)$") (#match? @data ${userInput}))
      ((function_call_expression ${fn} arguments: (arguments . (argument) .)) @match (#eq? @fn "parse_str"))`
  }),
  security({
    id: "php/mass-assignment",
    when: /\b(all|input)\(\)|\$_(POST|GET|REQUEST)\b/,
    message: "a model is created or filled with every field of the request (mass assignment)",
    severity: "error",
    cwe: "CWE-915",
    level: "medium",
    fix: "pass the validated fields only: $request->validated() or $request->only(['name', 'email'])",
    query: q`((member_call_expression name: (name) @fn arguments: (arguments . (argument) @data)) @match
        (#match? @fn "^(create|forceCreate|fill|forceFill|update|firstOrCreate|updateOrCreate|firstOrNew|make|newInstance)$")
        (#match? @data "^(\\$(request|req)->(all|input)\\(\\)|request\\(\\)->(all|input)\\(\\)|Input::all\\(\\)|\\$_(POST|GET|REQUEST))$"))
      ((scoped_call_expression name: (name) @fn arguments: (arguments . (argument) @data)) @match
        (#match? @fn "^(create|forceCreate|firstOrCreate|updateOrCreate|firstOrNew|make|insert)$")
        (#match? @data "^(\\$(request|req)->(all|input)\\(\\)|request\\(\\)->(all|input)\\(\\)|Input::all\\(\\)|\\$_(POST|GET|REQUEST))$"))`
  })
]

const fileAndNetworkRules: ReadonlyArray<Rule> = [
  security({
    id: "php/path-traversal",
    when: requestDataGate,
    message: "a file path is built from request input",
    severity: "error",
    cwe: "CWE-22",
    level: "high",
    fix: "keep only the file's name (basename) or map ids to paths; then check realpath() stays under the base directory",
    // A request field named for a URL is php/ssrf's; basename() keeps a name and drops the directories.
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument) @path)) @match
        (#match? @fn "^(file_get_contents|file_put_contents|fopen|readfile|file|unlink|rmdir|mkdir|copy|rename|opendir|scandir|dir|glob|is_file|file_exists|filesize|fpassthru|show_source|highlight_file|parse_ini_file|simplexml_load_file|touch|chmod|tempnam)$")
        (#match? @path ${requestData}) (#not-match? @path ${urlField}) (#not-match? @path "\\bbasename\\("))
      ((member_call_expression name: (name) @fn arguments: (arguments . (argument) @path)) @match
        (#match? @fn "^(download|file|sendFile)$")
        (#match? @path ${requestData}) (#not-match? @path ${urlField}) (#not-match? @path "\\bbasename\\("))
      ((scoped_call_expression scope: (name) @scope name: (name) @fn arguments: (arguments . (argument) @path)) @match
        (#eq? @scope "Storage") (#match? @fn "^(get|download|delete|readStream|path|url|response)$")
        (#match? @path ${requestData}) (#not-match? @path ${urlField}) (#not-match? @path "\\bbasename\\("))`
  }),
  security({
    id: "php/ssrf",
    when: requestDataGate,
    message: "the server requests a URL taken from the request (server-side request forgery)",
    severity: "error",
    cwe: "CWE-918",
    level: "high",
    fix: "check the URL's scheme and host against an allow-list (and refuse private addresses) before requesting it",
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument) @url)) @match
        (#match? @fn "^(curl_init|get_headers|fsockopen|getimagesize)$") (#match? @url ${requestData}))
      ((function_call_expression ${fn} arguments: (arguments (argument (name) @option) . (argument) @url)) @match
        (#eq? @fn "curl_setopt") (#eq? @option "CURLOPT_URL") (#match? @url ${requestData}))
      ((function_call_expression ${fn} arguments: (arguments . (argument) @url)) @match
        (#match? @fn "^(file_get_contents|fopen|readfile|file|simplexml_load_file)$") (#match? @url ${requestData}) (#match? @url ${urlField}))
      ((scoped_call_expression scope: (name) @scope name: (name) @fn arguments: (arguments . (argument) @url)) @match
        (#eq? @scope "Http") (#match? @fn "^(get|post|put|patch|delete|head|send)$") (#match? @url ${requestData}))
      ((member_call_expression object: (_) @client name: (name) @fn arguments: (arguments (argument) @url)) @match
        (#match? @client "([Cc]lient|[Hh]ttp|[Gg]uzzle)$") (#match? @fn "^(get|post|put|patch|delete|head|request|requestAsync|getAsync|send)$")
        (#match? @url ${startsWithRequestData}))`
  }),
  security({
    id: "php/open-redirect",
    when: requestDataGate,
    message: "a redirect goes to a URL taken from the request",
    severity: "error",
    cwe: "CWE-601",
    level: "medium",
    fix: "redirect only to relative paths or hosts on an allow-list (Laravel: redirect()->intended() or route names)",
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument) @target)) @match
        (#eq? @fn "header")
        (#match? @target "^[\"'][Ll]ocation:\\s*([\"']\\s*\\.\\s*|\\{)?(\\$_(GET|POST|REQUEST|COOKIE)\\b|\\$(request|req)->(input|query|get|post)\\b|request\\(\\)->(input|query|get|post)\\b|request\\(\\s*[\"'])"))
      ((function_call_expression ${fn} arguments: (arguments . (argument) @target)) @match
        (#match? @fn "^(redirect|wp_redirect)$") (#match? @target ${startsWithRequestData}))
      ((scoped_call_expression scope: (name) @scope name: (name) @fn arguments: (arguments . (argument) @target)) @match
        (#eq? @scope "Redirect") (#match? @fn "^(to|away)$") (#match? @target ${startsWithRequestData}))
      ((member_call_expression object: (function_call_expression function: (name) @helper) name: (name) @fn arguments: (arguments . (argument) @target)) @match
        (#eq? @helper "redirect") (#match? @fn "^(to|away)$") (#match? @target ${startsWithRequestData}))
      ((object_creation_expression (name) @class (arguments . (argument) @target)) @match
        (#eq? @class "RedirectResponse") (#match? @target ${startsWithRequestData}))`
  }),
  security({
    id: "php/reflected-xss",
    when: userInputGate,
    message: "request input is printed into the page without escaping",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "escape on output: echo htmlspecialchars($value, ENT_QUOTES, 'UTF-8'), or render through a template that escapes (Blade {{ }}, Twig)",
    // `<?= … ?>` is a php_tag followed by the expression, at the start of a file or after text.
    query: q`([(echo_statement) (print_intrinsic)] @match (#match? @match ${printedInput}) (#not-match? @match ${escaped}))
      ((function_call_expression ${fn} arguments: (arguments) @args) @match
        (#match? @fn "^(printf|vprintf|print_r|var_dump|var_export)$") (#match? @args ${printedInput}) (#not-match? @args ${escaped}))
      ((exit_statement) @match (#match? @match ${printedInput}) (#not-match? @match ${escaped}))
      ((program (php_tag) @tag . (expression_statement) @match) (#eq? @tag "<?=") (#match? @match ${printedInput}) (#not-match? @match ${escaped}))
      ((text_interpolation (php_tag) @tag .) . (expression_statement) @match (#eq? @tag "<?=") (#match? @match ${printedInput}) (#not-match? @match ${escaped}))`
  }),
  security({
    id: "php/upload-client-filename",
    when: /\$_FILES\b|getClientOriginalName|getClientFilename/,
    message: "an upload is stored under the file name the client sent",
    severity: "error",
    cwe: "CWE-434",
    level: "high",
    fix: "store it under a generated name (bin2hex(random_bytes(16)), $file->hashName()) with an extension from an allow-list",
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument) . (argument) @target)) @match
        (#eq? @fn "move_uploaded_file") (#match? @target ${clientFileName}))
      ((member_call_expression name: (name) @fn arguments: (arguments (argument) @target)) @match
        (#match? @fn "^(storeAs|storePubliclyAs|move|moveTo|putFileAs)$") (#match? @target ${clientFileName}))`
  }),
  security({
    id: "php/tls-verify-disabled",
    when: /CURLOPT_SSL_VERIFY|verify_peer|\bverify\b|allow_self_signed|withoutVerifying/,
    message: "TLS certificate verification is disabled",
    severity: "error",
    cwe: "CWE-295",
    level: "high",
    fix: "keep verification on (CURLOPT_SSL_VERIFYPEER true, CURLOPT_SSL_VERIFYHOST 2, 'verify' => true); point CURLOPT_CAINFO or 'cafile' at a private CA",
    query: q`((function_call_expression ${fn} arguments: (arguments (argument (name) @option) . (argument [(boolean) (integer)] @value))) @match
        (#eq? @fn "curl_setopt") (#match? @option "^CURLOPT_SSL_VERIFY(PEER|HOST)$") (#match? @value "^([Ff][Aa][Ll][Ss][Ee]|0)$"))
      ((array_element_initializer . (name) @option . [(boolean) (integer)] @value) @match
        (#match? @option "^CURLOPT_SSL_VERIFY(PEER|HOST)$") (#match? @value "^([Ff][Aa][Ll][Ss][Ee]|0)$"))
      ((array_element_initializer . [(string) (encapsed_string)] @option . [(boolean) (integer)] @value) @match
        (#match? @option "^.(verify_peer|verify_peer_name|verify).$") (#match? @value "^([Ff][Aa][Ll][Ss][Ee]|0)$"))
      ((array_element_initializer . [(string) (encapsed_string)] @option . (boolean) @value) @match
        (#match? @option "^.allow_self_signed.$") (#match? @value "^[Tt][Rr][Uu][Ee]$"))
      ((scoped_call_expression name: (name) @fn) @match (#eq? @fn "withoutVerifying"))
      ((member_call_expression name: (name) @fn) @match (#eq? @fn "withoutVerifying"))`
  }),
  security({
    id: "php/xxe",
    when: /LIBXML_(NOENT|DTDLOAD)|libxml_disable_entity_loader/,
    message: "XML is parsed with external entities enabled (XXE)",
    severity: "error",
    cwe: "CWE-611",
    level: "high",
    fix: "drop LIBXML_NOENT and LIBXML_DTDLOAD; external entities stay off by default since libxml 2.9",
    query: q`((name) @match (#match? @match "^LIBXML_(NOENT|DTDLOAD)$"))
      ((function_call_expression ${fn} arguments: (arguments . (argument (boolean) @value))) @match
        (#eq? @fn "libxml_disable_entity_loader") (#match? @value "^[Ff][Aa][Ll][Ss][Ee]$"))`
  })
]

const cryptoRules: ReadonlyArray<Rule> = [
  security({
    id: "php/weak-password-hash",
    when: /\b(md5|sha1|hash)\b/,
    message: "MD5 or SHA-1 hashes a password or secret: fast hashes are cracked by brute force",
    severity: "error",
    cwe: "CWE-916",
    level: "high",
    fix: "hash passwords with password_hash($password, PASSWORD_DEFAULT) and check them with password_verify",
    // A checksum (an ETag, a cache key, a file's digest) is not a finding: only password-like data,
    // or a hash kept under a password-like name.
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument) @data)) @match
        (#match? @fn "^(md5|sha1)$") (#match? @data ${passwordData}))
      ((function_call_expression ${fn} arguments: (arguments . (argument [(string) (encapsed_string)] @algorithm) . (argument) @data)) @match
        (#eq? @fn "hash") (#match? @algorithm "^.(md[245]|MD[245]|sha1|SHA1).$") (#match? @data ${passwordData}))
      ((assignment_expression left: [(variable_name (name) @name) (member_access_expression name: (name) @name)] right: (function_call_expression function: (name) @hash) @match)
        (#match? @name "^([Pp]ass(wd|word)?|PASS(WD|WORD)?|[Pp]wd|\\w*(Password|PASSWORD|_password|Passwd))(_?[Hh]ash|HASH)?$") (#match? @hash "^(md5|sha1)$"))
      ((array_element_initializer . [(string (string_content) @name) (encapsed_string (string_content) @name)] . (function_call_expression function: (name) @hash) @match)
        (#match? @name "^(pass|passwd|password|pwd|password_hash)$") (#match? @hash "^(md5|sha1)$"))`
  }),
  security({
    id: "php/weak-cipher",
    when: /\b(openssl_(en|de)crypt|MCRYPT_\w+)\b/,
    message: "DES, 3DES, RC2, RC4, Blowfish and ECB mode are weak",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: "use an authenticated cipher: openssl_encrypt($data, 'aes-256-gcm', $key, 0, $iv, $tag), or sodium_crypto_secretbox",
    query: q`((function_call_expression ${fn} arguments: (arguments (argument [(string) (encapsed_string)] @algorithm))) @match
        (#match? @fn "^(openssl_encrypt|openssl_decrypt)$") (#match? @algorithm ${weakCipher}))
      ((name) @match (#match? @match "^MCRYPT_(DES|TRIPLEDES|3DES|RC2|ARCFOUR|ARCFOUR_IV|BLOWFISH|BLOWFISH_COMPAT|CAST_128|CAST_256|MODE_ECB)$"))`
  }),
  security({
    id: "php/insecure-random",
    when: predictablePattern,
    message: "rand, mt_rand, uniqid and the clock are predictable; they must not make secrets",
    severity: "error",
    cwe: "CWE-338",
    level: "high",
    fix: "use random_bytes (bin2hex(random_bytes(32))), random_int, or Str::random",
    query: q`([
      (assignment_expression left: [(variable_name (name) @name) (member_access_expression name: (name) @name)] right: (_) @value)
      (array_element_initializer . [(string (string_content) @name) (encapsed_string (string_content) @name)] . (_) @value)
    ] @match (#match? @name ${unpredictableName}) (#match? @value ${predictable}))`
  }),
  security({
    id: "php/hash-timing-compare",
    when: /\b(hash_hmac|md5|sha1|hash|crypt)\b/,
    message: "a signature or secret hash is compared with ==/===, whose time leaks how much matches",
    severity: "error",
    cwe: "CWE-208",
    level: "medium",
    fix: "compare with hash_equals($known, $given) (password_verify for passwords)",
    query: q`((binary_expression left: (function_call_expression ${fn}) operator: ["==" "===" "!=" "!=="]) @match (#eq? @fn "hash_hmac"))
      ((binary_expression operator: ["==" "===" "!=" "!=="] right: (function_call_expression ${fn})) @match (#eq? @fn "hash_hmac"))
      ((binary_expression left: (function_call_expression ${fn}) operator: ["==" "===" "!=" "!=="] right: (_) @other) @match
        (#match? @fn "^(md5|sha1|hash|crypt)$") (#match? @other "([Ss]ignature|SIGNATURE|[Tt]oken|TOKEN|[Hh]mac|HMAC|[Pp]assword|PASSWORD|(^|_|\\$)sig)"))
      ((binary_expression left: (_) @other operator: ["==" "===" "!=" "!=="] right: (function_call_expression ${fn})) @match
        (#match? @fn "^(md5|sha1|hash|crypt)$") (#match? @other "([Ss]ignature|SIGNATURE|[Tt]oken|TOKEN|[Hh]mac|HMAC|[Pp]assword|PASSWORD|(^|_|\\$)sig)"))`
  }),
  security({
    id: "php/hardcoded-credential",
    when: /pass|secret|token|key|pdo|mysql/i,
    message: "a credential is hard-coded in the source",
    severity: "error",
    cwe: "CWE-798",
    level: "high",
    fix: "read it from the environment (getenv, $_ENV, Laravel's env() in config files) or a secret store",
    // Only a non-empty literal without interpolation: a call (env('DB_PASSWORD')) is not matched.
    query: q`((assignment_expression left: [(variable_name (name) @name) (member_access_expression name: (name) @name)] right: [(string . (string_content) @value .) (encapsed_string . (string_content) @value .)] @match)
        (#match? @name ${secretName}) (#match? @value "^\\S{4,}$") (#not-match? @value ${notACredential}))
      ((property_element name: (variable_name (name) @name) default_value: [(string . (string_content) @value .) (encapsed_string . (string_content) @value .)] @match)
        (#match? @name ${secretName}) (#match? @value "^\\S{4,}$") (#not-match? @value ${notACredential}))
      ((const_element (name) @name [(string . (string_content) @value .) (encapsed_string . (string_content) @value .)] @match)
        (#match? @name ${secretName}) (#match? @value "^\\S{4,}$") (#not-match? @value ${notACredential}))
      ((array_element_initializer . [(string . (string_content) @name .) (encapsed_string . (string_content) @name .)] . [(string . (string_content) @value .) (encapsed_string . (string_content) @value .)] @match)
        (#match? @name ${secretName}) (#match? @value "^\\S{4,}$") (#not-match? @value ${notACredential}))
      ((function_call_expression ${fn} arguments: (arguments . (argument [(string . (string_content) @name .) (encapsed_string . (string_content) @name .)]) . (argument [(string . (string_content) @value .) (encapsed_string . (string_content) @value .)] @match)))
        (#eq? @fn "define") (#match? @name ${secretName}) (#match? @value "^\\S{4,}$") (#not-match? @value ${notACredential}))
      ((object_creation_expression [(name) @class (qualified_name (name) @class)] (arguments . (argument) . (argument) . (argument [(string . (string_content) @value .) (encapsed_string . (string_content) @value .)] @match)))
        (#match? @class "^(PDO|mysqli)$") (#not-match? @value ${notACredential}))
      ((function_call_expression ${fn} arguments: (arguments . (argument) . (argument) . (argument [(string . (string_content) @value .) (encapsed_string . (string_content) @value .)] @match)))
        (#match? @fn "^(mysqli_connect|mysql_connect|mysqli_real_connect)$") (#not-match? @value ${notACredential}))`
  }),
  security({
    id: "php/phpinfo",
    when: /\bphpinfo\b/,
    message: "phpinfo() shows the configuration, environment and loaded secrets to whoever requests the page",
    severity: "warning",
    cwe: "CWE-200",
    level: "low",
    fix: "remove the call; inspect the configuration from the command line (php -i)",
    query: q`((function_call_expression ${fn}) @match (#eq? @fn "phpinfo"))`
  })
]

/** `in_array($item, $list)` that is false: `!in_array(…)`, `in_array(…) === false`. */
const inArray = q`(function_call_expression function: (name) @inArray arguments: (arguments . (argument (_) @item) . (argument (_) @list)))`
const notInArray = [
  { test: q`(unary_op_expression operator: "!" argument: ${inArray})`, check: "" },
  {
    test: q`(binary_expression left: ${inArray} operator: ["===" "=="] right: (boolean) @false)`,
    check: q`(#match? @false "^[Ff][Aa][Ll][Ss][Ee]$")`
  }
]
/** `$list[] = $item` and `array_push($list, $item)`: `@target` and `@pushed`. */
const appends = [
  {
    append: q`(assignment_expression left: (subscript_expression . (variable_name) @target .) right: (_) @pushed)`,
    check: ""
  },
  {
    append: q`(function_call_expression function: (name) @push arguments: (arguments . (argument (variable_name) @target) . (argument (_) @pushed) .))`,
    check: q`(#eq? @push "array_push")`
  }
]
/**
 * `if (!in_array($x, $seen)) $seen[] = $x;`, with or without braces. Spelled out flat, each
 * pattern with the predicates of its own captures: a nested alternation (`[[a b] c]`) matches
 * only its first branch in web-tree-sitter 0.27.
 */
const dedupePatterns = notInArray.flatMap((test) =>
  appends.flatMap((append) =>
    [q`(compound_statement . (expression_statement ${append.append}))`, q`(expression_statement ${append.append})`].map(
      (body) => q`((if_statement condition: (parenthesized_expression ${test.test}) body: ${body}) @match
        (#eq? @inArray "in_array") ${test.check} ${append.check} (#eq? @list @target) (#eq? @item @pushed))`
    )
  )
)

const performanceRules: ReadonlyArray<Rule> = [
  performance({
    id: "php/query-in-loop",
    message: "a query per iteration (N+1 queries)",
    fix: "fetch all rows in one query (WHERE id IN (…), a join) or eager-load relations (Model::with('relation'))",
    // Re-executing one prepared statement to write rows is PDO's batching idiom: execute counts
    // only when the loop also fetches what it returned.
    query: q`((function_call_expression ${fn}) @match
        (#match? @fn "^(mysqli_query|mysql_query|mysqli_prepare|pg_query|pg_query_params|pg_prepare|sqlsrv_query)$"))
      ((member_call_expression object: (_) @connection name: (name) @fn) @match
        (#match? @connection ${connection}) (#match? @fn "^(query|prepare|exec|select|selectOne|table|get_results|get_row|get_var|get_col|fetchAllAssociative|fetchAssociative|fetchOne|executeQuery)$"))
      ((scoped_call_expression scope: (name) @model name: (name) @fn) @match
        (#match? @model "^[A-Z]\\w*$") (#not-match? @model ${notAModel})
        (#match? @fn "^(find|findOrFail|findMany|where|whereIn|firstWhere|query|select|selectOne|table)$"))
      (compound_statement
        (expression_statement (member_call_expression object: (variable_name) @statement name: (name) @execute)) @match
        (expression_statement (assignment_expression right: (member_call_expression object: (variable_name) @fetched name: (name) @fetch)))
        (#eq? @execute "execute") (#eq? @statement @fetched) (#match? @fetch "^fetch"))`,
    inside: itemLoopBody
  }),
  performance({
    id: "php/count-in-loop-condition",
    when: /\b(count|sizeof|strlen|mb_strlen|iterator_count)\b/,
    message: "the loop condition recounts the collection on every iteration",
    fix: "count once before the loop: for ($i = 0, $n = count($items); $i < $n; $i++), or use foreach",
    query: q`((for_statement condition: (binary_expression right: (function_call_expression function: (name) @fn)) @match)
        (#match? @fn "^(count|sizeof|strlen|mb_strlen|iterator_count)$"))
      ((for_statement condition: (binary_expression left: (function_call_expression function: (name) @fn)) @match)
        (#match? @fn "^(count|sizeof|strlen|mb_strlen|iterator_count)$"))`
  }),
  performance({
    id: "php/nested-loop-same-array",
    message: "a loop over an array inside a loop over the same array is quadratic",
    fix: "index the array once by the key you compare (array_column, or $byId[$item->id] = $item) and look items up",
    query: q`(foreach_statement . (_) @outer body: (compound_statement (foreach_statement . (_) @inner) @match) (#eq? @outer @inner))
      (foreach_statement . (_) @outer body: (colon_block (foreach_statement . (_) @inner) @match) (#eq? @outer @inner))
      (foreach_statement . (_) @outer body: (foreach_statement . (_) @inner) @match (#eq? @outer @inner))`
  }),
  performance({
    id: "php/array-merge-in-loop",
    when: /\barray_merge(_recursive)?\b|\.\.\./,
    message: "array_merge onto the accumulator in a loop copies the whole array on every iteration",
    fix: "collect the parts and merge once (array_merge(...$parts)), or append in place ($result[] = …, array_push($result, ...$items))",
    query: q`((assignment_expression left: (_) @target right: (function_call_expression function: (name) @fn arguments: (arguments . (argument (_) @first)))) @match
        (#match? @fn "^(array_merge|array_merge_recursive)$") (#eq? @target @first))
      ((assignment_expression left: (_) @target right: (array_creation_expression . (array_element_initializer (variadic_unpacking (_) @first)))) @match
        (#eq? @target @first))`,
    inside: loopBody
  }),
  performance({
    id: "php/in-array-dedupe",
    when: /\bin_array\b/,
    message: "deduplicating with in_array in a loop is quadratic: each check scans the whole list",
    fix: "use the values as keys ($seen[$value] = true; isset($seen[$value])), or array_unique once after the loop",
    query: dedupePatterns.join("\n"),
    inside: itemLoopBody
  }),
  performance({
    id: "php/fixed-file-read-in-loop",
    when: /\b(file_get_contents|file|parse_ini_file|simplexml_load_file|yaml_parse_file)\b/,
    message: "the same file is read and parsed again on every iteration",
    fix: "read it once before the loop and reuse the result",
    // A path without a variable cannot change between iterations; php:// streams are not files. A
    // while loop on a flag polls, and re-reading a status file there is the point: item loops only.
    query: q`((function_call_expression ${fn} arguments: (arguments . (argument) @path)) @match
      (#match? @fn "^(file_get_contents|file|parse_ini_file|simplexml_load_file|yaml_parse_file)$")
      (#not-match? @path "\\$") (#not-match? @path "php://"))`,
    inside: itemLoopBody
  }),
  performance({
    id: "php/sleep-per-item",
    when: /\b(sleep|usleep|time_nanosleep)\b/,
    message: "a sleep per item makes the whole run grow by that wait for every item",
    fix: "dispatch the items as queued jobs with a rate limiter, or send them in batches",
    // Waiting in a while/for loop is how polling and retries are written: collection loops only.
    query: q`((function_call_expression ${fn}) @match (#match? @fn "^(sleep|usleep|time_nanosleep)$"))`,
    inside: collectionBody
  }),
  performance({
    id: "php/http-request-in-loop",
    when: /\bcurl_exec\b|\bHttp::|[Cc]lient|[Gg]uzzle/,
    message: "an HTTP request per item runs the requests one after another",
    fix: "send them concurrently (curl_multi_exec, Http::pool, a Guzzle Pool) or use a batch endpoint",
    query: q`((function_call_expression ${fn}) @match (#eq? @fn "curl_exec"))
      ((scoped_call_expression scope: (name) @scope name: (name) @fn) @match
        (#eq? @scope "Http") (#match? @fn "^(get|post|put|patch|delete|head|send)$"))
      ((member_call_expression object: (_) @client name: (name) @fn) @match
        (#match? @client "([Cc]lient|[Gg]uzzle)$") (#match? @fn "^(get|post|put|patch|delete|head|request|send)$"))`,
    inside: collectionBody
  })
]

/** The PHP rules, for the `php` grammar. */
export const php: RuleSet = {
  language: "php",
  grammars: ["php"],
  functionTypes: ["function_definition", "method_declaration", "anonymous_function", "arrow_function"],
  rules: [...injectionRules, ...fileAndNetworkRules, ...cryptoRules, ...performanceRules]
}
