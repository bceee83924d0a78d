import type { ExampleTable } from "./Examples.ts"

/** A class whose method `run` has `body`. */
const inMethod = (body: string): string =>
  `class Example {\n  void run(HttpServletRequest request, HttpServletResponse response) throws Exception {\n${body}\n  }\n}\n`
const inClass = (members: string): string => `class Example {\n${members}\n}\n`

export const javaExamples: ExampleTable = {
  "java/timing-attack": {
    vulnerable: [
      inMethod('    if (!apiKey.equals(request.getHeader("X-Api-Key"))) response.sendError(401);'),
      inMethod('    boolean ok = request.getHeader("X-Token").equals(expectedToken);'),
      inMethod("    boolean ok = Arrays.equals(given, expectedSignature);"),
      inMethod("    boolean ok = Objects.equals(provided, props.getWebhookSecret());")
    ],
    safe: [
      inMethod("    boolean ok = MessageDigest.isEqual(apiKey.getBytes(UTF_8), provided.getBytes(UTF_8));"),
      inMethod('    if (!"Bearer".equals(tokenType)) return;'),
      inMethod('    if (token.equals("")) return;'),
      inMethod("    if (Objects.equals(token, null)) return;"),
      inClass(
        "  @Override\n  public boolean equals(Object o) {\n    return o instanceof AccessToken other && Objects.equals(token, other.token);\n  }"
      )
    ]
  },
  "java/runtime-exec": {
    vulnerable: [
      inMethod('    Runtime.getRuntime().exec("ls " + dir);'),
      inMethod("    Runtime.getRuntime().exec(command);")
    ],
    safe: [inMethod('    Runtime.getRuntime().exec("ls");'), inMethod('    new ProcessBuilder("ls", dir).start();')]
  },
  "java/sql-concat": {
    vulnerable: [
      inMethod('    statement.executeQuery("SELECT * FROM users WHERE name = \'" + name + "\'");'),
      inMethod('    em.createQuery("FROM User WHERE id = " + id);')
    ],
    safe: [
      inMethod('    connection.prepareStatement("SELECT * FROM users WHERE name = ?");'),
      inMethod('    log.info("user " + name);')
    ]
  },
  "java/sql-format": {
    vulnerable: [inMethod('    statement.execute(String.format("DELETE FROM users WHERE id = %s", id));')],
    safe: [
      inMethod('    statement.execute("DELETE FROM users WHERE id = ?");'),
      inMethod('    log.info(String.format("user %s", id));')
    ]
  },
  "java/script-eval": {
    vulnerable: [
      inMethod('    engine.eval(request.getParameter("expr"));'),
      inMethod('    scriptEngine.eval("var x = " + input);')
    ],
    safe: [inMethod('    engine.eval("1 + 2");'), inMethod("    evaluator.eval(expression);")]
  },
  "java/object-input-stream": {
    vulnerable: [inMethod("    ObjectInputStream in = new ObjectInputStream(socket.getInputStream());")],
    safe: [inMethod("    ObjectOutputStream out = new ObjectOutputStream(stream);")]
  },
  "java/unsafe-xml-deserialisation": {
    vulnerable: [
      inMethod("    XMLDecoder decoder = new XMLDecoder(stream);"),
      inMethod("    Object value = xstream.fromXML(body);")
    ],
    safe: [inMethod("    Order order = mapper.readValue(body, Order.class);")]
  },
  "java/xxe": {
    vulnerable: [
      "class A { Document f(InputStream in) throws Exception { return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in); } }\n",
      "class A { void f(InputStream in) throws Exception { XMLInputFactory f = XMLInputFactory.newFactory(); f.createXMLStreamReader(in); } }\n"
    ],
    safe: [
      'class A { Document f(InputStream in) throws Exception { DocumentBuilderFactory f = DocumentBuilderFactory.newInstance(); f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true); return f.newDocumentBuilder().parse(in); } }\n',
      "class A { void f(InputStream in) throws Exception { XMLInputFactory f = XMLInputFactory.newFactory(); f.setProperty(XMLInputFactory.SUPPORT_DTD, false); f.createXMLStreamReader(in); } }\n"
    ]
  },
  "java/path-traversal": {
    vulnerable: [
      inMethod('    File file = new File(UPLOADS, request.getParameter("name"));'),
      inMethod('    Path path = Paths.get(root, request.getParameter("file"));')
    ],
    safe: [
      inMethod('    File file = new File(UPLOADS, "report.pdf");'),
      inMethod('    Path path = Paths.get(root, "index.html");')
    ]
  },
  "java/weak-hash": {
    vulnerable: [
      inMethod('    MessageDigest md = MessageDigest.getInstance("MD5");'),
      inMethod('    MessageDigest md = MessageDigest.getInstance("SHA-1");')
    ],
    safe: [inMethod('    MessageDigest md = MessageDigest.getInstance("SHA-256");')]
  },
  "java/weak-cipher": {
    vulnerable: [
      inMethod('    Cipher cipher = Cipher.getInstance("DES/CBC/PKCS5Padding");'),
      inMethod('    Cipher cipher = Cipher.getInstance("RC4");')
    ],
    safe: [inMethod('    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");')]
  },
  "java/ecb-mode": {
    vulnerable: [
      inMethod('    Cipher cipher = Cipher.getInstance("AES");'),
      inMethod('    Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");')
    ],
    safe: [inMethod('    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");')]
  },
  "java/gcm-fixed-nonce": {
    vulnerable: [
      "class A { void f(Cipher c, SecretKey k) throws Exception { c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, new byte[12])); } }\n",
      'class A { void f(Cipher c, SecretKey k) throws Exception { c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, "0123456789ab".getBytes())); } }\n'
    ],
    safe: [
      "class A { void f(Cipher c, SecretKey k, SecureRandom r) throws Exception { byte[] n = new byte[12]; r.nextBytes(n); c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, n)); } }\n",
      "class A { void f(Cipher c, SecretKey k, byte[] iv) throws Exception { c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, iv)); } }\n"
    ]
  },
  "java/insecure-random": {
    vulnerable: [
      inMethod("    String token = Long.toHexString(new Random().nextLong());"),
      inMethod("    double resetKey = Math.random();")
    ],
    safe: [
      inMethod("    String token = Long.toHexString(new SecureRandom().nextLong());"),
      inMethod("    double jitter = Math.random();")
    ]
  },
  "java/trust-all-certificates": {
    vulnerable: [inClass("  public void checkServerTrusted(X509Certificate[] chain, String authType) {}")],
    safe: [
      inClass(
        "  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {\n    delegate.checkServerTrusted(chain, authType);\n  }"
      )
    ]
  },
  "java/tls-old-version": {
    vulnerable: [
      'class A { void f() throws Exception { SSLContext c = SSLContext.getInstance("TLSv1"); } }\n',
      'class A { void f() throws Exception { SSLContext c = SSLContext.getInstance("SSLv3"); } }\n'
    ],
    safe: [
      'class A { void f() throws Exception { SSLContext c = SSLContext.getInstance("TLSv1.3"); } }\n',
      'class A { void f() throws Exception { SSLContext c = SSLContext.getInstance("TLS"); } }\n'
    ]
  },
  "java/hostname-verifier-allow-all": {
    vulnerable: [
      inClass("  public boolean verify(String host, SSLSession session) {\n    return true;\n  }"),
      inMethod("    connection.setHostnameVerifier((host, session) -> true);"),
      inMethod("    builder.setSSLHostnameVerifier(new NoopHostnameVerifier());")
    ],
    safe: [
      inClass("  public boolean verify(String host, SSLSession session) {\n    return allowed.contains(host);\n  }")
    ]
  },
  "java/hardcoded-credential": {
    vulnerable: [
      inClass('  private static final String DB_PASSWORD = "hunter2";'),
      inMethod('    String apiKey = "sk-1234567890";')
    ],
    safe: [
      inMethod('    String password = System.getenv("DB_PASSWORD");'),
      inMethod('    String passwordLabel = "Password";'),
      inMethod('    String password = "";')
    ]
  },
  "java/reflected-xss": {
    vulnerable: [inMethod('    response.getWriter().println("<h1>" + request.getParameter("name") + "</h1>");')],
    safe: [inMethod('    response.getWriter().println("<h1>" + Encode.forHtml(name) + "</h1>");')]
  },
  "java/redos": {
    vulnerable: [inClass('  static final Pattern EMAIL = Pattern.compile("^([a-z0-9]+)+@example\\\\.com$");')],
    safe: [inClass('  static final Pattern EMAIL = Pattern.compile("^[a-z0-9]+@example\\\\.com$");')]
  },
  "java/unsafe-reflection": {
    vulnerable: [inMethod('    Class<?> type = Class.forName(request.getParameter("type"));')],
    safe: [inMethod('    Class<?> type = Class.forName("org.postgresql.Driver");')]
  },
  "java/cors-credentials-any-origin": {
    vulnerable: [
      'class C {\n  public void addCorsMappings(CorsRegistry registry) {\n    registry.addMapping("/**").allowedOriginPatterns("*").allowCredentials(true);\n  }\n}\n',
      'class C {\n  public void addCorsMappings(CorsRegistry registry) {\n    registry.addMapping("/**").allowCredentials(true).allowedMethods("GET").allowedOriginPatterns("*");\n  }\n}\n',
      'class C {\n  public void addCorsMappings(CorsRegistry registry) {\n    registry.addMapping("/**").allowedOrigins("*").allowCredentials(true);\n  }\n}\n'
    ],
    safe: [
      'class C {\n  public void addCorsMappings(CorsRegistry registry) {\n    registry.addMapping("/**").allowedOrigins("https://app.example.com").allowCredentials(true);\n  }\n}\n',
      'class C {\n  public void addCorsMappings(CorsRegistry registry) {\n    registry.addMapping("/public/**").allowedOriginPatterns("*");\n    registry.addMapping("/api/**").allowedOrigins("https://app.example.com").allowCredentials(true);\n  }\n}\n',
      'class C {\n  public void addCorsMappings(CorsRegistry registry) {\n    registry.addMapping("/open/**").allowedOrigins("*").allowCredentials(false);\n  }\n}\n'
    ]
  },
  "java/cors-reflected-origin": {
    vulnerable: [
      'class C {\n  CorsConfigurationSource source() {\n    CorsConfiguration config = new CorsConfiguration();\n    config.addAllowedOriginPattern("*");\n    config.setAllowCredentials(true);\n    return null;\n  }\n}\n',
      'class C {\n  CorsConfigurationSource source() {\n    CorsConfiguration config = new CorsConfiguration();\n    config.addAllowedOrigin("*");\n    config.setAllowCredentials(true);\n    return null;\n  }\n}\n',
      "class C {\n  CorsConfigurationSource source() {\n    CorsConfiguration config = new CorsConfiguration();\n    config.setAllowedOrigins(Collections.singletonList(CorsConfiguration.ALL));\n    config.setAllowCredentials(true);\n    return null;\n  }\n}\n"
    ],
    safe: [
      'class C {\n  CorsConfigurationSource source() {\n    CorsConfiguration config = new CorsConfiguration();\n    config.addAllowedOriginPattern("*");\n    return null;\n  }\n}\n',
      'class C {\n  CorsConfigurationSource source() {\n    CorsConfiguration config = new CorsConfiguration();\n    config.setAllowedOrigins(List.of("https://app.example.com"));\n    config.setAllowCredentials(true);\n    return null;\n  }\n}\n'
    ]
  },
  "java/cors-cross-origin-credentials": {
    vulnerable: [
      'class C {\n  @CrossOrigin(origins = "*", allowCredentials = "true")\n  @GetMapping("/me")\n  Profile me() { return null; }\n}\n',
      '@CrossOrigin(allowCredentials = "true")\n@RestController\nclass C {}\n',
      'class C {\n  @CrossOrigin(originPatterns = {"https://app.example.com", "*"}, allowCredentials = "true")\n  Profile me() { return null; }\n}\n'
    ],
    safe: [
      'class C {\n  @CrossOrigin(origins = "https://app.example.com", allowCredentials = "true")\n  Profile me() { return null; }\n}\n',
      'class C {\n  @CrossOrigin(origins = "*")\n  @GetMapping("/catalogue")\n  List<Product> all() { return null; }\n}\n',
      "@CrossOrigin\n@RestController\nclass C {}\n"
    ]
  },
  "java/cors-cross-origin-split": {
    vulnerable: [
      '@CrossOrigin(allowCredentials = "true")\nclass C {\n  @CrossOrigin(origins = "*")\n  @GetMapping("/me")\n  Profile me() { return null; }\n}\n',
      '@CrossOrigin("*")\nclass C {\n  @CrossOrigin(origins = "https://app.example.com", allowCredentials = "true")\n  @GetMapping("/me")\n  Profile me() { return null; }\n}\n'
    ],
    safe: [
      '@CrossOrigin(allowCredentials = "true")\nclass C {\n  @CrossOrigin(origins = "https://app.example.com")\n  @GetMapping("/me")\n  Profile me() { return null; }\n}\n',
      '@CrossOrigin(origins = "*")\nclass C {\n  @CrossOrigin(maxAge = 60)\n  @GetMapping("/catalogue")\n  List<Product> all() { return null; }\n}\n'
    ]
  },
  "java/cors-permit-defaults-credentials": {
    vulnerable: [
      "class C {\n  CorsConfiguration cors() {\n    CorsConfiguration config = new CorsConfiguration().applyPermitDefaultValues();\n    config.setAllowCredentials(true);\n    return config;\n  }\n}\n",
      "class C {\n  CorsConfiguration cors() {\n    CorsConfiguration config = new CorsConfiguration();\n    config.setAllowCredentials(true);\n    config.applyPermitDefaultValues();\n    return config;\n  }\n}\n"
    ],
    safe: [
      'class C {\n  CorsConfiguration cors() {\n    CorsConfiguration config = new CorsConfiguration();\n    config.setAllowedOrigins(List.of("https://app.example.com"));\n    config.setAllowCredentials(true);\n    config.applyPermitDefaultValues();\n    return config;\n  }\n}\n',
      "class C {\n  CorsConfiguration cors() {\n    return new CorsConfiguration().applyPermitDefaultValues();\n  }\n}\n"
    ]
  },
  "java/csrf-disabled": {
    vulnerable: [inMethod("    http.csrf().disable();"), inMethod("    http.csrf(AbstractHttpConfigurer::disable);")],
    safe: [inMethod("    http.csrf(Customizer.withDefaults());")]
  },
  "java/cookie-insecure": {
    vulnerable: [inMethod("    cookie.setSecure(false);")],
    safe: [inMethod("    cookie.setSecure(true);\n    cookie.setHttpOnly(true);")]
  },
  "java/cookie-missing-flags": {
    vulnerable: [
      'class A { void f(HttpServletResponse response, String id) { Cookie c = new Cookie("sid", id); response.addCookie(c); } }\n',
      'class A { void f(HttpServletResponse response, String id) { Cookie c = new Cookie("sid", id); c.setSecure(true); response.addCookie(c); } }\n'
    ],
    safe: [
      'class A { void f(HttpServletResponse response, String id) { Cookie c = new Cookie("sid", id); c.setHttpOnly(true); c.setSecure(true); response.addCookie(c); } }\n',
      'class A { Cookie f(String id) { return new Cookie("sid", id); } }\n'
    ]
  },
  "java/world-writable": {
    vulnerable: [
      'class A { void f(Path p) throws Exception { Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx")); } }\n',
      "class A { void f(File f) { f.setWritable(true, false); } }\n"
    ],
    safe: [
      'class A { void f(Path p) throws Exception { Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--")); } }\n',
      "class A { void f(File f) { f.setWritable(true, true); } }\n"
    ]
  },
  "java/string-concat-in-loop": {
    vulnerable: [inMethod('    String out = "";\n    for (String word : words) {\n      out += word + " ";\n    }')],
    safe: [
      inMethod(
        "    StringBuilder out = new StringBuilder();\n    for (String word : words) {\n      out.append(word);\n    }"
      ),
      inMethod("    int total = 0;\n    for (int v : values) {\n      total += v;\n    }")
    ]
  },
  "java/regex-in-loop": {
    vulnerable: [inMethod('    for (String line : lines) {\n      Pattern p = Pattern.compile("\\\\d+");\n    }')],
    safe: [
      inClass(
        '  static final Pattern DIGITS = Pattern.compile("\\\\d+");\n  void run() {\n    for (String line : lines) {\n      DIGITS.matcher(line);\n    }\n  }'
      )
    ]
  },
  "java/query-in-loop": {
    vulnerable: [inMethod("    for (Long id : ids) {\n      repository.findById(id);\n    }")],
    safe: [inMethod("    repository.findAllById(ids);")]
  },
  "java/nested-loop-same-collection": {
    vulnerable: [
      inMethod("    for (User a : users) {\n      for (User b : users) {\n        compare(a, b);\n      }\n    }")
    ],
    safe: [
      inMethod("    for (User a : users) {\n      for (Group b : groups) {\n        compare(a, b);\n      }\n    }")
    ]
  },
  "java/expensive-object-in-loop": {
    vulnerable: [
      inMethod(
        "    for (String json : documents) {\n      ObjectMapper mapper = new ObjectMapper();\n      mapper.readTree(json);\n    }"
      )
    ],
    safe: [
      inMethod(
        "    ObjectMapper mapper = new ObjectMapper();\n    for (String json : documents) {\n      mapper.readTree(json);\n    }"
      )
    ]
  },
  "java/thread-in-loop": {
    vulnerable: [inMethod("    for (Runnable task : tasks) {\n      new Thread(task).start();\n    }")],
    safe: [inMethod("    for (Runnable task : tasks) {\n      executor.submit(task);\n    }")]
  },
  "java/boxing-constructor": {
    vulnerable: [inMethod("    Integer count = new Integer(42);")],
    safe: [inMethod("    Integer count = Integer.valueOf(42);")]
  }
}
