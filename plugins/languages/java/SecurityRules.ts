/**
 * Security and performance rules for Java, as tree-sitter queries. Classes are matched by their
 * simple names (`MessageDigest`, `ObjectInputStream`), as imported code writes them.
 */
import { performance, q, type Rule, type RuleSet, re, security } from "../../quality/tree-sitter/Rule.ts"
import { javaFlow, javaFlowRules } from "./FlowRules.ts"

/** An argument that is not a literal: a name, a field, a concatenation, a call. */
const dynamic = q`[(identifier) (field_access) (binary_expression) (method_invocation) (array_access)]`
const secretName = q`"([Pp]assword|PASSWORD|[Pp]asswd|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Aa]pi[Kk]ey|API_?KEY|[Pp]rivate[Kk]ey|PRIVATE_?KEY)$"`
const requestInput = q`"(\\brequest\\.(getParameter|getHeader|getPathInfo|getQueryString|getInputStream)|@(RequestParam|PathVariable))"`
const sqlMethod = q`"^(executeQuery|executeUpdate|execute|addBatch|prepareStatement|prepareCall|createQuery|createNativeQuery|queryForList|queryForObject|update)$"`
/** `@CrossOrigin` arguments (with their parentheses): credentials allowed, every origin, some origins named. */
const credentialsTrue = q`"\\ballowCredentials\\s*=\\s*\"true\""`
const anyOrigin = q`"(\\b(origins|originPatterns|value)\\s*=\\s*|^\\(\\s*)(\\{[^}]*)?\"\\*\""`
const namesOrigins = q`"\\b(origins|originPatterns|value)\\s*=|^\\(\\s*[{\"]"`
/** Modifiers or a class body with a `@CrossOrigin` that names its origins. */
const crossOriginNaming = q`"@(\\w+\\.)*CrossOrigin\\s*\\(\\s*([{\"]|[^)]*\\b(origins|originPatterns|value)\\s*=)"`
/** A Spring handler method's annotations. */
const handlerMapping = q`"@(\\w+\\.)*(Get|Post|Put|Delete|Patch|Request)Mapping\\b"`
const loopBody = q`[
  (for_statement body: (block) @scope)
  (enhanced_for_statement body: (block) @scope)
  (while_statement body: (block) @scope)
  (do_statement body: (block) @scope)
]`

/**
 * A name that holds a secret compared as text: a token, a secret, a password, a signature, a
 * digest, an HMAC, an API key (`apiKey`, `props.getWebhookSecret()`, `API_TOKEN`). Names that
 * only start so (`tokenType`) are not.
 */
const secretValue = re(
  /(^|[^\w])(([a-z]\w*)?(Token|Secret|Password|Passwd|Signature|Digest|Hmac|HMAC|ApiKey|APIKey)|token|secret|password|passwd|signature|digest|hmac|apiKey|([A-Z0-9]+_)*(TOKEN|SECRET|PASSWORD|SIGNATURE|DIGEST|HMAC|API_KEY))(\(\))?$/
)

