/**
 * Java's data-flow rules: request data (Servlet `HttpServletRequest`, Spring `@RequestParam`,
 * `@PathVariable`, `@RequestBody`, JAX-RS parameters), `System.getenv` and `args`, traced through
 * declarations, `+`, `+=`, `String.format` and `StringBuilder.append` to the calls where they do
 * harm.
 */
import { type FlowRule, type FlowSyntax, flow } from "../../quality/tree-sitter/Rule.ts"

export const javaFlow: FlowSyntax = {
  bareFields: true,
  calls: {
    method_invocation: { name: "name", receiver: "object", args: "arguments" },
    object_creation_expression: { name: "type", args: "arguments" }
  },
  assignments: {
    variable_declarator: { target: "name", value: "value" },
    assignment_expression: { target: "left", value: "right" },
    enhanced_for_statement: { target: "name", value: "value" }
  },
  identifiers: ["identifier"],
  building: ["binary_expression"],
  strings: ["string_literal"],
  formatters: /(^|\.)(format|formatted|join|concat)$/,
  builders: /^(append|insert|add|concat)$/,
  requestSource:
    /\.(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getQueryString|getCookies|getRequestURI|getRequestURL|getPathInfo|getInputStream|getReader|getPart)\(/,
  environmentSource: /\bSystem\.(getenv|getProperty)\(|^args\[/,
  requestParameter:
    /@(RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute|QueryParam|PathParam|FormParam|HeaderParam)\b|\bHttpServletRequest\b/,
  sanitizers:
    /^(Integer\.parseInt|Integer\.valueOf|Long\.parseLong|Long\.valueOf|Double\.parseDouble|UUID\.fromString|Boolean\.parseBoolean|FilenameUtils\.getName|HtmlUtils\.htmlEscape|StringEscapeUtils\.escapeHtml4|Encode\.forHtml|URLEncoder\.encode)$|\.(getFileName|length|size|hashCode)$/
}

export const javaFlowRules: ReadonlyArray<FlowRule> = [
  flow({
    id: "java/sql-injection",
    message: "SQL text built from data",
    cwe: "CWE-89",
    injection: true,
    built: true,
    fix: "use a PreparedStatement (or JPA parameters) with ? / :name placeholders and bind the values",
    sinks: [
      {
        name: /^(executeQuery|executeUpdate|executeLargeUpdate|execute|addBatch|prepareStatement|prepareCall|createQuery|createNativeQuery|createSQLQuery|query|queryForObject|queryForList|queryForMap|queryForRowSet|update|batchUpdate|newQuery|preparedQuery)$/,
        argument: 0
      }
    ]
  }),
  flow({
    id: "java/command-injection",
    message: "a command built from data",
    cwe: "CWE-78",
    injection: true,
    built: true,
    unknown: true,
    fix: "run the program with ProcessBuilder and a list of arguments, with no shell",
    sinks: [
      { name: /^exec$/, receiver: /(getRuntime\(\)|^runtime|^rt)$/, argument: 0 },
      { name: /^ProcessBuilder$/, argument: 2, when: /^new ProcessBuilder\(\s*"(\/bin\/)?(ba|z)?sh"\s*,\s*"-c"/ },
      { name: /^command$/, argument: 2, when: /\.command\(\s*"(\/bin\/)?(ba|z)?sh"\s*,\s*"-c"/ }
    ]
  }),
  flow({
    id: "java/code-injection",
    message: "an expression or script built from data is evaluated",
    cwe: "CWE-94",
    injection: true,
    built: true,
    unknown: true,
    fix: "never evaluate request data: map it to fixed operations, or bind it as a variable of a fixed expression",
    sinks: [
      // SpEL, script engines, ELProcessor, Groovy, JEXL; XPath's evaluate and compile are another rule's.
      { name: /^(eval|parseExpression|parseRaw)$/, argument: 0 },
      { name: /^(evaluate|parse|compile)$/, receiver: /([Ss]hell|[Ee]ngine|Compilable\)\s*\w+\))$/, argument: 0 },
      { name: /^(createExpression|createScript)$/, receiver: /[Jj]exl$/, argument: 0 },
      { name: /^me$/, receiver: /^Eval$/, argument: 0 },
      // Jakarta EL: createValueExpression(elContext, expression, type).
      { name: /^(createValueExpression|createMethodExpression)$/, argument: 1 },
      { name: /^(getValue|setValue|parseExpression)$/, receiver: /^Ognl$/, argument: 0 }
    ]
  }),
  flow({
    id: "java/tainted-path",
    message: "a file path taken from request data",
    cwe: "CWE-22",
    injection: false,
    built: false,
    fix: "take the file name through Paths.get(name).getFileName(), or normalise the path and check it startsWith the base",
    sinks: [
      { name: /^(File|FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile)$/, argument: "any" },
      {
        name: /^(readAllBytes|readString|readAllLines|lines|newInputStream|newOutputStream|newBufferedReader|newBufferedWriter|write|writeString|delete|deleteIfExists|copy|move|createFile|createDirectories)$/,
        receiver: /^Files$/,
        argument: 0
      }
    ],
    guard: /\.startsWith\(/
  }),
  flow({
    id: "java/tainted-url",
    message: "a request is sent to a URL taken from request data",
    cwe: "CWE-918",
    injection: false,
    built: false,
    fix: "send requests only to a fixed host; put request data in the path or query, encoded",
    // Where a request is sent or built: a URL or URI object alone is also used to parse and check
    // a target (its host, a Location header), which sends nothing.
    sinks: [
      { name: /^(openConnection|openStream)$/, argument: "receiver" },
      { name: /^(getForObject|getForEntity|postForObject|postForEntity|exchange|uri|newBuilder)$/, argument: 0 },
      { name: /^(HttpGet|HttpPost|HttpPut|HttpDelete|HttpHead|HttpPatch)$/, argument: 0 },
      // OkHttp's Request.Builder (made in the chain, maybe after other setters, or held in a
      // variable), Jsoup, and helpers that fetch a URL they are given.
      { name: /^url$/, receiver: /Builder\(/, argument: 0 },
      {
        name: /^url$/,
        receiver: /^\w+$/,
        receiverDeclared: /(^|\s)(\w+\.)*Builder\s+\w+\s*[=;,]|=\s*new\s+(\w+\.)*Builder\(/,
        argument: 0
      },
      { name: /^connect$/, receiver: /^Jsoup$/, argument: 0 },
      { name: /^read$/, receiver: /^ImageIO$/, argument: 0 },
      { name: /^(toString|toByteArray|copyURLToFile)$/, receiver: /^(IOUtils|FileUtils|Resources)$/, argument: 0 }
    ],
    safeHead: /^https?:\/\/[^/%{]+\//
  }),
  flow({
    id: "java/tainted-redirect",
    message: "a redirect to a URL taken from request data",
    cwe: "CWE-601",
    injection: false,
    built: false,
    fix: "redirect to a fixed path, or check the target's host against a list",
    // Spring MVC: a RedirectView, or a view named "redirect:…", made or returned as a String.
    sinks: [
      { name: /^sendRedirect$/, argument: 0 },
      { name: /^RedirectView$/, argument: 0 },
      { name: /^ModelAndView$/, argument: 0, head: /^redirect:/ },
      { name: /^return$/, argument: 0, head: /^redirect:/, file: /\borg\.springframework\b/ }
    ],
    guard: /\.getHost\(\)\s*\.equals|ALLOWED|allowed/,
    safeHead: /^(redirect:)?\/(?!\/)/
  }),
  flow({
    id: "java/tainted-html",
    message: "HTML built from request data is written without escaping",
    cwe: "CWE-79",
    injection: false,
    built: false,
    fix: "render through a template engine that escapes, or escape each value (HtmlUtils.htmlEscape, Encode.forHtml)",
    sinks: [
      { name: /^(write|print|println|append)$/, receiver: /(getWriter\(\)|^out|^writer)$/, argument: 0 },
      // Spring: ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(html).
      { name: /^body$/, argument: 0, when: /TEXT_HTML|text\/html/ }
    ],
    head: /</
  }),
  flow({
    id: "java/log-injection",
    message: "request data is written to a log line as it is",
    cwe: "CWE-117",
    injection: false,
    built: false,
    fix: 'strip CR and LF from request data before logging it (replaceAll("[\\r\\n]", "")), or log it as a structured field',
    sinks: [
      {
        name: /^(info|warn|error|debug|trace|fine|warning|severe)$/,
        receiver: /^(log|logger|LOG|LOGGER|this\.logger)$/,
        argument: "any"
      }
    ],
    sanitizers: /\.(replace|replaceAll|strip)$|^(StringEscapeUtils\.escapeJava|Encode\.forJava)$/
  }),
  flow({
    id: "java/ldap-injection",
    message: "an LDAP filter built from request data",
    cwe: "CWE-90",
    injection: false,
    built: false,
    fix: 'pass the values as filter arguments (search(base, "(uid={0})", new Object[] {uid}, controls)) or encode them with LdapEncoder.filterEncode',
    // JNDI DirContext.search(name, filter, controls) and Spring's LdapTemplate.search(base, filter, mapper).
    sinks: [{ name: /^search$/, argument: 1 }],
    sanitizers: /(^|\.)(filterEncode|encodeForLDAP|escapeLDAPSearchFilter|escapeLdapFilter|escapeFilter)$/,
    // A filter starts with its parenthesis: a search term passed to another search() does not.
    head: /^\(/
  }),
  flow({
    id: "java/xpath-injection",
    message: "an XPath expression built from request data",
    cwe: "CWE-643",
    injection: false,
    built: false,
    fix: "keep the expression a literal with $variables and bind the values through an XPathVariableResolver",
    sinks: [
      {
        name: /^(evaluate|compile|evaluateExpression|selectNodes|selectSingleNode)$/,
        receiver: /(XPath|Xpath|xpath|xPath|document|doc)\b/,
        argument: 0
      }
    ],
    sanitizers: /(^|\.)encodeForXPath$/
  }),
  flow({
    id: "java/cors-origin-from-request",
    message: "the allowed CORS origin is taken from the request while credentials are allowed",
    cwe: "CWE-942",
    injection: false,
    built: false,
    fix: "check the Origin against a list of trusted origins before echoing it, or let Spring's CorsConfiguration with setAllowedOrigins(List.of(...)) answer",
    sinks: [
      {
        name: /^(setHeader|addHeader|header|set|add)$/,
        argument: 1,
        when: /\b(setHeader|addHeader|header|set|add)\(\s*("Access-Control-Allow-Origin"|HttpHeaders\.ACCESS_CONTROL_ALLOW_ORIGIN)\s*,/
      },
      { name: /^setAccessControlAllowOrigin$/, argument: 0 }
    ],
    // Without credentials an echoed origin grants no more than "*"; the response must allow them too.
    within:
      /Access-Control-Allow-Credentials"\s*,\s*"true"|ACCESS_CONTROL_ALLOW_CREDENTIALS\s*,\s*"true"|setAccessControlAllowCredentials\(\s*true\s*\)/,
    // CorsConfiguration.checkOrigin returns the origin only when it is allowed.
    sanitizers: /\.checkOrigin$/,
    // The origin compared with a list or a fixed value first.
    guard:
      /\.(contains|containsKey|equals|equalsIgnoreCase)\([^;{}]*[Oo]rigin[^;{}]*\)|\b\w*[Oo]rigin\w*\.(equals|equalsIgnoreCase)\(\s*"/
  })
]
