/**
 * Python's data-flow rules: request data (Flask, Django, FastAPI), the environment and argv,
 * traced through assignments, f-strings, `%`, `.format`, `+=` and `list.append` to the calls
 * where they do harm.
 */
import { type FlowRule, type FlowSyntax, flow } from "../../quality/tree-sitter/Rule.ts"

export const pythonFlow: FlowSyntax = {
  calls: { call: { callee: "function", args: "arguments" } },
  assignments: {
    assignment: { target: "left", value: "right" },
    augmented_assignment: { target: "left", value: "right" },
    named_expression: { target: "name", value: "value" },
    for_statement: { target: "left", value: "right" }
  },
  identifiers: ["identifier"],
  building: ["binary_operator", "string", "concatenated_string"],
  strings: ["string"],
  formatters: /\.(format|format_map|join)$/,
  builders: /^(append|extend|insert|write)$/,
  requestSource:
    /\brequest\.(args|form|values|json|files|cookies|headers|data|GET|POST|FILES|COOKIES|META|body|query_params|path_params|get_json|get_data)\b/,
  environmentSource: /\bos\.environ\b|\bos\.getenv\(|\bsys\.argv\b|^input\(/,
  requestParameter: /^request\b/,
  // Flask and FastAPI routes: every parameter comes from the URL, the query or the body.
  handler: /@\w+(\.\w+)*\.(route|get|post|put|patch|delete|api_route)\(|@api_view\b/,
  // A Django view: the request, then the URL's parameters.
  handlerParameters: /^\(\s*(self\s*,\s*)?request\b/,
  sanitizers: /^(int|float|bool|len|uuid\.UUID|UUID|abs|round)$|\.(isdigit|isalnum|count)$/
}

export const pythonFlowRules: ReadonlyArray<FlowRule> = [
  flow({
    id: "python/sql-injection",
    message: "SQL text built from data",
    cwe: "CWE-89",
    injection: true,
    built: true,
    fix: "keep the SQL a literal with placeholders and pass the values apart: execute(sql, params)",
    sinks: [
      {
        name: /^(execute|executemany|executescript|raw|extra|text|read_sql|read_sql_query|fetch|fetchrow|fetchval|mogrify)$/,
        argument: 0
      }
    ],
    sanitizers: /(^|\.)(quote_ident|escape_string|escape_identifier)$/
  }),
  flow({
    id: "python/command-injection",
    message: "a shell command built from data",
    cwe: "CWE-78",
    injection: true,
    built: true,
    unknown: true,
    fix: "pass the program and its arguments as a list, without shell=True (or quote each part with shlex.quote)",
    sinks: [
      {
        name: /^(run|call|check_call|check_output|Popen)$/,
        receiver: /^subprocess$/,
        argument: 0,
        when: /shell\s*=\s*True/
      },
      { name: /^(getoutput|getstatusoutput)$/, receiver: /^subprocess$/, argument: 0 },
      { name: /^(system|popen)$/, receiver: /^os$/, argument: 0 }
    ],
    sanitizers: /(^|\.)quote$/
  }),
  flow({
    id: "python/code-injection",
    message: "code built from data is evaluated",
    cwe: "CWE-95",
    injection: true,
    built: true,
    unknown: true,
    fix: "parse data with json.loads or ast.literal_eval; never evaluate it",
    sinks: [{ name: /^(eval|exec)$/, receiver: /^$/, argument: 0 }]
  }),
  flow({
    id: "python/tainted-path",
    message: "a file path taken from request data",
    cwe: "CWE-22",
    injection: false,
    built: false,
    fix: "keep the base directory fixed: take the file name through os.path.basename or secure_filename, or resolve the path and check it stays under the base",
    sinks: [
      { name: /^(open|send_file|FileResponse|remove|unlink|rmtree|Path|listdir|makedirs)$/, argument: 0 },
      { name: /^(read_text|read_bytes|write_text|write_bytes|open|unlink)$/, argument: "any" }
    ],
    sanitizers: /(^|\.)(basename|secure_filename)$/,
    guard: /\.is_relative_to\(|\.startswith\(|\bcommonpath\(/
  }),
  flow({
    id: "python/tainted-url",
    message: "a request is sent to a URL taken from request data",
    cwe: "CWE-918",
    injection: false,
    built: false,
    fix: "send requests only to a fixed host; put request data in the path or query, quoted",
    sinks: [
      {
        name: /^(get|post|put|patch|delete|head|request|urlopen|Request)$/,
        receiver: /^(requests|httpx|urllib\.request|urllib2|session|client|self\.session|self\.client|http)?$/,
        argument: 0,
        keyword: "url"
      }
    ],
    sanitizers: /(^|\.)(quote|quote_plus|urlencode)$/,
    safeHead: /^https?:\/\/[^/{%]+\//
  }),
  flow({
    id: "python/tainted-redirect",
    message: "a redirect to a URL taken from request data",
    cwe: "CWE-601",
    injection: false,
    built: false,
    fix: "redirect to a fixed path, or check the target with url_has_allowed_host_and_scheme first",
    sinks: [{ name: /^(redirect|HttpResponseRedirect|RedirectResponse)$/, argument: 0, keyword: "url" }],
    sanitizers: /(^|\.)url_for$/,
    guard: /url_has_allowed_host_and_scheme|is_safe_url|\.netloc\b/,
    safeHead: /^\/(?!\/)/
  }),
  flow({
    id: "python/tainted-html",
    message: "HTML built from request data is sent without escaping",
    cwe: "CWE-79",
    injection: false,
    built: false,
    fix: "render a template (it escapes), or escape each value with html.escape / markupsafe.escape",
    sinks: [
      { name: /^(HttpResponse|make_response|Response|HTMLResponse)$/, argument: 0, keyword: "content" },
      // Flask sends a view's returned str as text/html; FastAPI does with response_class=HTMLResponse.
      {
        name: /^return$/,
        argument: 0,
        file: /\bfrom flask import\b|\bimport flask\b|response_class\s*=\s*HTMLResponse\b/
      }
    ],
    sanitizers: /(^|\.)(escape|clean|format_html)$/,
    head: /</
  }),
  flow({
    id: "python/log-injection",
    message: "request data is written to a log line as it is",
    cwe: "CWE-117",
    injection: false,
    built: false,
    fix: "strip CR and LF from request data before logging it, or log it with %r",
    sinks: [
      {
        name: /^(debug|info|warning|warn|error|critical|exception|log)$/,
        receiver: /^(logging|logger|log|_logger|_log|self\.logger|self\.log|app\.logger|current_app\.logger)$/,
        argument: "any",
        unless: /%r|!r\}/
      }
    ],
    sanitizers: /\.(replace|strip|splitlines)$|^(repr|json\.dumps)$/
  }),
  flow({
    id: "python/ldap-injection",
    message: "an LDAP filter built from request data",
    cwe: "CWE-90",
    injection: false,
    built: false,
    fix: "escape each value with escape_filter_chars (ldap.filter, ldap3.utils.conv) or build the filter with ldap.filter.filter_format",
    sinks: [
      // python-ldap: search_s(base, scope, filterstr); ldap3: Connection.search(search_base, search_filter).
      { name: /^(search|search_s|search_st|search_ext|search_ext_s|search_subtree_s)$/, argument: 2 },
      { name: /^search$/, argument: 1, unless: /^re\./ }
    ],
    sanitizers: /(^|\.)(escape_filter_chars|filter_format)$/,
    // A filter starts with its parenthesis: a search term passed to another search() does not.
    head: /^\(/
  }),
  flow({
    id: "python/xpath-injection",
    message: "an XPath expression built from request data",
    cwe: "CWE-643",
    injection: false,
    built: false,
    fix: 'keep the expression a literal with $variables and pass the values as keywords: tree.xpath("//user[@name=$name]", name=name)',
    sinks: [
      { name: /^xpath$/, argument: 0 },
      { name: /^(XPath|ETXPath)$/, receiver: /^(etree|lxml\.etree|)$/, argument: 0 }
    ]
  })
]
