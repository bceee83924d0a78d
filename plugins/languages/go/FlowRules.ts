/**
 * Go's data-flow rules: request data (`net/http`, Gin, Echo, chi, gorilla/mux), `os.Getenv`
 * and `os.Args`, traced through `:=`, `=`, `+=`, `fmt.Sprintf` and `strings.Builder` to the calls
 * where they do harm.
 */
import { type FlowRule, type FlowSyntax, flow } from "../../quality/tree-sitter/Rule.ts"

export const goFlow: FlowSyntax = {
  calls: { call_expression: { callee: "function", args: "arguments" } },
  assignments: {
    short_var_declaration: { target: "left", value: "right" },
    assignment_statement: { target: "left", value: "right" },
    var_spec: { target: "name", value: "value" },
    range_clause: { target: "left", value: "right" },
    const_spec: { target: "name", value: "value" }
  },
  identifiers: ["identifier"],
  building: ["binary_expression"],
  strings: ["interpreted_string_literal", "raw_string_literal"],
  formatters:
    /^(fmt\.Sprintf|fmt\.Sprint|fmt\.Sprintln|strings\.Join|strings\.Replace|strings\.ReplaceAll|strings\.Repeat)$/,
  builders: /^(WriteString|Write|WriteByte|WriteRune)$/,
  requestSource:
    /\b(r|req|request)\.Body\b|\b\w+\.URL\.(Query\(\)|Path\b|RawQuery\b)|\b\w+\.(FormValue|PostFormValue|Header\.Get|Cookie)\(|\b\w+\.(Form|PostForm)\b|\b(c|ctx)\.(Query|Param|PostForm|DefaultQuery|DefaultPostForm|GetHeader|QueryParam|FormValue|Params|Get|Bind\w*|ShouldBind\w*|MustBind\w*)\(|\bmux\.Vars\(|\bchi\.URLParam\(/,
  environmentSource: /\bos\.(Getenv|LookupEnv|Args)\b|\bflag\.(Arg|Args)\(/,
  requestParameter: /(?!)/,
  // Gin's and Echo's binders, and the JSON and XML decoders, fill the value passed by address.
  fillers: /(^|\.)(Bind\w*|ShouldBind\w*|MustBind\w*|Decode|Unmarshal)$/,
  sanitizers:
    /^(strconv\.(Atoi|ParseInt|ParseUint|ParseFloat|ParseBool|Quote|Itoa)|filepath\.Base|path\.Base|url\.QueryEscape|url\.PathEscape|html\.EscapeString|template\.HTMLEscapeString|uuid\.Parse|len)$/
}

export const goFlowRules: ReadonlyArray<FlowRule> = [
  flow({
    id: "go/sql-injection",
    message: "SQL text built from data",
    cwe: "CWE-89",
    injection: true,
    built: true,
    fix: "keep the SQL a literal with placeholders ($1, ?) and pass the values as arguments",
    sinks: [
      {
        name: /^(Query|QueryRow|Exec|Prepare|Raw|Queryx|QueryRowx|MustExec|NamedExec|Preparex)$/,
        argument: 0,
        // antchfx's xmlquery.Query(doc, expr) selects XML nodes: an XPath sink, not SQL.
        unless: /^(xmlquery|htmlquery|jsonquery)\./
      },
      { name: /^(QueryContext|QueryRowContext|ExecContext|PrepareContext|Select|Get|QueryxContext)$/, argument: 1 },
      // pgx takes the context first: pool.Exec(ctx, sql, args...).
      { name: /^(Query|QueryRow|Exec)$/, argument: 1, when: /\(\s*(ctx|context\.\w+\(\))\s*,/ }
    ]
  }),
  flow({
    id: "go/command-injection",
    message: "a shell command built from data",
    cwe: "CWE-78",
    injection: true,
    built: true,
    unknown: true,
    fix: "run the program itself with exec.Command(name, args...) and no shell",
    sinks: [
      {
        name: /^Command$/,
        receiver: /^exec$/,
        argument: 2,
        when: /^exec\.Command\(\s*"(\/bin\/)?(ba|z)?sh"\s*,\s*"-c"/
      },
      {
        name: /^CommandContext$/,
        receiver: /^exec$/,
        argument: 3,
        when: /^exec\.CommandContext\(\s*\w+\s*,\s*"(\/bin\/)?(ba|z)?sh"\s*,\s*"-c"/
      }
    ]
  }),
  flow({
    id: "go/tainted-path",
    message: "a file path taken from request data",
    cwe: "CWE-22",
    injection: false,
    built: false,
    fix: "take the file name through filepath.Base, or check the cleaned path stays under the base (filepath.IsLocal, strings.HasPrefix)",
    sinks: [
      {
        name: /^(Open|ReadFile|Create|Remove|RemoveAll|WriteFile|OpenFile|MkdirAll|ReadDir)$/,
        receiver: /^(os|ioutil)$/,
        argument: 0
      },
      { name: /^ServeFile$/, receiver: /^http$/, argument: 2 },
      { name: /^(File|FileAttachment|Attachment)$/, receiver: /^(c|ctx)$/, argument: 0 }
    ],
    guard: /strings\.HasPrefix\(|filepath\.IsLocal\(|filepath\.Rel\(/
  }),
  flow({
    id: "go/tainted-url",
    message: "a request is sent to a URL taken from request data",
    cwe: "CWE-918",
    injection: false,
    built: false,
    fix: "send requests only to a fixed host; put request data in the path or query through url.PathEscape / url.QueryEscape",
    sinks: [
      { name: /^(Get|Head|Post|PostForm)$/, receiver: /^(http|client|httpClient|c\.client|s\.client)$/, argument: 0 },
      { name: /^NewRequest$/, receiver: /^http$/, argument: 1 },
      { name: /^NewRequestWithContext$/, receiver: /^http$/, argument: 2 }
    ],
    safeHead: /^https?:\/\/[^/%]+\//
  }),
  flow({
    id: "go/tainted-redirect",
    message: "a redirect to a URL taken from request data",
    cwe: "CWE-601",
    injection: false,
    built: false,
    fix: "redirect to a fixed path, or parse the target and check its host",
    sinks: [
      { name: /^Redirect$/, receiver: /^http$/, argument: 2 },
      { name: /^Redirect$/, receiver: /^(c|ctx)$/, argument: 1 }
    ],
    guard: /\.Host\s*(!=|==)|\.IsAbs\(\)/,
    safeHead: /^\/(?!\/)/
  }),
  flow({
    id: "go/tainted-html",
    message: "HTML built from request data is written without escaping",
    cwe: "CWE-79",
    injection: false,
    built: false,
    fix: "render with html/template, or escape each value with html.EscapeString",
    sinks: [
      { name: /^Fprintf$/, receiver: /^fmt$/, argument: "any", when: /^fmt\.Fprintf\(\s*w\s*,\s*"[^"]*</ },
      { name: /^(Write|WriteString)$/, receiver: /^w$/, argument: 0, when: /</ },
      { name: /^HTML$/, receiver: /^template$/, argument: 0 },
      // Gin's c.Data with an HTML content type; Echo's c.HTML(code, html) (Gin's names a template).
      { name: /^Data$/, receiver: /^(c|ctx)$/, argument: 2, when: /text\/html/ },
      { name: /^HTML$/, receiver: /^(c|ctx)$/, argument: 1, head: /^\s*</ }
    ],
    // bluemonday: policy.Sanitize(html).
    sanitizers: /(^|\.)Sanitize$/
  }),
  flow({
    id: "go/log-injection",
    message: "request data is written to a log line as it is",
    cwe: "CWE-117",
    injection: false,
    built: false,
    fix: "quote request data in log lines (%q, strconv.Quote) or log it as a structured attribute (slog)",
    sinks: [
      {
        name: /^(Printf|Println|Print|Fatalf|Panicf)$/,
        receiver: /^(log|logger|l)$/,
        argument: "any",
        unless: /%q/
      }
    ],
    sanitizers: /^strings\.(ReplaceAll|Replace|TrimSpace|NewReplacer\(.*\)\.Replace)$/
  }),
  flow({
    id: "go/ldap-injection",
    message: "an LDAP filter built from request data",
    cwe: "CWE-90",
    injection: false,
    built: false,
    fix: "escape each value with ldap.EscapeFilter before it goes into the filter",
    // go-ldap: NewSearchRequest(baseDN, scope, deref, sizeLimit, timeLimit, typesOnly, filter, attributes, controls).
    sinks: [{ name: /^NewSearchRequest$/, argument: 6 }],
    sanitizers: /(^|\.)EscapeFilter$/,
    head: /^\(/
  }),
  flow({
    id: "go/xpath-injection",
    message: "an XPath expression built from request data",
    cwe: "CWE-643",
    injection: false,
    built: false,
    fix: "keep the expression a literal and compare request data with the selected nodes' values in Go, or let only a number through (strconv.Atoi)",
    // antchfx: xmlquery/htmlquery/jsonquery.Find(doc, expr) and friends, xpath.Compile(expr),
    // xpath.Select(navigator, expr), the stream parser's element and filter expressions, and
    // xmlquery's node methods SelectElement(s), which run Find/FindOne on their argument.
    sinks: [
      {
        name: /^(Find|FindOne|Query|QueryAll|FindEach|FindEachWithBreak)$/,
        receiver: /^(xmlquery|htmlquery|jsonquery)$/,
        argument: 1
      },
      { name: /^(Compile|MustCompile|CompileWithNS)$/, receiver: /^xpath$/, argument: 0 },
      { name: /^Select$/, receiver: /^xpath$/, argument: 1 },
      { name: /^CreateStreamParser$/, receiver: /^xmlquery$/, argument: 1 },
      { name: /^CreateStreamParser$/, receiver: /^xmlquery$/, argument: 2 },
      { name: /^CreateStreamParserWithOptions$/, receiver: /^xmlquery$/, argument: 2 },
      { name: /^CreateStreamParserWithOptions$/, receiver: /^xmlquery$/, argument: 3 },
      { name: /^(SelectElement|SelectElements)$/, argument: 0, file: /"github\.com\/antchfx\/xmlquery"/ }
    ]
  })
]
