import type { ExampleTable } from "./Examples.ts"

/** A function `f` with `body`. */
const inFn = (body: string): string => `fn f() {\n${body}\n}\n`
const inAsyncFn = (body: string): string => `async fn f() {\n${body}\n}\n`

export const rustExamples: ExampleTable = {
  "rust/timing-attack": {
    vulnerable: [
      inFn("    if provided != state.api_key {\n        return;\n    }"),
      inFn("    let ok = signature.as_bytes() == expected.as_bytes();"),
      inFn("    let ok = token == ADMIN_TOKEN;")
    ],
    safe: [
      inFn("    let ok = constant_time_eq(provided.as_bytes(), state.api_key.as_bytes());"),
      inFn("    let ok: bool = signature.as_bytes().ct_eq(expected.as_bytes()).into();"),
      inFn('    if token == "" || token.len() != 32 {\n        return;\n    }'),
      inFn('    if token_type == "Bearer" {\n        use_token(token);\n    }'),
      "impl PartialEq for Session {\n    fn eq(&self, other: &Self) -> bool {\n        self.token == other.token\n    }\n}\n"
    ]
  },
  "rust/command-non-literal": {
    vulnerable: [
      inFn("    Command::new(program).args(&args).status();"),
      inFn("    Command::new(&config.tool).status();")
    ],
    safe: [inFn('    Command::new("git").arg("status").status();')]
  },
  "rust/sql-format": {
    vulnerable: [
      inFn("    let rows = client.query(&format!(\"SELECT * FROM users WHERE name = '{}'\", name), &[]);"),
      inFn('    let row = sqlx::query(&format!("DELETE FROM users WHERE id = {}", id));')
    ],
    safe: [
      inFn('    let rows = client.query("SELECT * FROM users WHERE name = $1", &[&name]);'),
      inFn('    let label = format!("user {}", name);')
    ]
  },
  "rust/tls-accept-invalid": {
    vulnerable: [inFn("    let client = Client::builder().danger_accept_invalid_certs(true).build();")],
    safe: [
      inFn("    let client = Client::builder().danger_accept_invalid_certs(false).build();"),
      inFn("    let client = Client::builder().build();")
    ]
  },
  "rust/weak-hash": {
    vulnerable: [
      inFn("    let mut hasher = Md5::new();"),
      inFn("    let digest = md5::compute(data);"),
      inFn("    let h = sha1::Sha1::new();")
    ],
    safe: [inFn("    let mut hasher = Sha256::new();")]
  },
  "rust/weak-cipher": {
    vulnerable: [inFn("    let cipher = Des::new_from_slice(&key);"), inFn("    let cipher = Rc4::new(&key);")],
    safe: [inFn("    let cipher = Aes256Gcm::new(&key);")]
  },
  "rust/ecb-mode": {
    vulnerable: [inFn("    let enc = ecb::Encryptor::<Aes128>::new(&key);")],
    safe: [inFn("    let enc = cbc::Encryptor::<Aes128>::new(&key, &iv);")]
  },
  "rust/insecure-random": {
    vulnerable: [
      inFn("    let token: u64 = SmallRng::seed_from_u64(42).gen();"),
      inFn("    let reset_key = fastrand::u64(..);")
    ],
    safe: [inFn("    let token: u64 = OsRng.next_u64();"), inFn("    let jitter = fastrand::u64(..100);")]
  },
  "rust/hardcoded-credential": {
    vulnerable: [
      inFn('    let password = "hunter2";'),
      'const API_KEY: &str = "sk-1234567890";\n',
      inFn('    let cfg = Config { db_password: "s3cret" };')
    ],
    safe: [
      inFn('    let password = std::env::var("DB_PASSWORD")?;'),
      inFn('    let password_label = "Password";'),
      inFn('    let password = "";')
    ]
  },
  "rust/unsafe-block": {
    vulnerable: [inFn("    let value = unsafe { *pointer };")],
    safe: [inFn("    let value = *reference;")]
  },
  "rust/unsafe-fn": {
    vulnerable: [
      "unsafe fn read(pointer: *const u8) -> u8 {\n    *pointer\n}\n",
      "pub unsafe fn read(pointer: *const u8) -> u8 {\n    *pointer\n}\n"
    ],
    safe: ["fn read(value: &u8) -> u8 {\n    *value\n}\n", "async fn read(value: &u8) -> u8 {\n    *value\n}\n"]
  },
  "rust/transmute": {
    vulnerable: [
      inFn("    let value: f32 = unsafe { std::mem::transmute(bits) };"),
      inFn("    let value = unsafe { mem::transmute::<u32, f32>(bits) };")
    ],
    safe: [inFn("    let value = f32::from_bits(bits);")]
  },
  "rust/unchecked-memory": {
    vulnerable: [
      inFn("    let s = unsafe { std::str::from_utf8_unchecked(bytes) };"),
      inFn("    let slice = unsafe { slice::from_raw_parts(pointer, len) };"),
      inFn("    unsafe { buffer.set_len(n) };")
    ],
    safe: [inFn("    let s = std::str::from_utf8(bytes)?;"), inFn("    let item = items.get(index);")]
  },
  "rust/regex-nested-quantifier": {
    vulnerable: [inFn('    let re = Regex::new(r"^([a-z0-9]+)+@example\\.com$");')],
    safe: [inFn('    let re = Regex::new(r"^[a-z0-9]+@example\\.com$");')]
  },
  "rust/cors-credentials-any-origin": {
    vulnerable: [
      "fn app() -> Router {\n    Router::new().layer(CorsLayer::very_permissive())\n}\n",
      "fn cors() -> Cors {\n    Cors::permissive()\n}\n",
      "fn cors() -> CorsLayer {\n    CorsLayer::new()\n        .allow_origin(AllowOrigin::mirror_request())\n        .allow_credentials(true)\n}\n",
      "fn cors() -> Cors {\n    Cors::default().supports_credentials().allow_any_origin().max_age(3600)\n}\n"
    ],
    safe: [
      "fn app() -> Router {\n    Router::new().layer(CorsLayer::permissive())\n}\n",
      'fn cors() -> CorsLayer {\n    CorsLayer::new()\n        .allow_origin("https://app.acme.com".parse::<HeaderValue>().unwrap())\n        .allow_credentials(true)\n}\n',
      'fn cors() -> Cors {\n    Cors::default().allowed_origin("https://app.acme.com").supports_credentials()\n}\n',
      "fn cors() -> Cors {\n    Cors::default().allow_any_origin().allow_any_method()\n}\n"
    ]
  },
  "rust/bind-all-interfaces": {
    vulnerable: [inFn('    let listener = TcpListener::bind("0.0.0.0:8080");')],
    safe: [inFn('    let listener = TcpListener::bind("127.0.0.1:8080");')]
  },
  "rust/file-permissions": {
    vulnerable: [
      inFn("    fs::set_permissions(path, Permissions::from_mode(0o777));"),
      inFn("    let file = OpenOptions::new().mode(0o666).open(path);")
    ],
    safe: [inFn("    fs::set_permissions(path, Permissions::from_mode(0o600));")]
  },
  "rust/regex-in-loop": {
    vulnerable: [
      inFn('    for line in lines {\n        let re = Regex::new(r"\\d+").unwrap();\n        re.is_match(line);\n    }')
    ],
    safe: [
      inFn('    let re = Regex::new(r"\\d+").unwrap();\n    for line in lines {\n        re.is_match(line);\n    }')
    ]
  },
  "rust/format-in-loop": {
    vulnerable: [
      inFn('    for item in items {\n        out.push_str(&format!("{}, ", item));\n    }'),
      inFn('    for item in items {\n        out += &format!("{}, ", item);\n    }')
    ],
    safe: [
      inFn('    for item in items {\n        write!(out, "{}, ", item).unwrap();\n    }'),
      inFn('    out.push_str(&format!("{}", total));')
    ]
  },
  "rust/query-in-loop": {
    vulnerable: [
      inAsyncFn(
        '    for id in ids {\n        let row = sqlx::query("SELECT name FROM users WHERE id = $1").bind(id).fetch_one(&pool).await;\n    }'
      )
    ],
    safe: [
      inAsyncFn(
        '    let rows = sqlx::query("SELECT name FROM users WHERE id = ANY($1)").bind(&ids).fetch_all(&pool).await;'
      )
    ]
  },
  "rust/nested-loop-same-collection": {
    vulnerable: [
      inFn("    for a in &users {\n        for b in &users {\n            compare(a, b);\n        }\n    }")
    ],
    safe: [inFn("    for a in &users {\n        for b in &groups {\n            compare(a, b);\n        }\n    }")]
  },
  "rust/collect-then-iterate": {
    vulnerable: [
      inFn("    let n = items.iter().map(f).collect::<Vec<_>>().len();"),
      inFn("    for x in items.iter().filter(p).collect::<Vec<_>>().iter() {}")
    ],
    safe: [
      inFn("    let n = items.iter().map(f).count();"),
      inFn("    let all: Vec<_> = items.iter().map(f).collect();")
    ]
  },
  "rust/blocking-in-async": {
    vulnerable: [
      inAsyncFn('    let text = std::fs::read_to_string("config.toml");'),
      inAsyncFn("    thread::sleep(Duration::from_secs(1));")
    ],
    safe: [
      inAsyncFn('    let text = tokio::fs::read_to_string("config.toml").await;'),
      inFn('    let text = std::fs::read_to_string("config.toml");')
    ]
  },
  "rust/await-in-loop": {
    vulnerable: [inAsyncFn("    for url in urls {\n        fetch(url).await;\n    }")],
    safe: [inAsyncFn("    join_all(urls.iter().map(|url| fetch(url))).await;")]
  }
}
