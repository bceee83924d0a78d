/**
 * Security and performance rules for Ruby (and Rails), as tree-sitter queries. Names that suggest
 * secrets and expressions that suggest request input (`params[…]`, `cookies[…]`, `request.…`) are
 * matched by text: the rules are heuristics, tuned so that idiomatic code does not trip them.
 *
 * Ruby's loops are mostly blocks (`items.each do |item| … end`), and blocks run where they are
 * written: a block is no function boundary, only `def`, `def self.` and `->` are. The loop bodies
 * of `inside` are the blocks of the iteration methods and the bodies of `for`, `while` and `until`.
 *
 * Grammar notes: a pattern's fields go in the grammar's order (receiver, method, arguments,
 * block); a `#match?` on a capture that the matched branch of an alternation leaves out fails,
 * while `#eq?` and `#not-match?` hold, so alternatives with different captures are separate
 * patterns. A heredoc's body is not a child of the call that names it: SQL and commands written
 * as heredocs are not seen.
 */
import { performance, q, type Rule, type RuleSet, re, security } from "../../quality/tree-sitter/Rule.ts"

/** Text that reads request input: Rails and Sinatra `params`, `cookies`, and the raw request. */
const inputPattern =
  /\b(params|cookies)\s*\[|\bparams\.(fetch|dig|require|values_at|to_unsafe_h|to_unsafe_hash)\b|\brequest\.(params|parameters|query_parameters|request_parameters|path_parameters|GET|POST|raw_post|body|query_string|headers|env)\b/
const userInput = re(inputPattern)
/** An expression that is request input itself, or a string that starts with it: a whole URL or SQL fragment. */
const startsWithUserInput = re(
  /^("#\{\s*)?((params|cookies)\s*\[|params\.(fetch|dig|require|values_at|to_unsafe_h|merge)\b|request\.(params|parameters|query_parameters|request_parameters|GET|POST|headers)\b)/
)
/** A URL argument that is request input, bare or wrapped in `URI(…)` / `URI.parse(…)`. */
const urlFromInput = re(
  /^(URI(\.parse)?\(\s*)?("#\{\s*)?((params|cookies)\s*\[|params\.(fetch|dig|require)\b|request\.(params|parameters|query_parameters|request_parameters|GET|POST|headers)\b)/
)
/** A path that is reduced to its last part, or an upload's server-side tempfile. */
const uploadOrBasename = re(/\bbasename\b|\.(tempfile|path)\b/)
/** The gate of the rules that need request input: the input words, unanchored. */
const inputGate = /\b(params|cookies|request)\b/

/** An interpolation of a constant (`#{BIN}`, `#{Config::HOST}`): no run-time input. */
const constantPart = re(/^#\{\s*([A-Z]\w*::)*[A-Z]\w*\s*\}$/)
/** An interpolation that the shell cannot split: escaped with Shellwords, a number, a constant. */
const shellSafePart = re(
  /^#\{\s*(([A-Z]\w*::)*[A-Z]\w*|Shellwords\.(escape|shellescape|join)\(.*\)|[\w.@]+\.(shellescape|to_i)|Rails\.root|__dir__)\s*\}$/
)
/**
 * An interpolation that cannot change a statement's shape: a constant, a table or column name the
 * model gives, a quoted value (`connection.quote`, `sanitize_sql`), a number.
 */
const sqlSafePart = re(
  /^#\{\s*(([A-Z]\w*::)*[A-Z]\w*|([\w:]+\.)*(quoted_)?(table_name|primary_key)|([\w:]+\.)*(quote|quote_column_name|quote_table_name|quote_string|sanitize_sql\w*)\(.*\)|[\w.@]+\.(to_i|to_f|to_r|id)|[\w.@]+\.map\(&:to_i\)\.join\(.*\)|(Integer|Float)\(.*\))\s*\}$/
)
/** An interpolation that is escaped or built by a helper that escapes, or translated text. */
const htmlSafePart = re(
  /^#\{\s*((h|html_escape|html_escape_once|sanitize|strip_tags|escape_javascript|j|json_escape|link_to|button_to|mail_to|content_tag|image_tag|safe_join|render|t|I18n\.t|number_\w+|ERB::Util\.(h|html_escape)|CGI\.escape_?(HTML|html)|Rack::Utils\.escape_html|tag\.\w+)[\s(]|([A-Z]\w*::)*[A-Z]\w*\s*\}$)/
)

/** A name that holds a credential: `password`, `db_password`, `API_KEY`, `:client_secret`, `"apiKey"`; not `bypass` or `token_type`. */
const secretName = re(
  /((^|[^A-Za-z0-9])(pass|passwd|password|secret|token|api_?key|private_?key|access_?key|secret_?key(_base)?|client_?secret|PASS|PASSWD|PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY(_BASE)?|CLIENT_?SECRET)|[a-z0-9](Pass|Passwd|Password|Secret|Token|ApiKey|PrivateKey|AccessKey|ClientSecret))["']?$/
)
/**
 * String contents that are not a credential although assigned to a credential's name: an env
 * variable's name (`"API_KEY"`), a param or header name (`"access_token"`, `"x-api-key"`), an I18n
 * key (`"devise.passwords.edit"`), a label (`"Password"`), a mask, a format placeholder, the word itself.
 */
const notACredential = re(
  /^([A-Z][A-Z0-9]*(_[A-Z0-9]+)+|[A-Z]+|[a-z]+([-_.][a-z]+)+|[A-Z][a-z]+|[*•xX.]+|%\{\w+\}|%<\w+>s|\$\{?\w+\}?|\{\{.*\}\}|<.*>|[Pp]ass(wd|word)?|[Ss]ecret|[Tt]oken|[Aa]pi[-_]?[Kk]ey)$/
)
/** Names of values that must be unpredictable: tokens, secrets, passwords, nonces, salts, one-time codes. */
const unpredictableName = re(
  /((^|[^A-Za-z0-9])(token|secret|password|passwd|nonce|salt|otp|pin|api_?key|secret_?key|private_?key|session_?id|session_?key|csrf|(reset|verification|confirmation|otp|pin|auth|invite|invitation)_?code|TOKEN|SECRET|PASSWORD|NONCE|SALT|OTP|API_?KEY|SECRET_?KEY|SESSION_?ID)|[a-z0-9](Token|Secret|Password|Nonce|Salt))["']?\]?$/
)
/** Ruby's predictable generators: `rand`, `Random.rand`, `Random.new`, `Array#sample` and `#shuffle`. */
const predictableRandom = re(/(^|[^.\w:])rand\b|\b(Random|Kernel)\.rand\b|\bRandom\.new\b|\.(sample|shuffle)\b/)
/** Names and expressions of credential-like data: a password, a secret, a token, a PIN. */
const credentialData = re(
  /([Pp]ass(wd|word)?|PASS(WD|WORD)?|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Cc]redential|[Pp]in_?[Cc]ode|[Aa]pi_?[Kk]ey|API_?KEY)/
)
/** The Digest classes of MD4, MD5, SHA-1 and RIPEMD-160, as Ruby names them. */
const weakDigest = re(/^(::)?(OpenSSL::)?Digest::(MD4|MD5|SHA1|RMD160)$/)
/** A weak digest by text: `Digest::MD5.…`, `OpenSSL::Digest.new("sha1")`. */
const weakDigestCall = re(/\bDigest::(MD4|MD5|SHA1)\b|\bDigest\.new\(\s*["'](md[45]|MD[45]|sha1|SHA1)["']/)
/** OpenSSL cipher names of DES, 3DES, RC2, RC4, Blowfish, CAST, IDEA, SEED, or any cipher in ECB mode. */
const weakCipherName = re(
  /^["']((des|DES|rc[24]|RC[24]|bf|BF|blowfish|cast|CAST|idea|IDEA|seed|SEED)([-_\d]|["'])|[^"']*-(ecb|ECB)["']$)/
)
/**
 * A repeated group whose body is one quantified atom among optional ones: `(a+)+`, `(\w+\s?)*`,
 * `(?:\s*\w+)*`, `(.*)*`, `(x+){2,}`, where the repetitions can split the input in exponentially
 * many ways. A mandatory separator (`(\d+\.)+`) makes the split unique: not matched. Escaped
 * parentheses and character classes are read as atoms.
 */
const nestedQuantifier = re(
  /(^|[^\\])\((\?(:|<?[=!]|<\w+>))?((\\.|\[(\\.|[^\]\\])*\]|[^()\\[|?*+{])[?*]\??)*(\\.|\[(\\.|[^\]\\])*\]|[^()\\[|?*+{])[+*]\??((\\.|\[(\\.|[^\]\\])*\]|[^()\\[|?*+{])[?*]\??)*\)([+*]|\{\d+,)/
)
/** ActiveRecord methods and connection methods that take SQL text as their first argument. */
const sqlMethod = re(
  /^(where|not|rewhere|having|order|reorder|group|joins|left_joins|left_outer_joins|select|pluck|find_by|find_by!|find_by_sql|count_by_sql|exists\?|update_all|delete_all|execute|exec_query|exec_update|exec_delete|exec_insert|select_all|select_one|select_value|select_values|select_rows)$/
)
/** The same methods, less those whose string argument is a primary key (`exists?("1")`). */
const sqlInputMethod = re(
  /^(where|not|rewhere|having|order|reorder|group|joins|select|pluck|find_by|find_by!|find_by_sql|count_by_sql|update_all|delete_all|execute|exec_query|select_all|select_one|select_value|select_values|select_rows)$/
)

/** Blocks that run once per element, and `times`/`upto`: the bodies of a collection loop. */
const iterationMethods = re(
  /^(each|each_with_index|each_with_object|each_value|each_key|each_pair|each_entry|reverse_each|find_each|map|map!|collect|flat_map|collect_concat|filter_map|select|select!|filter|reject|reject!|find|detect|find_all|find_index|partition|group_by|sort_by|min_by|max_by|sum|count|any\?|all\?|none\?|one\?|inject|reduce|index_by|index_with|to_h|uniq|zip|times|upto|downto|step|each_char|each_line|each_byte|cycle)$/
)
/**
 * Bodies of loops over a collection: iteration blocks and `for`. `while`, `until` and `loop`
 * are left out: they paginate, poll and retry, where a query per turn is the point.
 */
const collectionLoopBody = q`((call method: (identifier) @method block: [(block body: (_) @scope) (do_block body: (_) @scope)])
    (#match? @method ${iterationMethods}))
  (for body: (_) @scope)`
/** Bodies of every loop: iteration blocks, `loop`, `for`, `while`, `until` and their modifier forms. */
const loopBody = q`${collectionLoopBody}
  ((call method: (identifier) @method block: [(block body: (_) @scope) (do_block body: (_) @scope)]) (#eq? @method "loop"))
  (while body: (_) @scope)
  (until body: (_) @scope)
  (while_modifier body: (_) @scope)
  (until_modifier body: (_) @scope)`

/** `x += "…"` or `x += value.to_s`: a string extended by a copy. `@fn` is the method of a call on the right. */
const appended = q`(operator_assignment left: (_) @var operator: "+=" right: [(string) (call method: (identifier) @fn)])`
/** A loop body's statement that appends: bare, under a modifier `if`/`unless`, or in an `if`'s branch. */
const appendStatement = q`[${appended} @match (if_modifier body: ${appended} @match) (unless_modifier body: ${appended} @match) (if consequence: (then ${appended} @match))]`
/**
 * A method on the right of `+=` that does not make a string. `#match?` on a capture that the
 * matched branch leaves out (`s += "…"` has no `@fn`) fails and `#not-match?` holds, so the test
 * is said as "not anything else".
 */
const notStringifier = re(/^(?!(to_s|inspect|join|to_json|to_csv|to_str)$)/)
/** The iteration methods, `loop`, and the chained enumerators (`each.with_index`). */
const accumulatingLoopMethods = re(
  /^(each|each_with_index|each_with_object|each_value|each_key|each_pair|reverse_each|find_each|each_line|each_char|times|upto|downto|step|loop|with_index|with_object|map|select|filter|reject|filter_map|flat_map)$/
)

/** Methods that go over a whole collection: a second pass inside a first is quadratic. */
const scanMethod = re(
  /^(each|each_with_index|each_with_object|map|flat_map|collect|filter_map|select|filter|reject|find|detect|find_index|index|any\?|all\?|none\?|count|sum|include\?|member\?)$/
)

/** Gates (`when`) that are the predicates' own patterns, unanchored: a node's text is part of the file's. */
const hardcodedGate = /pass|secret|token|api_?key|private_?key|access_?key/i

const injectionRules: ReadonlyArray<Rule> = [
  security({
    id: "ruby/command-injection",
    when: /\b(system|exec|spawn|popen|capture[23]|pipeline)/,
    message: "a shell command is built at run time from interpolation, concatenation or request input",
    severity: "error",
    cwe: "CWE-78",
    level: "critical",
    fix: 'pass the program and its arguments separately (system("convert", path, out)), or escape with Shellwords.escape',
    // A command string alone (options may follow) goes through /bin/sh; the program and its
    // arguments as separate strings do not. An interpolated constant or a Shellwords-escaped value is safe.
    query: q`((call !receiver method: (identifier) @fn arguments: (argument_list . (string (interpolation) @part) @command)) @match
        (#match? @fn "^(system|exec|spawn)$") (#not-match? @part ${shellSafePart}))
      ((call receiver: (_) @module method: (identifier) @fn arguments: (argument_list . (string (interpolation) @part) @command)) @match
        (#match? @module "^(Kernel|Process|IO|Open3|PTY)$")
        (#match? @fn "^(system|exec|spawn|popen|popen2|popen2e|popen3|capture2|capture2e|capture3|pipeline|pipeline_r|pipeline_rw|pipeline_w|pipeline_start)$")
        (#not-match? @part ${shellSafePart}))
      ((call !receiver method: (identifier) @fn arguments: (argument_list . [(binary operator: "+") (element_reference) (call)] @command)) @match
        (#match? @fn "^(system|exec|spawn)$") (#match? @command ${userInput}))
      ((call receiver: (_) @module method: (identifier) @fn arguments: (argument_list . [(binary operator: "+") (element_reference) (call)] @command)) @match
        (#match? @module "^(Kernel|Process|IO|Open3|PTY)$")
        (#match? @fn "^(system|exec|spawn|popen|popen2|popen2e|popen3|capture2|capture2e|capture3|pipeline|pipeline_r|pipeline_rw|pipeline_w|pipeline_start)$")
        (#match? @command ${userInput}))`
  }),
  security({
    id: "ruby/backtick-interpolation",
    when: /`|%x/,
    message: "a backtick or %x command interpolates a value, which the shell parses",
    severity: "error",
    cwe: "CWE-78",
    level: "critical",
    fix: 'use Open3.capture2("program", arg) with separate arguments, or escape the value with Shellwords.escape',
    query: q`((subshell (interpolation) @part) @match (#not-match? @part ${shellSafePart}))`
  }),
  security({
    id: "ruby/kernel-open",
    when: /\bopen\b/,
    message: "Kernel#open with request input runs a command when the value starts with |",
    severity: "error",
    cwe: "CWE-78",
    level: "critical",
    fix: "use File.open for files and URI(url).open (or Net::HTTP) for URLs",
    query: q`((call !receiver method: (identifier) @fn arguments: (argument_list . (_) @target)) @match
        (#eq? @fn "open") (#match? @target ${userInput}))
      ((call receiver: (constant) @module method: (identifier) @fn arguments: (argument_list . (_) @target)) @match
        (#eq? @module "Kernel") (#eq? @fn "open") (#match? @target ${userInput}))`
  }),
  security({
    id: "ruby/code-injection",
    when: /\beval\b|_eval\b/,
    message: "eval runs code built at run time",
    severity: "error",
    cwe: "CWE-95",
    level: "critical",
    fix: "dispatch on an allow-list of values (a Hash of lambdas) or parse data with JSON.parse; never evaluate input",
    // Kernel#eval of anything but a literal; instance_eval/class_eval of request input. The
    // block forms (class_eval do … end) and heredoc metaprogramming (class_eval <<~RUBY) are not matched.
    query: q`((call !receiver method: (identifier) @fn arguments: (argument_list . [(identifier) (instance_variable) (call) (element_reference) (binary) (string (interpolation))])) @match
        (#eq? @fn "eval"))
      ((call receiver: (_) @module method: (identifier) @fn arguments: (argument_list . [(identifier) (instance_variable) (call) (element_reference) (binary) (string (interpolation))])) @match
        (#match? @module "^(Kernel|binding|TOPLEVEL_BINDING)$") (#eq? @fn "eval"))
      ((call method: (identifier) @fn arguments: (argument_list) @args) @match
        (#match? @fn "^(eval|instance_eval|class_eval|module_eval)$") (#match? @args ${userInput}))`
  }),
  security({
    id: "ruby/unsafe-reflection",
    when: /\b(send|public_send|__send__|try|method|instance_variable_get|instance_variable_set)\b/,
    message: "request input names the method to call",
    severity: "error",
    cwe: "CWE-470",
    level: "high",
    fix: "map the input to a method through an allow-list (a Hash or case) before calling it",
    query: q`((call method: (identifier) @fn arguments: (argument_list . (_) @name)) @match
      (#match? @fn "^(send|public_send|__send__|try|try!|method|instance_variable_get|instance_variable_set)$") (#match? @name ${userInput}))`
  }),
  security({
    id: "ruby/constantize-input",
    when: /\b(constantize|safe_constantize|const_get)\b/,
    message: "request input names the class to load",
    severity: "error",
    cwe: "CWE-470",
    level: "high",
    fix: 'map the input to a class through an allow-list ({ "admin" => Admin }.fetch(params[:type]))',
    query: q`((call receiver: (_) @name method: (identifier) @fn) @match
        (#match? @fn "^(constantize|safe_constantize)$") (#match? @name ${userInput}))
      ((call method: (identifier) @fn arguments: (argument_list . (_) @name)) @match
        (#eq? @fn "const_get") (#match? @name ${userInput}))`
  }),
  security({
    id: "ruby/template-injection",
    when: /\b(inline|ERB|Erubi|Erubis|Haml|Slim|Tilt)\b/,
    message: "a template is compiled from request input or an interpolated string",
    severity: "error",
    cwe: "CWE-1336",
    level: "critical",
    fix: "render a template file and pass the values as locals",
    query: q`((call !receiver method: (identifier) @fn arguments: (argument_list (pair key: (hash_key_symbol) @key value: (string (interpolation) @part)))) @match
        (#eq? @fn "render") (#eq? @key "inline") (#not-match? @part ${constantPart}))
      ((call !receiver method: (identifier) @fn arguments: (argument_list (pair key: (hash_key_symbol) @key value: (_) @template))) @match
        (#eq? @fn "render") (#eq? @key "inline") (#match? @template ${userInput}))
      ((call receiver: (_) @engine method: (identifier) @fn arguments: (argument_list . (_) @template)) @match
        (#match? @engine "^(ERB|Erubi::Engine|Erubis::Eruby|Haml::Engine|Haml::Template|Slim::Template|Tilt::\\w+)$")
        (#eq? @fn "new") (#match? @template ${userInput}))`
  })
]

const dataRules: ReadonlyArray<Rule> = [
  security({
    id: "ruby/marshal-load",
    when: /\bMarshal\b/,
    message: "Marshal.load builds arbitrary objects from its input and can run code",
    severity: "error",
    cwe: "CWE-502",
    level: "high",
    fix: "exchange data as JSON (JSON.parse) or sign it (ActiveSupport::MessageVerifier) before loading",
    // Marshal.load(Marshal.dump(x)) is a deep copy of the program's own data.
    query: q`((call receiver: (constant) @module method: (identifier) @fn arguments: (argument_list) @args) @match
      (#eq? @module "Marshal") (#match? @fn "^(load|restore)$") (#not-match? @args "^\\(?\\s*Marshal\\.dump\\b"))`
  }),
  security({
    id: "ruby/yaml-unsafe-load",
    when: /\b(YAML|Psych)\b/,
    message: "YAML that can build arbitrary objects is loaded",
    severity: "error",
    cwe: "CWE-502",
    level: "high",
    fix: "use YAML.safe_load (with permitted_classes: for the few classes you need)",
    // unsafe_load always; load (unsafe before Psych 4) when it reads request input.
    query: q`((call receiver: (constant) @module method: (identifier) @fn) @match
        (#match? @module "^(YAML|Psych)$") (#match? @fn "^(unsafe_load|unsafe_load_file|unsafe_load_stream)$"))
      ((call receiver: (constant) @module method: (identifier) @fn arguments: (argument_list) @args) @match
        (#match? @module "^(YAML|Psych)$") (#match? @fn "^(load|load_stream|load_documents)$") (#match? @args ${userInput}))`
  }),
  security({
    id: "ruby/oj-object-load",
    when: /\bOj\b/,
    message: "Oj in object mode (its default) builds arbitrary objects from its input",
    severity: "error",
    cwe: "CWE-502",
    level: "high",
    fix: "use Oj.safe_load, Oj.load(json, mode: :strict) (or :compat), or JSON.parse",
    query: q`((call receiver: (constant) @module method: (identifier) @fn) @match (#eq? @module "Oj") (#eq? @fn "object_load"))
      ((call receiver: (constant) @module method: (identifier) @fn arguments: (argument_list) @args) @match
        (#eq? @module "Oj") (#match? @fn "^(load|load_file)$") (#not-match? @args "\\bmode:\\s*:(strict|null|compat|json|rails|custom|wab)\\b"))`
  }),
  security({
    id: "ruby/sql-interpolation",
    when: /\b(where|not|rewhere|having|order|reorder|group|joins|left_joins|left_outer_joins|select|pluck|find_by|count_by_sql|exists\?|update_all|delete_all|execute|exec_|select_)/,
    message: "SQL built by interpolation or concatenation is passed to a query",
    severity: "error",
    cwe: "CWE-89",
    level: "critical",
    fix: 'use placeholders or a hash: where("name = ?", name), where(name: name); quote identifiers with connection.quote_column_name',
    query: q`((call method: (identifier) @fn arguments: (argument_list . (string (interpolation) @part) @match))
        (#match? @fn ${sqlMethod}) (#not-match? @part ${sqlSafePart}))
      ((call method: (identifier) @fn arguments: (argument_list . (binary operator: "+") @match))
        (#match? @fn ${sqlMethod}) (#match? @match "^[\"']|[\"']\\s*\\+|\\+\\s*[\"']"))`
  }),
  security({
    id: "ruby/sql-input",
    when: inputGate,
    message: "request input is passed as SQL text to a query (where, order, pluck, find_by_sql)",
    severity: "error",
    cwe: "CWE-89",
    level: "critical",
    fix: "pass input as a value (where(name: params[:name])), and map sort columns through an allow-list",
    // A hash of permitted params (where(params.permit(:name))) is values, not SQL; an interpolated
    // string is ruby/sql-interpolation's.
    query: q`((call method: (identifier) @fn arguments: (argument_list . (_) @match))
      (#match? @fn ${sqlInputMethod}) (#match? @match ${startsWithUserInput})
      (#not-match? @match "^[\"']") (#not-match? @match "\\.(permit|to_i)\\b"))`
  }),
  security({
    id: "ruby/mass-assignment",
    when: /\b(permit!|to_unsafe_h)/,
    message: "every request parameter is let through to the model (mass assignment)",
    severity: "error",
    cwe: "CWE-915",
    level: "high",
    fix: "list the attributes: params.require(:user).permit(:name, :email)",
    query: q`((call receiver: (_) @source method: (identifier) @fn) @match (#eq? @fn "permit!") (#match? @source "^params\\b"))
      ((call method: (identifier) @fn arguments: (argument_list (call receiver: (_) @source method: (identifier) @unsafe) @match))
        (#match? @fn "^(new|create|create!|update|update!|assign_attributes|attributes=|update_attributes|insert|insert_all|upsert|upsert_all|find_or_create_by|where)$")
        (#match? @unsafe "^(to_unsafe_h|to_unsafe_hash)$") (#match? @source "^params\\b"))`
  })
]

const webRules: ReadonlyArray<Rule> = [
  security({
    id: "ruby/path-traversal",
    when: inputGate,
    message: "a file path is built from request input",
    severity: "error",
    cwe: "CWE-22",
    level: "high",
    fix: "take File.basename of the input, or resolve the path and check it stays under the base directory",
    // An upload's tempfile (params[:file].tempfile, .path) is a path the server chose.
    query: q`((call receiver: (_) @module method: (identifier) @fn arguments: (argument_list) @args) @match
        (#match? @module "^(File|IO|FileUtils|Pathname|Dir|Rails\\.root)$")
        (#match? @fn "^(read|open|new|write|binread|binwrite|readlines|foreach|delete|unlink|join|expand_path|rm|rm_f|rm_r|rm_rf|cp|mv|copy_file|glob|entries|children)$")
        (#match? @args ${userInput}) (#not-match? @args ${uploadOrBasename}))
      ((call !receiver method: (identifier) @fn arguments: (argument_list . (_) @path)) @match
        (#match? @fn "^(send_file|open_file)$") (#match? @path ${userInput}) (#not-match? @path ${uploadOrBasename}))
      ((call !receiver method: (identifier) @fn arguments: (argument_list (pair key: (hash_key_symbol) @key value: (_) @path))) @match
        (#eq? @fn "render") (#match? @key "^(file|template|partial)$") (#match? @path ${userInput}))`
  }),
  security({
    id: "ruby/xss-html-safe",
    when: /\b(html_safe|raw)\b/,
    message: "markup built from interpolation or request input is marked safe, bypassing escaping",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "let the view escape, or build the markup with content_tag / safe_join, or escape the values with h() / sanitize",
    query: q`((call receiver: (string (interpolation) @part) method: (identifier) @fn) @match
        (#eq? @fn "html_safe") (#not-match? @part ${htmlSafePart}))
      ((call receiver: (parenthesized_statements (binary operator: "+")) @value method: (identifier) @fn) @match
        (#eq? @fn "html_safe") (#not-match? @value "^\\(\\s*[\"'][^\"']*[\"']\\s*\\+\\s*[\"'][^\"']*[\"']\\s*\\)$"))
      ((call receiver: (_) @value method: (identifier) @fn) @match (#eq? @fn "html_safe") (#match? @value ${userInput}))
      ((call !receiver method: (identifier) @fn arguments: (argument_list . (string (interpolation) @part))) @match
        (#eq? @fn "raw") (#not-match? @part ${htmlSafePart}))
      ((call !receiver method: (identifier) @fn arguments: (argument_list . (_) @value)) @match
        (#eq? @fn "raw") (#match? @value ${userInput}) (#not-match? @value "^(sanitize|strip_tags|h)\\b"))`
  }),
  security({
    id: "ruby/open-redirect",
    when: /\bredirect(_to)?\b/,
    message: "a redirect goes to a URL taken from the request",
    severity: "error",
    cwe: "CWE-601",
    level: "medium",
    fix: "redirect to a path or a named route, check the host against an allow-list, or pass allow_other_host: false",
    query: q`((call !receiver method: (identifier) @fn arguments: (argument_list . (_) @target) @args) @match
      (#match? @fn "^(redirect_to|redirect)$") (#match? @target ${startsWithUserInput})
      (#not-match? @args "\\b(allow_other_host:\\s*false|only_path:\\s*true)"))`
  }),
  security({
    id: "ruby/ssrf",
    when: /\b(HTTParty|Faraday|RestClient|Excon|Typhoeus|HTTPX?|Net::HTTP|URI)\b/,
    message: "an outgoing request goes to a URL taken from the request",
    severity: "error",
    cwe: "CWE-918",
    level: "high",
    fix: "check the URL's host against an allow-list before requesting it",
    query: q`((call receiver: (_) @client method: (identifier) @fn arguments: (argument_list . (_) @url)) @match
      (#match? @client "^(HTTParty|Faraday|RestClient|Excon|Typhoeus|Typhoeus::Request|HTTP|HTTPX|Net::HTTP|URI)$")
      (#match? @fn "^(get|post|put|patch|delete|head|request|open|get_response|post_form|start|new)$")
      (#match? @url ${urlFromInput}))`
  }),
  security({
    id: "ruby/csrf-disabled",
    when: /\b(verify_authenticity_token|skip_forgery_protection|protect_from_forgery)\b/,
    message: "CSRF protection is turned off for some or all actions",
    severity: "error",
    cwe: "CWE-352",
    level: "high",
    fix: "keep protect_from_forgery with: :exception; for an API, authenticate with a token instead of cookies",
    query: q`((call !receiver method: (identifier) @fn arguments: (argument_list . (simple_symbol) @filter)) @match
        (#match? @fn "^(skip_before_action|skip_before_filter|skip_action_callback|skip_callback)$") (#eq? @filter ":verify_authenticity_token"))
      ((call !receiver method: (identifier) @fn arguments: (argument_list (pair key: (hash_key_symbol) @key))) @match
        (#eq? @fn "protect_from_forgery") (#eq? @key "except"))
      ((call !receiver method: (identifier) @fn) @match (#eq? @fn "skip_forgery_protection"))
      ((body_statement (identifier) @match) (#eq? @match "skip_forgery_protection"))`
  })
]

const cryptoRules: ReadonlyArray<Rule> = [
  security({
    id: "ruby/weak-hash",
    when: /\bDigest\b/,
    message: "MD5 or SHA-1 hashes a password, secret or token",
    severity: "error",
    cwe: "CWE-328",
    level: "high",
    fix: "hash passwords with bcrypt (has_secure_password) or argon2; use SHA-256 or an HMAC for tokens",
    // A checksum a format prescribes (an ETag's MD5, git's SHA-1) is not a finding: only hashing of
    // credential-like data, or into a credential-like name.
    query: q`((call receiver: (_) @digest method: (identifier) @fn arguments: (argument_list) @data) @match
        (#match? @digest ${weakDigest}) (#match? @fn "^(hexdigest|digest|base64digest|new)$") (#match? @data ${credentialData}))
      ((assignment left: (_) @name right: (_) @value @match)
        (#match? @name ${credentialData}) (#match? @value ${weakDigestCall}))`
  }),
  security({
    id: "ruby/insecure-random",
    when: /\b(rand|Random|sample|shuffle)\b/,
    message: "rand, Random and Array#sample are predictable; they must not make secrets",
    severity: "error",
    cwe: "CWE-338",
    level: "high",
    fix: "use SecureRandom (SecureRandom.hex, .urlsafe_base64, .alphanumeric, .random_number)",
    query: q`([
      (assignment left: (_) @name right: (_) @value)
      (operator_assignment left: (_) @name right: (_) @value)
      (pair key: (_) @name value: (_) @value)
    ] @match (#match? @name ${unpredictableName}) (#match? @value ${predictableRandom}) (#not-match? @value "SecureRandom"))`
  }),
  security({
    id: "ruby/tls-verify-disabled",
    when: /VERIFY_NONE|verify/,
    message: "TLS certificate verification is disabled",
    severity: "error",
    cwe: "CWE-295",
    level: "high",
    fix: "keep VERIFY_PEER (the default); to trust a private CA, set ca_file or cert_store",
    query: q`((scope_resolution name: (constant) @name) @match (#eq? @name "VERIFY_NONE"))
      ([
        (pair key: (_) @key value: (false))
        (assignment left: (call method: (identifier) @key) right: (false))
      ] @match (#match? @key "^:?(verify|verify_ssl|ssl_verify|verify_peer|ssl_verify_peer|ssl_verifypeer|verify_certificate)$"))`
  }),
  security({
    id: "ruby/hardcoded-credential",
    when: hardcodedGate,
    message: "a credential is hard-coded in the source",
    severity: "error",
    cwe: "CWE-798",
    level: "high",
    fix: "read it from the environment (ENV.fetch) or Rails credentials (Rails.application.credentials)",
    // Only a plain string literal: ENV.fetch("TOKEN"), an interpolation and an empty string are not matched.
    query: q`([
      (assignment left: (_) @name right: (string . (string_content) @value .) @match)
      (pair key: (_) @name value: (string . (string_content) @value .) @match)
    ] (#match? @name ${secretName}) (#match? @value "^\\S{4,}$") (#not-match? @value ${notACredential}))`
  }),
  security({
    id: "ruby/jwt-verify-disabled",
    when: /\bJWT\b/,
    message: 'a JWT is decoded without verifying its signature, or with the "none" algorithm',
    severity: "error",
    cwe: "CWE-347",
    level: "critical",
    fix: 'verify with the key and a fixed algorithm: JWT.decode(token, key, true, algorithm: "HS256")',
    query: q`((call receiver: (constant) @module method: (identifier) @fn arguments: (argument_list . (_) . (_) . (false))) @match
        (#eq? @module "JWT") (#eq? @fn "decode"))
      ((call receiver: (constant) @module method: (identifier) @fn arguments: (argument_list) @args) @match
        (#eq? @module "JWT") (#match? @fn "^(decode|encode)$") (#match? @args "[\"'](none|NONE)[\"']"))`
  }),
  security({
    id: "ruby/weak-cipher",
    when: /\bCipher\b/,
    message: "DES, 3DES, RC2, RC4, Blowfish and ECB mode are weak",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: 'use an authenticated cipher: OpenSSL::Cipher.new("aes-256-gcm")',
    query: q`((call receiver: (_) @cipher method: (identifier) @fn arguments: (argument_list . (string) @algorithm)) @match
        (#match? @cipher "^(::)?OpenSSL::Cipher(::Cipher)?$") (#eq? @fn "new") (#match? @algorithm ${weakCipherName}))
      ((call receiver: (scope_resolution) @cipher method: (identifier) @fn) @match
        (#match? @cipher "^(::)?OpenSSL::Cipher::(DES|RC2|RC4|BF|CAST5|IDEA|SEED)$") (#eq? @fn "new"))
      ((call receiver: (scope_resolution) @cipher method: (identifier) @fn arguments: (argument_list) @args) @match
        (#match? @cipher "^(::)?OpenSSL::Cipher::AES(128|192|256)?$") (#eq? @fn "new") (#match? @args "(:|[\"'])(ECB|ecb)\\b"))`
  }),
  security({
    id: "ruby/redos",
    when: /\)([+*]|\{\d+,)/,
    message: "a regular expression with nested quantifiers can take exponential time",
    severity: "warning",
    cwe: "CWE-1333",
    level: "medium",
    fix: "remove the nested quantifier, e.g. (a+)+ → a+, bound the input, or set Regexp.timeout (Ruby 3.2+)",
    query: q`((regex) @match (#match? @match ${nestedQuantifier}))
      ((call receiver: (constant) @ctor method: (identifier) @fn arguments: (argument_list . (string) @match))
        (#eq? @ctor "Regexp") (#match? @fn "^(new|compile)$") (#match? @match ${nestedQuantifier}))`
  })
]

const performanceRules: ReadonlyArray<Rule> = [
  performance({
    id: "ruby/query-in-loop",
    when: /\b(find|where|exists\?|count_by_sql)/,
    message: "a query per iteration (N+1 queries)",
    fix: "load the rows in one query before the loop (where(id: ids), includes/preload, index_by) and look them up",
    // Enumerable#find takes a block (items.find { … }, items.find(&:ok?)): only block-less finds with an argument.
    query: q`((call method: (identifier) @fn arguments: (argument_list . (_) @first) !block) @match
        (#eq? @fn "find") (#not-match? @first "^&") (#not-match? @match "^(Find|Pathname)\\."))
      ((call method: (identifier) @fn !block) @match
        (#match? @fn "^(where|find_by|find_by!|find_by_sql|count_by_sql|exists\\?|find_or_create_by|find_or_create_by!|find_or_initialize_by|find_by_[a-z_]+!?)$")
        (#not-match? @match "^(File|Dir|FileTest|Pathname)\\."))`,
    inside: collectionLoopBody
  }),
  performance({
    id: "ruby/count-in-loop",
    when: /\bcount\b/,
    message: "count on a relation runs a COUNT query on every iteration",
    fix: "use size on a preloaded association, a counter_cache, or one grouped count before the loop (group(:user_id).count)",
    // Array#count without a block is O(1): only chains (association.count) and models (Model.count).
    // A count of a where/find_by chain is ruby/query-in-loop's.
    query: q`((call receiver: [(call) (constant) (scope_resolution)] @receiver method: (identifier) @fn !arguments !block) @match
      (#eq? @fn "count") (#not-match? @receiver "\\b(where|find_by\\w*|exists\\?)\\b")
      (#not-match? @receiver "\\.(values|keys|chars|bytes|lines|split|to_a|uniq|compact|flatten|select|filter|reject|map|scan|children|entries|params|args|arguments|errors|attributes)$"))`,
    inside: collectionLoopBody
  }),
  performance({
    id: "ruby/all-each",
    when: /\.all\b/,
    message: "Model.all loads the whole table into memory before iterating",
    fix: "iterate in batches with find_each (or in_batches); for one column use pluck",
    query: q`((call receiver: (call receiver: [(constant) (scope_resolution)] method: (identifier) @all !arguments) method: (identifier) @fn) @match
      (#eq? @all "all") (#match? @fn "^(each|each_with_index|each_with_object|map|collect|flat_map|select|filter|reject|filter_map|group_by|index_by|sum|inject|reduce)$"))`
  }),
  performance({
    id: "ruby/nested-loop-same-collection",
    message: "a loop over a collection inside a loop over the same collection is quadratic",
    fix: "index the collection once (index_by, group_by, a Set or a Hash) and look items up",
    query: q`((call receiver: (_) @outer method: (identifier) @method block: [
        (block body: (block_body (call receiver: (_) @inner method: (identifier) @innerMethod) @match))
        (do_block body: (body_statement (call receiver: (_) @inner method: (identifier) @innerMethod) @match))
        (block body: (block_body (assignment right: (call receiver: (_) @inner method: (identifier) @innerMethod) @match)))
        (do_block body: (body_statement (assignment right: (call receiver: (_) @inner method: (identifier) @innerMethod) @match)))
      ])
      (#eq? @outer @inner) (#match? @outer "^[@a-z_][\\w@.]*$") (#match? @method ${scanMethod}) (#match? @innerMethod ${scanMethod}))
      ((for value: (in (_) @outer) body: (do (for value: (in (_) @inner)) @match)) (#eq? @outer @inner))`
  }),
  performance({
    id: "ruby/regexp-in-loop",
    when: /\bRegexp\b/,
    message: "a constant regular expression is compiled on every iteration",
    fix: "compile it once, outside the loop (a constant or a regex literal, which Ruby compiles once)",
    // A pattern made from the loop's values has to be compiled per iteration: literals only.
    query: q`((call receiver: (constant) @ctor method: (identifier) @fn arguments: (argument_list . (string) @pattern)) @match
      (#eq? @ctor "Regexp") (#match? @fn "^(new|compile)$") (#not-match? @pattern "#\\{"))`,
    inside: loopBody
  }),
  performance({
    id: "ruby/string-concat-in-loop",
    when: /\+=/,
    message: "building a string with += in a loop allocates a new string on every iteration",
    fix: 'append in place with << to a mutable buffer (buffer = +"" or String.new), or collect the parts and join them',
    // An accumulator: assigned before the loop, extended with += in its body (directly or under an
    // if). A local made inside the body and extended once per iteration is not quadratic.
    query: q`((_ (assignment left: (_) @accumulator) (call method: (identifier) @method block: (_ body: (_ ${appendStatement}))))
        (#eq? @accumulator @var) (#match? @method ${accumulatingLoopMethods}) (#not-match? @fn ${notStringifier}))
      ((_ (assignment left: (_) @accumulator) [(for body: (do ${appendStatement})) (while body: (do ${appendStatement})) (until body: (do ${appendStatement}))])
        (#eq? @accumulator @var) (#not-match? @fn ${notStringifier}))
      ((_ (assignment left: (_) @accumulator) [(while_modifier body: ${appended} @match) (until_modifier body: ${appended} @match)])
        (#eq? @accumulator @var) (#not-match? @fn ${notStringifier}))`
  }),
  performance({
    id: "ruby/select-first",
    when: /\b(select|filter)\b/,
    message: "select { … }.first filters the whole collection to keep one element",
    fix: "use find (detect), which stops at the first match",
    query: q`((call receiver: (call method: (identifier) @select block: (_)) method: (identifier) @first !arguments) @match
        (#match? @select "^(select|filter)$") (#eq? @first "first"))
      ((call receiver: (call method: (identifier) @select arguments: (argument_list . (block_argument) .) !block) method: (identifier) @first !arguments) @match
        (#match? @select "^(select|filter)$") (#eq? @first "first"))`
  }),
  performance({
    id: "ruby/map-flatten",
    when: /\bflatten\b/,
    message: "map { … }.flatten(1) builds an intermediate array of arrays",
    fix: "use flat_map",
    query: q`((call receiver: (call method: (identifier) @map) method: (identifier) @flatten arguments: (argument_list . (integer) @depth .)) @match
      (#match? @map "^(map|collect)$") (#eq? @flatten "flatten") (#eq? @depth "1"))`
  }),
  performance({
    id: "ruby/shuffle-first",
    when: /\bshuffle\b/,
    message: "shuffle.first shuffles the whole array to pick one element",
    fix: "use sample (sample(n) for several)",
    query: q`((call receiver: (call method: (identifier) @shuffle) method: (identifier) @first) @match
      (#eq? @shuffle "shuffle") (#match? @first "^(first|last)$"))`
  }),
  performance({
    id: "ruby/reverse-each",
    when: /\breverse\b/,
    message: "reverse.each copies the array before iterating",
    fix: "use reverse_each, which iterates backwards without a copy",
    query: q`((call receiver: (call method: (identifier) @reverse !arguments) method: (identifier) @each) @match
      (#eq? @reverse "reverse") (#eq? @each "each"))`
  }),
  performance({
    id: "ruby/relation-present",
    when: /\b(present|blank)\?/,
    message: "present?/blank? on a relation loads every matching row to test for one",
    fix: "use exists? (SELECT 1 … LIMIT 1), or any?/none? on a relation that is not loaded",
    query: q`((call receiver: (call method: (identifier) @query) method: (identifier) @test) @match
      (#match? @query "^(where|not|joins|left_joins|includes|eager_load|preload|order|all|distinct)$") (#match? @test "^(present\\?|blank\\?)$"))`
  })
]

/** The Ruby rules, for the `ruby` grammar. */
export const ruby: RuleSet = {
  language: "ruby",
  grammars: ["ruby"],
  functionTypes: ["method", "singleton_method", "lambda"],
  rules: [...injectionRules, ...dataRules, ...webRules, ...cryptoRules, ...performanceRules]
}
