/**
 * The data-flow rules of TypeScript and JavaScript: request data (Express, Koa, Fastify, Next,
 * Lambda events, the page's `location.search` and `location.hash`), `process.env` and
 * `process.argv`, traced through declarations, destructuring, template strings, `+`, `+=` and
 * `push`/`join` to the calls where they do harm.
 */
import { type FlowRule, type FlowSyntax, flow } from "../../quality/tree-sitter/Rule.ts"

export const typescriptFlow: FlowSyntax = {
  calls: {
    call_expression: { callee: "function", args: "arguments" },
    new_expression: { callee: "constructor", args: "arguments" }
  },
  assignments: {
    variable_declarator: { target: "name", value: "value" },
    assignment_expression: { target: "left", value: "right" },
    augmented_assignment_expression: { target: "left", value: "right" },
    for_in_statement: { target: "left", value: "right" }
  },
  identifiers: ["identifier", "shorthand_property_identifier_pattern", "shorthand_property_identifier"],
  building: ["binary_expression", "template_string"],
  strings: ["string", "template_string"],
  formatters: /(^|\.)(join|concat)$|^util\.format$/,
  builders: /^(push|unshift|concat|append)$/,
  requestSource:
    /\b(req|request|ctx\.request|ctx)\.(params|query|body|headers|cookies|files?|originalUrl|url|path|hostname)\b|\bqueryStringParameters\b|\bpathParameters\b|\bsearchParams\.get\(|\bevent\.body\b|\blocation\.(search|hash)\b/,
  environmentSource: /\bprocess\.(env|argv)\b/,
  // Request objects are found by what is read from them (`req.query`); NestJS marks its parameters.
  requestParameter: /^@(Query|Param|Body|Headers)\(/,
  sanitizers:
    /^(parseInt|parseFloat|Number|Number\.(parseInt|parseFloat)|Boolean|Math\.\w+|encodeURIComponent|encodeURI|String\(.*\)\.length)$|\.(length|size)$/
}

/** The start of a SQL statement, after any spaces and opening parentheses. */
const sqlHead =
  /^[\s(]*(SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|REPLACE|UPSERT|CREATE|ALTER|DROP|TRUNCATE|GRANT|REVOKE|CALL|EXEC|EXECUTE|DECLARE|EXPLAIN|PRAGMA)\b/i

/** A receiver named as a database connection, pool or transaction: `pool`, `this.dataSource`, `app.pg`. */
const databaseReceiver =
  /(^|\.)(\w*(pool|db|database|conn|connection|pg|mysql|sqlite|knex|sequelize|trx|transaction|datasource|queryrunner)|client|tx)$/i

/**
 * A `query`/`execute` call whose first argument is itself a read of a request's body, query or
 * path parameters (`db.query(req.body.sql)`): an HTTP client's `execute` is given a request it
 * built (`upstream.execute(HttpClientRequest.setHeaders(outbound, request.headers))`), not that.
 */
const sqlFromRequest =
  /^(?:[\w$.?\s]*\.)?(?:query|execute)\(\s*(?:req|request|ctx\.request|ctx)\.(?:body|query|params)\b[\w$.?]*\s*[,)]/

export const typescriptFlowRules: ReadonlyArray<FlowRule> = [
  flow({
    id: "javascript/sql-injection",
    message: "SQL text built from data",
    cwe: "CWE-89",
    injection: true,
    built: true,
    fix: "keep the SQL a literal with placeholders ($1, ?) and pass the values as the parameter array",
    sinks: [
      { name: /^(whereRaw|orderByRaw|\$queryRawUnsafe|\$executeRawUnsafe|unsafe)$/, argument: 0 },
      // knex's `raw` is called on a connection (`knex.raw`, `trx.raw`); `HttpBody.raw` is a namespace's.
      { name: /^raw$/, receiver: /(^|\.)[a-z_$][\w$]*$/, argument: 0 },
      // `query` and `execute` are also an HTTP client's, a GraphQL client's, a workflow's: the value
      // counts when it reads as SQL, its literal text starting with a statement's first keyword.
      { name: /^(query|execute)$/, argument: 0, head: sqlHead },
      // node-postgres's `query` also takes a config (`{ text, values }`) whose text was a literal; its
      // head is not carried, so on a database's receiver (`pool`, `client`, `db`, `conn`) it needs none.
      { name: /^query$/, receiver: databaseReceiver, argument: 0 },
      // SQL text taken as it is from a request's body, query or path parameters, with no head to read.
      { name: /^(query|execute)$/, argument: 0, when: sqlFromRequest }
    ],
    // A `sql` tagged template (effect, postgres.js, `Prisma.sql`) sends its values as parameters, and
    // `sql(name)` quotes an identifier; `sql.unsafe` and `Prisma.raw` are other names.
    sanitizers: /(^|\.)(escape|escapeId|escapeLiteral|escapeIdentifier|format|sql|SQL)$/
  }),
  flow({
    id: "javascript/command-injection",
    message: "a shell command built from data",
    cwe: "CWE-78",
    injection: true,
    built: true,
    unknown: true,
    fix: "use execFile or spawn with the program and an array of arguments, and no shell",
    sinks: [
      { name: /^(exec|execSync)$/, receiver: /^(child_process|childProcess|cp|)$/, argument: 0 },
      { name: /^(spawn|spawnSync|execFile|execFileSync)$/, argument: 0, when: /shell\s*:\s*true/ }
    ],
    sanitizers: /(^|\.)(quote|escape|shellEscape)$/
  }),
  flow({
    id: "javascript/code-injection",
    message: "code built from data is evaluated",
    cwe: "CWE-95",
    injection: true,
    built: true,
    unknown: true,
    fix: "parse data with JSON.parse; never evaluate it",
    sinks: [
      { name: /^(eval|Function)$/, receiver: /^$/, argument: "any" },
      { name: /^(runInNewContext|runInThisContext|runInContext|compileFunction)$/, receiver: /^vm$/, argument: 0 }
    ]
  }),
  flow({
    id: "javascript/tainted-path",
    message: "a file path taken from request data",
    cwe: "CWE-22",
    injection: false,
    built: false,
    fix: "take the file name through path.basename, or resolve the path and check it starts with the base directory",
    sinks: [
      {
        name: /^(readFile|readFileSync|writeFile|writeFileSync|appendFile|createReadStream|createWriteStream|unlink|unlinkSync|rm|rmSync|readdir|readdirSync|open|sendFile|download)$/,
        argument: 0,
        unless: /\broot\s*:/
      }
    ],
    sanitizers: /(^|\.)basename$/,
    guard: /\.startsWith\(|\.relative\(/
  }),
  flow({
    id: "javascript/tainted-url",
    message: "a request is sent to a URL taken from request data",
    cwe: "CWE-918",
    injection: false,
    built: false,
    fix: "send requests only to a fixed host; put request data in the path or query through encodeURIComponent",
    sinks: [
      { name: /^fetch$/, receiver: /^$/, argument: 0 },
      {
        name: /^(get|post|put|patch|delete|head|request)$/,
        receiver: /^(axios|got|http|https|superagent|needle|ky)$/,
        argument: 0
      },
      { name: /^(axios|got)$/, receiver: /^$/, argument: 0 }
    ],
    safeHead: /^https?:\/\/[^/$]+\//
  }),
  flow({
    id: "javascript/tainted-redirect",
    message: "a redirect to a URL taken from request data",
    cwe: "CWE-601",
    injection: false,
    built: false,
    fix: "redirect to a fixed path, or parse the target and check its host against a list",
    sinks: [{ name: /^redirect$/, receiver: /^(res|response|reply|ctx)$/, argument: "any" }],
    guard: /\.(host|hostname|origin)\s*(!==|===|!=|==)|\.startsWith\(["'`]\/[^/]/,
    safeHead: /^\/(?!\/)/
  }),
  flow({
    id: "javascript/tainted-html",
    message: "HTML built from request data is sent without escaping",
    cwe: "CWE-79",
    injection: false,
    built: false,
    fix: "render through a template engine that escapes, or escape each value (escape-html, DOMPurify)",
    sinks: [{ name: /^(send|write|end)$/, receiver: /^(res|response|reply)\b/, argument: 0 }],
    sanitizers: /(^|\.)(escape|escapeHtml|escapeHTML|sanitize|encode|encodeHTML)$/,
    head: /</
  }),
  flow({
    id: "javascript/log-injection",
    message: "request data is written to a log line as it is",
    cwe: "CWE-117",
    injection: false,
    built: false,
    fix: "strip CR and LF from request data before logging it, or log it as a structured field (JSON)",
    sinks: [
      {
        name: /^(log|info|warn|error|debug|trace)$/,
        receiver: /^(console|logger|log|this\.logger|this\.log|req\.log|request\.log|fastify\.log)$/,
        argument: "any",
        // pino and bunyan take an object first: its fields are serialised as JSON, CR and LF escaped.
        unless: /^[\w.]+\(\s*\{/
      }
    ],
    sanitizers: /\.(replace|replaceAll)$|^JSON\.stringify$/
  }),
  flow({
    id: "javascript/ldap-injection",
    message: "an LDAP filter built from request data",
    cwe: "CWE-90",
    injection: false,
    built: false,
    fix: "escape each value (ldap-escape's filter tag) or build the filter from ldapjs filter objects (new EqualityFilter({ attribute, value }))",
    // ldapjs: client.search(base, { filter, scope }, callback).
    sinks: [{ name: /^search$/, argument: 1 }],
    sanitizers: /^ldapEscape\.(filter|dn)$|(^|\.)escape\w*$/,
    // A filter starts with its parenthesis: a search term passed to another search() does not.
    head: /^\(/
  }),
  flow({
    id: "javascript/xpath-injection",
    message: "an XPath expression built from request data",
    cwe: "CWE-643",
    injection: false,
    built: false,
    fix: "keep the expression a literal with $variables and pass the values in: xpath.parse(expression).select({ node, variables })",
    sinks: [
      { name: /^(select|select1|evaluate|parse)$/, receiver: /^xpath$/, argument: 0 },
      { name: /^evaluate$/, receiver: /^(document|window\.document|doc)$/, argument: 0 }
    ]
  })
]
