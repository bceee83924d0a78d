import type { ExampleTable } from "./Examples.ts"

/** A Go file whose function `f` has `body`. */
const inFunc = (body: string): string => `package main\n\nfunc f() {\n${body}\n}\n`
/** A handler with a request `r` and a response writer `w`. */
const inHandler = (body: string): string =>
  `package main\n\nfunc handle(w http.ResponseWriter, r *http.Request) {\n${body}\n}\n`

export const goExamples: ExampleTable = {
  "go/timing-attack": {
    vulnerable: [
      inHandler('\tif r.Header.Get("X-Token") != token {\n\t\treturn\n\t}'),
      inFunc("\tok := apiKey == provided\n\t_ = ok"),
      inFunc("\tif string(sig) == cfg.WebhookSecret {\n\t\taccept()\n\t}")
    ],
    safe: [
      inFunc("\tok := subtle.ConstantTimeCompare([]byte(apiKey), []byte(provided)) == 1\n\t_ = ok"),
      inFunc('\tif token == "" || len(token) != 32 {\n\t\treturn\n\t}'),
      inFunc("\tif !hmac.Equal(signature, mac.Sum(nil)) {\n\t\treturn\n\t}"),
      inFunc('\tif tokenType == "Bearer" {\n\t\tuse(token)\n\t}')
    ]
  },
  "go/exec-shell": {
    vulnerable: [
      inFunc('\tcmd := exec.Command("sh", "-c", "ls "+dir)\n\t_ = cmd'),
      inFunc('\texec.Command("bash", "-c", script).Run()')
    ],
    safe: [inFunc('\texec.Command("ls", "-l", dir).Run()'), inFunc('\texec.Command("sh", "-c", "ls -l").Run()')]
  },
  "go/exec-non-literal": {
    vulnerable: [inFunc("\texec.Command(program, args...).Run()"), inFunc("\texec.Command(cfg.Tool).Run()")],
    safe: [inFunc('\texec.Command("git", "status").Run()')]
  },
  "go/weak-hash": {
    vulnerable: [inFunc("\tsum := md5.Sum(data)\n\t_ = sum"), inFunc("\th := sha1.New()\n\t_ = h")],
    safe: [inFunc("\tsum := sha256.Sum256(data)\n\t_ = sum")]
  },
  "go/weak-cipher": {
    vulnerable: [
      inFunc("\tblock, err := des.NewCipher(key)\n\t_, _ = block, err"),
      inFunc("\tc, err := rc4.NewCipher(key)\n\t_, _ = c, err")
    ],
    safe: [inFunc("\tblock, err := aes.NewCipher(key)\n\t_, _ = block, err")]
  },
  "go/insecure-random": {
    vulnerable: [
      inFunc("\ttoken := fmt.Sprint(rand.Int63())\n\t_ = token"),
      inFunc("\tvar resetKey = rand.Intn(1000000)\n\t_ = resetKey")
    ],
    safe: [inFunc("\ttoken := rand.Text()\n\t_ = token"), inFunc("\tjitter := rand.Intn(100)\n\t_ = jitter")]
  },
  "go/tls-insecure-skip-verify": {
    vulnerable: [inFunc("\tcfg := &tls.Config{InsecureSkipVerify: true}\n\t_ = cfg")],
    safe: [inFunc("\tcfg := &tls.Config{InsecureSkipVerify: false, MinVersion: tls.VersionTLS12}\n\t_ = cfg")]
  },
  "go/tls-weak-version": {
    vulnerable: [inFunc("\tcfg := &tls.Config{MinVersion: tls.VersionTLS10}\n\t_ = cfg")],
    safe: [inFunc("\tcfg := &tls.Config{MinVersion: tls.VersionTLS13}\n\t_ = cfg")]
  },
  "go/hardcoded-credential": {
    vulnerable: [
      inFunc('\tpassword := "hunter2"\n\t_ = password'),
      'package main\n\nconst apiKey = "sk-1234567890"\n',
      inFunc('\tcfg := Config{DBPassword: "s3cret"}\n\t_ = cfg')
    ],
    safe: [
      inFunc('\tpassword := os.Getenv("DB_PASSWORD")\n\t_ = password'),
      inFunc('\tpasswordLabel := "Password"\n\t_ = passwordLabel'),
      inFunc('\tpassword := ""\n\t_ = password')
    ]
  },
  "go/unsafe-package": {
    vulnerable: ['package main\n\nimport "unsafe"\n\nvar size = unsafe.Sizeof(0)\n'],
    safe: ["package main\n\nimport \"unicode\"\n\nvar upper = unicode.IsUpper('A')\n"]
  },
  "go/template-unescaped": {
    vulnerable: [inFunc("\tcontent := template.HTML(comment)\n\t_ = content")],
    safe: [
      inFunc('\tcontent := template.HTML("<br>")\n\t_ = content'),
      inFunc("\tcontent := template.HTMLEscapeString(comment)\n\t_ = content")
    ]
  },
  "go/reflected-xss": {
    vulnerable: [inHandler('\tfmt.Fprintf(w, "<h1>Hello %s</h1>", r.URL.Query().Get("name"))')],
    safe: [
      inHandler('\tfmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name))'),
      inHandler('\tfmt.Fprintf(os.Stderr, "bad %s", r.URL.Path)')
    ]
  },
  "go/ssrf": {
    vulnerable: [inHandler('\tresp, err := http.Get(r.URL.Query().Get("url"))\n\t_, _ = resp, err')],
    safe: [inHandler('\tresp, err := http.Get("https://api.example.com/status")\n\t_, _ = resp, err')]
  },
  "go/file-permissions": {
    vulnerable: [inFunc('\tos.WriteFile("out.txt", data, 0666)'), inFunc('\tos.MkdirAll("cache", 0o777)')],
    safe: [inFunc('\tos.WriteFile("out.txt", data, 0600)'), inFunc('\tos.MkdirAll("cache", 0o750)')]
  },
  "go/http-no-timeouts": {
    vulnerable: [inFunc('\tlog.Fatal(http.ListenAndServe(":8080", mux))')],
    safe: [
      inFunc(
        '\tsrv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}\n\tlog.Fatal(srv.ListenAndServe())'
      )
    ]
  },
  "go/cors-credentials-any-origin": {
    vulnerable: [
      "package a\n\nvar o = cors.Options{AllowOriginFunc: func(o string) bool { return true }, AllowCredentials: true}\n",
      "package a\n\nvar c = cors.Config{AllowCredentials: true, AllowOriginFunc: func(origin string) bool {\n\treturn true\n}}\n",
      "package a\n\nvar o = cors.Options{AllowOriginRequestFunc: func(r *http.Request, o string) bool { return true }, AllowCredentials: true}\n"
    ],
    safe: [
      'package a\n\nvar o = cors.Options{AllowedOrigins: []string{"https://app.acme.com"}, AllowCredentials: true}\n',
      "package a\n\nvar o = cors.Options{AllowOriginFunc: func(o string) bool { return true }}\n",
      'package a\n\nvar c = cors.Config{AllowCredentials: true, AllowOriginFunc: func(o string) bool { return o == "https://app.acme.com" }}\n'
    ]
  },
  "go/cors-reflected-origin": {
    vulnerable: [
      'package a\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tw.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))\n\tw.Header().Set("Access-Control-Allow-Credentials", "true")\n}\n',
      'package a\n\nfunc h(c *gin.Context) {\n\torigin := c.GetHeader("Origin")\n\tc.Header("Access-Control-Allow-Origin", origin)\n\tc.Header("Access-Control-Allow-Credentials", "true")\n}\n'
    ],
    safe: [
      'package a\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tw.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))\n}\n',
      'package a\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\torigin := r.Header.Get("Origin")\n\tif allowed[origin] {\n\t\tw.Header().Set("Access-Control-Allow-Origin", origin)\n\t\tw.Header().Set("Access-Control-Allow-Credentials", "true")\n\t}\n}\n',
      'package a\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tw.Header().Set("Access-Control-Allow-Origin", "https://app.acme.com")\n\tw.Header().Set("Access-Control-Allow-Credentials", "true")\n}\n'
    ]
  },
  "go/gob-request-body": {
    vulnerable: [
      "package a\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tvar order Order\n\tgob.NewDecoder(r.Body).Decode(&order)\n}\n",
      "package a\n\nfunc h(c *gin.Context) {\n\tdec := gob.NewDecoder(c.Request.Body)\n\t_ = dec\n}\n"
    ],
    safe: [
      "package a\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tvar order Order\n\tjson.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&order)\n}\n",
      "package a\n\nfunc load(f *os.File) error {\n\treturn gob.NewDecoder(f).Decode(&cache)\n}\n"
    ]
  },
  "go/cookie-insecure": {
    vulnerable: [
      inFunc('\tc := &http.Cookie{Name: "session", Value: id, Secure: false}\n\t_ = c'),
      inFunc('\tc := http.Cookie{Name: "session", Value: id, Secure: true}\n\t_ = c'),
      inHandler('\thttp.SetCookie(w, &http.Cookie{Name: "session", Value: id})'),
      inHandler('\tc := &http.Cookie{Name: "session", Value: id}\n\thttp.SetCookie(w, c)'),
      inFunc('\tc := &http.Cookie{Name: "theme", Value: theme, Path: "/", MaxAge: 3600}\n\treturn c'),
      inFunc('\tcookie := &http.Cookie{Name: "session", Value: id}\n\treturn ctx.SetCookie(cookie)')
    ],
    safe: [
      inFunc('\tc := &http.Cookie{Name: "session", Value: id, Secure: true, HttpOnly: true}\n\t_ = c'),
      inFunc(
        "\tfor _, e := range stored {\n\t\tout = append(out, &http.Cookie{Name: e.Name, Value: e.Value})\n\t}\n\treturn out"
      ),
      inFunc('\treq.AddCookie(&http.Cookie{Name: "session", Value: token})')
    ]
  },
  "go/bind-all-interfaces": {
    vulnerable: [inFunc('\tln, err := net.Listen("tcp", "0.0.0.0:8080")\n\t_, _ = ln, err')],
    safe: [inFunc('\tln, err := net.Listen("tcp", "127.0.0.1:8080")\n\t_, _ = ln, err')]
  },
  "go/query-in-loop": {
    vulnerable: [
      inFunc(
        '\tfor _, id := range ids {\n\t\trow := db.QueryRow("SELECT name FROM users WHERE id = $1", id)\n\t\t_ = row\n\t}'
      )
    ],
    safe: [inFunc('\trows, err := db.Query("SELECT name FROM users WHERE id = ANY($1)", ids)\n\t_, _ = rows, err')]
  },
  "go/regexp-in-loop": {
    vulnerable: [
      inFunc("\tfor _, line := range lines {\n\t\tre := regexp.MustCompile(`\\d+`)\n\t\t_ = re.MatchString(line)\n\t}")
    ],
    safe: [
      `package main\n\nvar digits = regexp.MustCompile(\`\\d+\`)\n\nfunc f() {\n\tfor _, line := range lines {\n\t\t_ = digits.MatchString(line)\n\t}\n}\n`
    ]
  },
  "go/string-concat-in-loop": {
    vulnerable: [
      inFunc('\tout := ""\n\tfor _, w := range words {\n\t\tout += w + " "\n\t}\n\t_ = out'),
      inFunc('\tout := ""\n\tfor i := 0; i < n; i++ {\n\t\tout = out + "x"\n\t}\n\t_ = out'),
      inFunc('\tout := ""\n\tfor i := 0; i < n; i++ {\n\t\tout += fmt.Sprintf("%d,", i)\n\t}\n\t_ = out')
    ],
    safe: [
      inFunc("\tvar b strings.Builder\n\tfor _, w := range words {\n\t\tb.WriteString(w)\n\t}"),
      inFunc("\ttotal := 0\n\tfor _, v := range values {\n\t\ttotal += v\n\t}\n\t_ = total"),
      inFunc("\ttotal := 0.0\n\tfor _, v := range values {\n\t\ttotal += (v - c) * (v - c)\n\t}\n\t_ = total")
    ]
  },
  "go/nested-loop-same-collection": {
    vulnerable: [inFunc("\tfor _, a := range users {\n\t\tfor _, b := range users {\n\t\t\tcompare(a, b)\n\t\t}\n\t}")],
    safe: [inFunc("\tfor _, a := range users {\n\t\tfor _, b := range groups {\n\t\t\tcompare(a, b)\n\t\t}\n\t}")]
  },
  "go/defer-in-loop": {
    vulnerable: [inFunc("\tfor _, name := range names {\n\t\tfile, _ := os.Open(name)\n\t\tdefer file.Close()\n\t}")],
    safe: [
      inFunc("\tfile, _ := os.Open(name)\n\tdefer file.Close()"),
      inFunc(
        "\tfor _, name := range names {\n\t\tfunc() {\n\t\t\tfile, _ := os.Open(name)\n\t\t\tdefer file.Close()\n\t\t}()\n\t}"
      )
    ]
  },
  "go/http-client-in-loop": {
    vulnerable: [
      inFunc("\tfor _, u := range urls {\n\t\tclient := &http.Client{Timeout: time.Second}\n\t\tclient.Get(u)\n\t}")
    ],
    safe: [inFunc("\tclient := &http.Client{Timeout: time.Second}\n\tfor _, u := range urls {\n\t\tclient.Get(u)\n\t}")]
  },
  "go/time-after-in-loop": {
    vulnerable: [
      inFunc(
        "\tfor {\n\t\tselect {\n\t\tcase msg := <-ch:\n\t\t\thandle(msg)\n\t\tcase <-time.After(time.Second):\n\t\t\treturn\n\t\t}\n\t}"
      )
    ],
    safe: [
      inFunc(
        "\ttimer := time.NewTimer(time.Second)\n\tfor {\n\t\tselect {\n\t\tcase msg := <-ch:\n\t\t\thandle(msg)\n\t\tcase <-timer.C:\n\t\t\treturn\n\t\t}\n\t}"
      )
    ]
  }
}
