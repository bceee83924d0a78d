/**
 * Rust's data-flow rules: request data (Actix and Axum extractors `Query`, `Path`, `Json`,
 * `Form`, `HttpRequest`), `env::args` and `env::var`, traced through `let`, `+=`, `format!` and
 * `push_str` to the calls where they do harm.
 */
import { type FlowRule, type FlowSyntax, flow } from "../../quality/tree-sitter/Rule.ts"

export const rustFlow: FlowSyntax = {
  calls: { call_expression: { callee: "function", args: "arguments" } },
  assignments: {
    let_declaration: { target: "pattern", value: "value" },
    assignment_expression: { target: "left", value: "right" },
    compound_assignment_expr: { target: "left", value: "right" },
    for_expression: { target: "pattern", value: "value" },
    let_condition: { target: "pattern", value: "value" }
  },
  identifiers: ["identifier"],
  building: ["binary_expression", "macro_invocation"],
  strings: ["string_literal", "raw_string_literal"],
  formatters: /(^|::|\.)(concat|join)$/,
  builders: /^(push_str|push|extend|insert_str)$/,
  requestSource: /\breq\.(uri|query_string|match_info|headers)\(/,
  environmentSource: /\b(std::)?env::(args|var|var_os)\b/,
  requestParameter: /\b(Query|Path|Json|Form|HttpRequest)\b/,
  sanitizers: /(^|::|\.)(parse(::<[^>]*>)?|file_name|escape|encode_text|encode|len)$/,
  macros: "macro_invocation"
}

export const rustFlowRules: ReadonlyArray<FlowRule> = [
  flow({
    id: "rust/sql-injection",
    message: "SQL text built from data",
    cwe: "CWE-89",
    injection: true,
    built: true,
    fix: "keep the SQL a literal with placeholders ($1, ?) and bind the values (.bind(value), params!)",
    sinks: [
      {
        name: /^(query|query_as|query_scalar|sql_query|execute|batch_execute|simple_query|query_one|query_opt|prepare|query_row)$/,
        argument: 0
      }
    ]
  }),
  flow({
    id: "rust/command-injection",
    message: "a shell command built from data",
    cwe: "CWE-78",
    injection: true,
    built: true,
    unknown: true,
    fix: "run the program itself with Command::new(program).args([...]) and no shell",
    sinks: [{ name: /^(arg|args)$/, argument: 0, when: /Command::new\(\s*"(\/bin\/)?(ba|z)?sh"\s*\)/ }]
  }),
  flow({
    id: "rust/tainted-path",
    message: "a file path taken from request data",
    cwe: "CWE-22",
    injection: false,
    built: false,
    fix: "take the file name through Path::file_name, or canonicalize the path and check it starts_with the base",
    sinks: [
      {
        name: /^(open|read_to_string|read|write|remove_file|remove_dir_all|create|read_dir|create_dir_all)$/,
        receiver: /(^|::)(File|fs|NamedFile)$/,
        argument: 0
      }
    ],
    guard: /\.starts_with\(/
  }),
  flow({
    id: "rust/tainted-url",
    message: "a request is sent to a URL taken from request data",
    cwe: "CWE-918",
    injection: false,
    built: false,
    fix: "send requests only to a fixed host; put request data in the path or query, encoded",
    sinks: [
      { name: /^(get|post|put|patch|delete|head)$/, receiver: /^(reqwest|client|self\.client|http)$/, argument: 0 }
    ],
    safeHead: /^https?:\/\/[^/{]+\//
  }),
  flow({
    id: "rust/tainted-redirect",
    message: "a redirect to a URL taken from request data",
    cwe: "CWE-601",
    injection: false,
    built: false,
    fix: "redirect to a fixed path, or parse the target and check its host",
    sinks: [{ name: /^(to|temporary|permanent|see_other)$/, receiver: /(^|::)Redirect$/, argument: 0 }],
    safeHead: /^\/(?!\/)/
  }),
  flow({
    id: "rust/tainted-html",
    message: "HTML built from request data is sent without escaping",
    cwe: "CWE-79",
    injection: false,
    built: false,
    fix: "render through a template engine that escapes (askama, maud), or escape each value (html_escape::encode_text)",
    sinks: [{ name: /^(Html|body)$/, argument: 0 }],
    head: /</
  }),
  flow({
    id: "rust/log-injection",
    message: "request data is written to a log line as it is",
    cwe: "CWE-117",
    injection: false,
    built: false,
    fix: "strip CR and LF first (.replace(['\\r', '\\n'], \"\")), or log the value with {:?}, which escapes them",
    // tracing's and log's macros; a format string whose every placeholder is Debug ({:?}) escapes CR and LF.
    sinks: [
      {
        name: /^(trace|debug|info|warn|error|event)$/,
        receiver: /^((::)?(tracing|log))?$/,
        argument: 0,
        macro: true,
        unless: /^[\w:]*!\s*\(\s*(target:\s*"[^"]*",\s*)?"([^"{\\]|\\.|\{\{|\{[\w.]*:#?\?\})*"/
      }
    ],
    sanitizers: /\.(replace|escape_debug|escape_default|lines)$/
  }),
  flow({
    id: "rust/ldap-injection",
    message: "an LDAP filter built from request data",
    cwe: "CWE-90",
    injection: false,
    built: false,
    fix: "escape each value with ldap3::ldap_escape before it goes into the filter",
    // ldap3: search(base, scope, filter, attrs) and streaming_search, sync and async alike.
    sinks: [{ name: /^(search|streaming_search)$/, argument: 2, when: /\bScope::(Base|OneLevel|Subtree)\b/ }],
    sanitizers: /(^|::)ldap_escape$/,
    head: /^\(/
  }),
  flow({
    id: "rust/xpath-injection",
    message: "an XPath expression built from request data",
    cwe: "CWE-643",
    injection: false,
    built: false,
    fix: "keep the expression a literal with $variables and set the values on the sxd_xpath Context (context.set_variable)",
    // sxd-xpath: evaluate_xpath(&document, expr) and Factory::build(expr).
    sinks: [
      { name: /^evaluate_xpath$/, argument: 1 },
      { name: /^build$/, receiver: /(^|_)factory$|(^|::)Factory::new\(\)$/, argument: 0 }
    ]
  })
]