const securityRules: ReadonlyArray<Rule> = [
  security({
    id: "java/timing-attack",
    when: /\b(equals|contentEquals)\(/,
    message: "a secret is compared with equals, which stops at the first differing character",
    severity: "warning",
    cwe: "CWE-208",
    // Medium as in JavaScript: the secret is guessed from a name, and a lexer comparing
    // `token == eof` looks the same; it is reported without failing the default gate.
    level: "medium",
    fix: "compare secrets and signatures with MessageDigest.isEqual on their bytes",
    // String.equals, Arrays.equals, Objects.equals; a literal on either side reveals no secret,
    // and a class's own equals (a token type's fields compared) is no check of a secret.
    inside: q`((method_declaration name: (identifier) @name body: (block) @scope) (#not-match? @name "^(equals|hashCode|compareTo)$"))
      (constructor_declaration body: (constructor_body) @scope)
      (lambda_expression body: (_) @scope)`,
    query: q`((method_invocation object: (_) @a name: (identifier) @method arguments: (argument_list . (_) @b .)) @match
        (#match? @method "^(equals|contentEquals)$") (#match? @a ${secretValue}) (#not-match? @b "^(null|\"[\\s\\S]*)$"))
      ((method_invocation object: (_) @a name: (identifier) @method arguments: (argument_list . (_) @b .)) @match
        (#match? @method "^(equals|contentEquals)$") (#match? @b ${secretValue}) (#not-match? @a "^\""))
      ((method_invocation object: (identifier) @type name: (identifier) @method arguments: (argument_list . (_) @a . (_) @b .)) @match
        (#match? @type "^(Arrays|Objects)$") (#eq? @method "equals") (#match? @a ${secretValue}) (#not-match? @b "^(null|\")"))
      ((method_invocation object: (identifier) @type name: (identifier) @method arguments: (argument_list . (_) @a . (_) @b .)) @match
        (#match? @type "^(Arrays|Objects)$") (#eq? @method "equals") (#match? @b ${secretValue}) (#not-match? @a "^(null|\")"))`
  }),
  security({
    id: "java/runtime-exec",
    message: "Runtime.exec runs a command built at run time",
    severity: "error",
    cwe: "CWE-78",
    level: "critical",
    fix: "use ProcessBuilder with a fixed program and separate arguments",
    query: q`(method_invocation object: (method_invocation object: (identifier) @runtime name: (identifier) @get)
      name: (identifier) @exec arguments: (argument_list . ${dynamic})
      (#eq? @runtime "Runtime") (#eq? @get "getRuntime") (#eq? @exec "exec")) @match`
  }),
  security({
    id: "java/sql-concat",
    message: "SQL built by concatenation is passed to a query",
    severity: "error",
    cwe: "CWE-89",
    level: "critical",
    fix: "use a PreparedStatement with ? placeholders",
    query: q`(method_invocation name: (identifier) @method
      arguments: (argument_list . (binary_expression left: [(string_literal) (binary_expression)] operator: "+") @match)
      (#match? @method ${sqlMethod}))`
  }),
  security({
    id: "java/sql-format",
    message: "SQL built with String.format is passed to a query",
    severity: "error",
    cwe: "CWE-89",
    level: "critical",
    fix: "use a PreparedStatement with ? placeholders",
    query: q`(method_invocation name: (identifier) @method
      arguments: (argument_list . (method_invocation object: (identifier) @string name: (identifier) @format) @match)
      (#match? @method ${sqlMethod}) (#eq? @string "String") (#match? @format "^(format|join)$"))`
  }),
  security({
    id: "java/script-eval",
    message: "a script engine evaluates code built at run time",
    severity: "error",
    cwe: "CWE-95",
    level: "critical",
    fix: "do not evaluate input; expose a fixed set of operations instead",
    query: q`(method_invocation object: (identifier) @engine name: (identifier) @eval arguments: (argument_list . ${dynamic})
      (#match? @engine "([Ee]ngine|[Ss]hell|[Ii]nterpreter)$") (#eq? @eval "eval")) @match`
  }),
  security({
    id: "java/object-input-stream",
    message: "Java deserialisation of a stream can run code from it",
    severity: "error",
    cwe: "CWE-502",
    level: "high",
    fix: "exchange data as JSON, or set an ObjectInputFilter allow-list",
    query: q`(object_creation_expression type: (type_identifier) @type (#eq? @type "ObjectInputStream")) @match`
  }),
  security({
    id: "java/unsafe-xml-deserialisation",
    message: "XMLDecoder/XStream deserialisation can build arbitrary objects",
    severity: "error",
    cwe: "CWE-502",
    level: "high",
    fix: "bind XML to fixed types (JAXB, Jackson XML) or configure an XStream allow-list",
    query: q`((object_creation_expression type: (type_identifier) @type) @match (#eq? @type "XMLDecoder"))
      ((method_invocation name: (identifier) @name) @match (#eq? @name "fromXML"))`
  }),
  security({
    id: "java/xxe",
    message: "an XML parser factory made without disabling DOCTYPEs resolves external entities (XXE)",
    severity: "error",
    cwe: "CWE-611",
    level: "high",
    fix: 'in the same method, setFeature("http://apache.org/xml/features/disallow-doctype-decl", true) (XMLInputFactory: setProperty(XMLInputFactory.SUPPORT_DTD, false))',
    query: q`(method_invocation object: (identifier) @factory name: (identifier) @name
      (#match? @factory "^(DocumentBuilderFactory|SAXParserFactory|XMLInputFactory|TransformerFactory|SchemaFactory)$")
      (#match? @name "^(newInstance|newFactory|newDefaultInstance|newDefaultFactory)$")) @match`,
    // The factory counts as hardened only by a setting in the method that makes it: a field set
    // elsewhere is not seen, so a bare factory is reported.
    inside: q`([(method_declaration body: (block) @scope) (constructor_declaration body: (constructor_body) @scope)]
      (#not-match? @scope "disallow-doctype-decl|FEATURE_SECURE_PROCESSING|SUPPORT_DTD|ACCESS_EXTERNAL_DTD|IS_SUPPORTING_EXTERNAL_ENTITIES"))`
  }),
  security({
    id: "java/path-traversal",
    message: "a file path is built from request input",
    severity: "error",
    cwe: "CWE-22",
    level: "high",
    fix: "normalise the path and check it starts with the base directory",
    query: q`((object_creation_expression type: (type_identifier) @type arguments: (argument_list) @args) @match
        (#match? @type "^(File|FileInputStream|FileOutputStream|FileReader|FileWriter)$") (#match? @args ${requestInput}))
      ((method_invocation object: (identifier) @paths name: (identifier) @get arguments: (argument_list) @args) @match
        (#match? @paths "^(Paths|Path)$") (#match? @get "^(get|of)$") (#match? @args ${requestInput}))`
  }),
  security({
    id: "java/weak-hash",
    message: "MD5 and SHA-1 are broken for security purposes",
    severity: "error",
    cwe: "CWE-328",
    level: "medium",
    fix: 'use MessageDigest.getInstance("SHA-256")',
    query: q`(method_invocation object: (identifier) @class name: (identifier) @get arguments: (argument_list . (string_literal) @algorithm)
      (#eq? @class "MessageDigest") (#eq? @get "getInstance") (#match? @algorithm "^\"(MD2|MD4|MD5|SHA-?1|SHA)\"$")) @match`
  }),
  security({
    id: "java/weak-cipher",
    message: "DES, 3DES, RC4 and Blowfish are weak ciphers",
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: 'use Cipher.getInstance("AES/GCM/NoPadding")',
    query: q`(method_invocation object: (identifier) @class name: (identifier) @get arguments: (argument_list . (string_literal) @algorithm)
      (#match? @class "^(Cipher|KeyGenerator|SecretKeyFactory)$") (#eq? @get "getInstance") (#match? @algorithm "^\"(DES|DESede|TripleDES|RC2|RC4|ARCFOUR|Blowfish)")) @match`
  }),
  security({
    id: "java/ecb-mode",
    message: 'ECB mode (the default for a bare "AES") leaks patterns of the plaintext',
    severity: "error",
    cwe: "CWE-327",
    level: "high",
    fix: 'use Cipher.getInstance("AES/GCM/NoPadding")',
    query: q`(method_invocation object: (identifier) @class name: (identifier) @get arguments: (argument_list . (string_literal) @algorithm)
      (#eq? @class "Cipher") (#eq? @get "getInstance") (#match? @algorithm "^\"AES\"$|/ECB/")) @match`
  }),
  security({
    id: "java/gcm-fixed-nonce",
    message: "a GCM nonce that no SecureRandom fills in this method is reused for every message, which breaks GCM",
    severity: "error",
    cwe: "CWE-323",
    level: "high",
    fix: "fill a new byte[12] with SecureRandom.nextBytes for each message and send it with the ciphertext",
    query: q`((object_creation_expression type: (type_identifier) @type arguments: (argument_list (_) . (_) @nonce .)) @match
      (#eq? @type "GCMParameterSpec") (#match? @nonce "^(\"|new byte|[A-Z_]+$|[A-Z_]+\\.getBytes)|\\.getBytes\\("))`,
    inside: q`([(method_declaration body: (block) @scope) (constructor_declaration body: (constructor_body) @scope)]
      (#not-match? @scope "nextBytes|generateSeed|getIV\\(\\)"))`
  }),
  security({
    id: "java/insecure-random",
    message: "java.util.Random and Math.random are predictable; they must not make secrets",
    severity: "error",
    cwe: "CWE-338",
    level: "high",
    fix: "use java.security.SecureRandom",
    query: q`(variable_declarator name: (identifier) @name value: (_) @value
      (#match? @name "([Tt]oken|TOKEN|[Ss]ecret|SECRET|[Pp]assword|[Nn]once|[Ss]alt|[Oo]tp|[Kk]ey)")
      (#match? @value "(new Random\\(|Math\\.random\\(|ThreadLocalRandom|\\b[rR]andom\\.next)")) @match`
  }),
  security({
    id: "java/trust-all-certificates",
    message: "a TrustManager that accepts every certificate",
    severity: "error",
    cwe: "CWE-295",
    level: "critical",
    fix: "use the default TrustManager, or load the private CA into a KeyStore",
    query: q`(method_declaration name: (identifier) @name body: (block) @body
      (#match? @name "^check(Server|Client)Trusted$") (#match? @body "^\\{\\s*\\}$")) @match`
  }),
  security({
    id: "java/tls-old-version",
    message: "SSL 3, TLS 1.0 and TLS 1.1 are broken protocol versions",
    severity: "error",
    cwe: "CWE-326",
    level: "high",
    fix: 'ask for SSLContext.getInstance("TLSv1.3") (or "TLS", which negotiates 1.2 and later on a current JDK)',
    query: q`(method_invocation object: (identifier) @class name: (identifier) @name arguments: (argument_list . (string_literal) @version)
      (#eq? @class "SSLContext") (#eq? @name "getInstance") (#match? @version "^.(SSL|SSLv2|SSLv3|TLSv1|TLSv1\\.1).$")) @match`
  }),
  security({
    id: "java/hostname-verifier-allow-all",
    message: "a HostnameVerifier that accepts every host",
    severity: "error",
    cwe: "CWE-297",
    level: "high",
    fix: "keep the default hostname verification",
    query: q`((method_declaration name: (identifier) @name body: (block) @body) @match
        (#eq? @name "verify") (#match? @body "^\\{\\s*return true;\\s*\\}$"))
      ((lambda_expression parameters: (inferred_parameters (identifier) (identifier)) body: (true)) @match)
      ([(type_identifier) (identifier)] @match (#match? @match "^(NoopHostnameVerifier|ALLOW_ALL_HOSTNAME_VERIFIER)$"))`
  }),
  security({
    id: "java/hardcoded-credential",
    message: "a credential is hard-coded in the source",
    severity: "error",
    cwe: "CWE-798",
    level: "high",
    fix: "read it from the environment or a secret store",
    query: q`(variable_declarator name: (identifier) @name value: (string_literal (string_fragment)) @match (#match? @name ${secretName}))`
  }),
  security({
    id: "java/reflected-xss",
    message: "request input is written to the response without escaping",
    severity: "error",
    cwe: "CWE-79",
    level: "high",
    fix: "escape it for HTML (OWASP Encoder, a template engine)",
    query: q`(method_invocation object: (method_invocation name: (identifier) @writer) name: (identifier) @print arguments: (argument_list) @args
      (#eq? @writer "getWriter") (#match? @print "^(print|println|write|printf|append)$") (#match? @args ${requestInput})) @match`
  }),
  security({
    id: "java/redos",
    message: "a regular expression with nested quantifiers can take exponential time",
    severity: "warning",
    cwe: "CWE-1333",
    level: "medium",
    fix: "remove the nested quantifier, e.g. (a+)+ → a+",
    query: q`(method_invocation object: (identifier) @class name: (identifier) @compile arguments: (argument_list . (string_literal) @match)
      (#eq? @class "Pattern") (#match? @compile "^(compile|matches)$") (#match? @match "\\([^()]*[+*][^()]*\\)[+*{]"))`
  }),
  security({
    id: "java/unsafe-reflection",
    message: "a class is loaded by a name chosen at run time",
    severity: "warning",
    cwe: "CWE-470",
    level: "medium",
    fix: "map allowed names to classes explicitly",
    query: q`(method_invocation object: (identifier) @class name: (identifier) @for arguments: (argument_list . ${dynamic})
      (#eq? @class "Class") (#eq? @for "forName")) @match`
  }),
  security({
    id: "java/cors-credentials-any-origin",
    when: /allowedOrigin(s|Patterns)\(\s*"\*"/,
    message: "CORS allows credentials for every origin: every site can read the user's responses",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: 'list the allowed origins (allowedOrigins("https://app.example.com")) when credentials are allowed',
    // The origin pattern "*" is echoed for every site; allowedOrigins("*") with credentials is
    // refused by Spring 5.3 and later but echoed by older ones. One CorsRegistry chain: the later
    // of the two calls holds both.
    query: q`((method_invocation name: (identifier) @method) @match
      (#match? @method "^(allowedOrigins|allowedOriginPatterns|allowCredentials)$")
      (#match? @match "allowedOrigin(s|Patterns)\\(\\s*\"\\*\"\\s*\\)[\\s\\S]*allowCredentials\\(\\s*true\\s*\\)|allowCredentials\\(\\s*true\\s*\\)[\\s\\S]*allowedOrigin(s|Patterns)\\(\\s*\"\\*\"\\s*\\)"))`
  }),
  security({
    id: "java/cors-reflected-origin",
    when: /setAllowCredentials\(\s*true/,
    message:
      "a CORS configuration allows every origin with credentials: Spring echoes any Origin, and every site can read the user's responses",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: "set the allowed origins (setAllowedOrigins(List.of(...))) when credentials are allowed",
    query: q`((method_invocation name: (identifier) @method arguments: (argument_list . (_) @origin)) @match
      (#match? @method "^(addAllowedOrigin|setAllowedOrigins|addAllowedOriginPattern|setAllowedOriginPatterns)$")
      (#match? @origin "^(\"\\*\"|CorsConfiguration\\.ALL|(List\\.of|Arrays\\.asList|Collections\\.singletonList)\\((\"\\*\"|CorsConfiguration\\.ALL)\\))$"))`,
    // The method that allows every origin also allows credentials.
    inside: q`((method_declaration body: (block) @scope) (#match? @scope "setAllowCredentials\\(\\s*true\\s*\\)"))`
  }),
  security({
    id: "java/cors-cross-origin-credentials",
    when: /@(\w+\.)*CrossOrigin\b/,
    message:
      '@CrossOrigin allows credentials for every origin ("*", or no origins named): every site can read the user\'s responses',
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: 'name the origins beside the credentials: @CrossOrigin(origins = "https://app.example.com", allowCredentials = "true")',
    // With no origins, Spring's @CrossOrigin allows every one, unless the other of the class's and
    // the method's annotations names them: Spring joins the two.
    query: q`((annotation name: (_) @name arguments: (annotation_argument_list) @args) @match
        (#match? @name "(^|\\.)CrossOrigin$")
        (#match? @args ${credentialsTrue})
        (#match? @args ${anyOrigin}))
      ((class_declaration (modifiers) @classModifiers
          body: (class_body (method_declaration (modifiers (annotation name: (_) @name arguments: (annotation_argument_list) @args) @match))))
        (#match? @name "(^|\\.)CrossOrigin$")
        (#match? @args ${credentialsTrue})
        (#not-match? @args ${namesOrigins})
        (#not-match? @classModifiers ${crossOriginNaming}))
      ((class_declaration (modifiers (annotation name: (_) @name arguments: (annotation_argument_list) @args) @match) body: (class_body) @body)
        (#match? @name "(^|\\.)CrossOrigin$")
        (#match? @args ${credentialsTrue})
        (#not-match? @args ${namesOrigins})
        (#not-match? @body ${crossOriginNaming}))
      ((class_declaration (modifiers (annotation name: (_) @name arguments: (annotation_argument_list) @args) @match)
          body: (class_body (method_declaration (modifiers) @methodModifiers)))
        (#match? @name "(^|\\.)CrossOrigin$")
        (#match? @args ${credentialsTrue})
        (#not-match? @args ${namesOrigins})
        (#match? @methodModifiers ${handlerMapping})
        (#not-match? @methodModifiers ${crossOriginNaming}))`
  }),
  security({
    id: "java/cors-cross-origin-split",
    when: /@(\w+\.)*CrossOrigin\b[\s\S]*@(\w+\.)*CrossOrigin\b/,
    message:
      "the class's and the method's @CrossOrigin together allow credentials for every origin: Spring joins them, and every site can read the user's responses",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: 'name the origins where the credentials are allowed, and no "*" on the class or the method: @CrossOrigin(origins = "https://app.example.com")',
    // Spring adds the method's origins to the class's ("*" in either is every origin); the
    // method's allowCredentials, when set, replaces the class's. The finding is at the method's.
    query: q`((class_declaration (modifiers (annotation name: (_) @className arguments: (annotation_argument_list) @classArgs))
          body: (class_body (method_declaration (modifiers (annotation name: (_) @name arguments: (annotation_argument_list) @args) @match))))
        (#match? @className "(^|\\.)CrossOrigin$")
        (#match? @name "(^|\\.)CrossOrigin$")
        (#match? @classArgs ${credentialsTrue})
        (#match? @args ${anyOrigin})
        (#not-match? @args "\\ballowCredentials\\s*="))
      ((class_declaration (modifiers (annotation name: (_) @className arguments: (annotation_argument_list) @classArgs))
          body: (class_body (method_declaration (modifiers (annotation name: (_) @name arguments: (annotation_argument_list) @args) @match))))
        (#match? @className "(^|\\.)CrossOrigin$")
        (#match? @name "(^|\\.)CrossOrigin$")
        (#match? @classArgs ${anyOrigin})
        (#match? @args ${credentialsTrue})
        (#not-match? @args ${anyOrigin}))`
  }),
  security({
    id: "java/cors-permit-defaults-credentials",
    when: /applyPermitDefaultValues\(/,
    message:
      "applyPermitDefaultValues() allows every origin, and the same configuration allows credentials: every site can read the user's responses",
    severity: "error",
    cwe: "CWE-942",
    level: "high",
    fix: "set the allowed origins (setAllowedOrigins(List.of(...))) on a configuration that allows credentials",
    query: q`((method_invocation name: (identifier) @method) @match (#eq? @method "applyPermitDefaultValues"))`,
    // Its "*" stays only while no origins are set, before or after it.
    inside: q`((method_declaration body: (block) @scope)
      (#match? @scope "setAllowCredentials\\(\\s*true\\s*\\)")
      (#not-match? @scope "(setAllowedOrigins|addAllowedOrigin|setAllowedOriginPatterns|addAllowedOriginPattern)\\("))`
  }),
  security({
    id: "java/csrf-disabled",
    message: "CSRF protection is disabled",
    severity: "warning",
    cwe: "CWE-352",
    level: "medium",
    fix: "keep CSRF protection on for browser-facing endpoints",
    query: q`((method_invocation object: (method_invocation name: (identifier) @csrf) name: (identifier) @disable) @match
        (#eq? @csrf "csrf") (#eq? @disable "disable"))
      ((method_invocation name: (identifier) @csrf arguments: (argument_list (method_reference) @reference)) @match
        (#eq? @csrf "csrf") (#match? @reference "::disable$"))`
  }),
  security({
    id: "java/cookie-insecure",
    message: "a cookie is sent without Secure or HttpOnly",
    severity: "warning",
    cwe: "CWE-614",
    level: "medium",
    fix: "call setSecure(true) and setHttpOnly(true)",
    query: q`(method_invocation name: (identifier) @set arguments: (argument_list (false))
      (#match? @set "^set(Secure|HttpOnly)$")) @match`
  })
]

const performanceRules: ReadonlyArray<Rule> = [
  performance({
    id: "java/string-concat-in-loop",
    message: "building a String with += in a loop copies it on every iteration",
    fix: "use a StringBuilder",
    query: q`((assignment_expression operator: "+=" right: [(string_literal) (binary_expression)]) @match)`,
    inside: loopBody
  }),
  security({
    id: "java/cookie-missing-flags",
    message: "a cookie is added without setHttpOnly(true) and setSecure(true) in the method that makes it",
    severity: "error",
    cwe: "CWE-614",
    level: "high",
    fix: "call cookie.setHttpOnly(true) and cookie.setSecure(true) before response.addCookie",
    query: q`(object_creation_expression type: (type_identifier) @type (#eq? @type "Cookie")) @match`,
    inside: q`([(method_declaration body: (block) @scope) (constructor_declaration body: (constructor_body) @scope)]
      (#match? @scope "addCookie")
      (#not-match? @scope "setHttpOnly\\(true\\)[\\s\\S]*setSecure\\(true\\)|setSecure\\(true\\)[\\s\\S]*setHttpOnly\\(true\\)"))`
  }),
  security({
    id: "java/world-writable",
    message: "a file or directory is made writable by everyone",
    severity: "error",
    cwe: "CWE-732",
    level: "high",
    fix: 'use PosixFilePermissions.fromString("rw-------") (files) or "rwxr-x---" (directories)',
    query: q`((method_invocation object: (identifier) @class name: (identifier) @name arguments: (argument_list . (string_literal) @permissions)) @match
        (#eq? @class "PosixFilePermissions") (#eq? @name "fromString") (#match? @permissions "^.{8}w"))
      ((method_invocation name: (identifier) @name arguments: (argument_list . (true) . (false) .)) @match
        (#eq? @name "setWritable"))`
  }),
  performance({
    id: "java/regex-in-loop",
    message: "a regular expression is compiled on every iteration",
    fix: "compile it once into a static final Pattern",
    query: q`(method_invocation object: (identifier) @class name: (identifier) @compile
      (#eq? @class "Pattern") (#match? @compile "^(compile|matches)$")) @match`,
    inside: loopBody
  }),
  performance({
    id: "java/query-in-loop",
    message: "a query per iteration (N+1 queries)",
    fix: "fetch all rows in one query (WHERE id IN (...), a join fetch)",
    query: q`(method_invocation name: (identifier) @method
      (#match? @method "^(executeQuery|executeUpdate|createQuery|createNativeQuery|queryForObject|queryForList|find|findById)$")) @match`,
    inside: loopBody
  }),
  performance({
    id: "java/nested-loop-same-collection",
    message: "a loop over a collection inside a loop over the same collection is quadratic",
    fix: "index the collection once in a HashMap and look items up",
    query: q`(enhanced_for_statement value: (_) @outer
      body: (block (enhanced_for_statement value: (_) @inner) @match)
      (#eq? @outer @inner))`
  }),
  performance({
    id: "java/expensive-object-in-loop",
    message: "an expensive, reusable object is created on every iteration",
    fix: "create it once outside the loop (it is thread-safe or can be reused)",
    query: q`(object_creation_expression type: (type_identifier) @type
      (#match? @type "^(ObjectMapper|Gson|SimpleDateFormat|DocumentBuilderFactory|HttpClient|JAXBContext)$")) @match`,
    inside: loopBody
  }),
  performance({
    id: "java/thread-in-loop",
    message: "a new Thread per iteration is costly and unbounded",
    fix: "submit the work to an ExecutorService",
    query: q`(object_creation_expression type: (type_identifier) @type (#eq? @type "Thread")) @match`,
    inside: loopBody
  }),
  performance({
    id: "java/boxing-constructor",
    message: "boxing constructors allocate on every call and are deprecated",
    fix: "use valueOf (Integer.valueOf) or autoboxing",
    query: q`(object_creation_expression type: (type_identifier) @type
      (#match? @type "^(Integer|Long|Short|Byte|Character|Boolean|Double|Float)$")) @match`
  })
]

/** The Java rules, for the `java` grammar. */
export const java: RuleSet = {
  language: "java",
  grammars: ["java"],
  functionTypes: ["method_declaration", "constructor_declaration", "lambda_expression"],
  rules: [...securityRules, ...javaFlowRules, ...performanceRules],
  flow: javaFlow
}
