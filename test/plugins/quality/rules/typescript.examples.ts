// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the examples are JavaScript source, templates included
import type { ExampleTable } from "./Examples.ts"

// Plain JavaScript runs in all three grammars (typescript, tsx, javascript); an example with type
// annotations runs in the TypeScript ones, one with JSX in tsx and javascript.
export const typescriptExamples: ExampleTable = {
  "javascript/spawn-shell": {
    vulnerable: [
      'spawn(command, { shell: true, stdio: "inherit" })\n',
      'child_process.execFileSync(`convert ${input}`, [], { shell: "/bin/bash" })\n',
      'spawn("sh", ["-c", script])\n',
      "spawnSync('bash', ['-c', `tar xf ${archive}`])\n"
    ],
    safe: [
      'spawn("git", ["log", branch], { shell: false })\n',
      'spawn(binary, args, { stdio: "inherit" })\n',
      'spawn("npm run build", { shell: true })\n',
      'spawn("sh", ["-c", "echo ready"])\n'
    ]
  },
  "javascript/new-function": {
    vulnerable: [
      "const fn = new Function(source)\n",
      'const add = new Function("a", "b", body)\n',
      'const get = Function("obj", "return obj." + field)\n'
    ],
    safe: ['const global = new Function("return this")()\n', "const fn = new Foo(source)\n"]
  },
  "javascript/string-timer": {
    vulnerable: [
      'setTimeout("refresh()", 1000)\n',
      'setInterval("poll(" + id + ")", delay)\n',
      "window.setTimeout(`update(${n})`, 10)\n"
    ],
    safe: ["setTimeout(() => refresh(), 1000)\n", "setInterval(poll, delay)\n", "setTimeout(callback)\n"]
  },
  "javascript/nosql-injection": {
    vulnerable: [
      "const user = await User.findOne(req.body)\n",
      "users.find({ $where: `this.name === '${name}'` })\n",
      "await collection.deleteMany(req.query)\n"
    ],
    safe: [
      "const user = await User.findOne({ email: String(req.body.email) })\n",
      'users.find({ $where: "this.active" })\n',
      "const item = items.find(isWanted)\n"
    ]
  },
  "javascript/open-redirect": {
    vulnerable: [
      "res.redirect(req.query.next)\n",
      "res.redirect(302, req.body.returnTo)\n",
      "ctx.redirect(ctx.query.url)\n",
      "res.redirect(`${req.query.host}/login`)\n"
    ],
    safe: [
      'res.redirect("/login")\n',
      "res.redirect(`/users/${req.params.id}`)\n",
      "res.redirect(safeTarget(req.query.next))\n"
    ]
  },
  "javascript/ssrf": {
    vulnerable: [
      "const response = await fetch(req.query.url)\n",
      "const { data } = await axios.get(req.body.webhook)\n",
      "https.get(`${req.query.host}/status`, onResponse)\n"
    ],
    safe: [
      "const response = await fetch(`${API}/users/${req.params.id}`)\n",
      'const { data } = await axios.get("https://api.example.com/status")\n',
      "const value = cache.get(req.query.key)\n"
    ]
  },
  "javascript/tls-verify-disabled": {
    vulnerable: [
      "const agent = new https.Agent({ rejectUnauthorized: false })\n",
      'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"\n',
      'process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = 0\n',
      "options.rejectUnauthorized = false\n",
      "request({ url, strictSSL: false })\n"
    ],
    safe: [
      "const agent = new https.Agent({ rejectUnauthorized: true, ca })\n",
      'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1"\n',
      'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "10"\n',
      "const strict = { rejectUnauthorized: isProduction }\n"
    ]
  },
  "javascript/tls-old-version": {
    vulnerable: [
      'const agent = new https.Agent({ minVersion: "TLSv1" })\n',
      'tls.connect({ host, port, secureProtocol: "TLSv1_1_method" })\n'
    ],
    safe: [
      'const agent = new https.Agent({ minVersion: "TLSv1.2" })\n',
      'tls.connect({ host, port, secureProtocol: "TLSv1_2_method" })\n'
    ]
  },
  "javascript/cookie-insecure": {
    vulnerable: ['res.cookie("sid", sid)\n', 'res.cookie("sid", sid, { httpOnly: true, maxAge: 3600000 })\n'],
    safe: [
      'res.cookie("sid", sid, { httpOnly: true, secure: true, sameSite: "lax" })\n',
      'res.cookie("sid", sid, { secure: process.env.NODE_ENV === "production", httpOnly: true })\n'
    ]
  },
  "javascript/world-writable": {
    vulnerable: ["fs.chmodSync(file, 0o777)\n", "await fs.promises.mkdir(dir, { recursive: true, mode: 0o777 })\n"],
    safe: ["fs.chmodSync(file, 0o600)\n", "await fs.promises.mkdir(dir, { recursive: true, mode: 0o750 })\n"]
  },
  "javascript/cors-credentials-any-origin": {
    vulnerable: [
      'app.use(cors({ origin: "*", credentials: true }))\n',
      "app.use(cors({ credentials: true, origin: true }))\n",
      "app.use(cors({ origin: (origin, cb) => cb(null, true), credentials: true }))\n",
      "app.use(cors({ credentials: true, origin: function (origin, callback) { callback(null, true) } }))\n"
    ],
    safe: [
      'app.use(cors({ origin: (origin, cb) => cb(null, origin === "https://app.example.com"), credentials: true }))\n',
      "app.use(cors({ origin: (origin, cb) => cb(null, true) }))\n",
      'app.use(cors({ origin: "*" }))\n',
      'app.use(cors({ origin: ["https://app.example.com"], credentials: true }))\n',
      'fetch(url, { credentials: "include" })\n'
    ]
  },
  "javascript/cors-reflected-origin": {
    vulnerable: [
      'app.use((req, res, next) => {\n  res.setHeader("Access-Control-Allow-Origin", req.headers.origin)\n  res.setHeader("Access-Control-Allow-Credentials", "true")\n  next()\n})\n',
      'app.use(async (ctx, next) => {\n  ctx.set("Access-Control-Allow-Origin", ctx.get("Origin"))\n  ctx.set("Access-Control-Allow-Credentials", "true")\n  await next()\n})\n',
      'function cors(req, res) {\n  const origin = req.get("origin")\n  res.header("Access-Control-Allow-Origin", origin)\n  res.header("Access-Control-Allow-Credentials", true)\n}\n'
    ],
    safe: [
      'app.use((req, res, next) => {\n  res.setHeader("Access-Control-Allow-Origin", req.headers.origin)\n  next()\n})\n',
      'app.use((req, res, next) => {\n  const origin = req.headers.origin\n  if (allowedOrigins.includes(origin)) {\n    res.setHeader("Access-Control-Allow-Origin", origin)\n    res.setHeader("Access-Control-Allow-Credentials", "true")\n  }\n  next()\n})\n',
      'app.use((req, res, next) => {\n  res.setHeader("Access-Control-Allow-Origin", "https://app.example.com")\n  res.setHeader("Access-Control-Allow-Credentials", "true")\n  next()\n})\n'
    ]
  },
  "javascript/prototype-pollution": {
    vulnerable: [
      "_.merge(settings, req.body)\n",
      "const config = deepmerge(defaults, JSON.parse(req.query.options))\n",
      "store[req.body.section][req.body.key] = req.body.value\n"
    ],
    safe: [
      "_.merge(settings, overrides)\n",
      "const config = { ...defaults, name: req.body.name }\n",
      "counts[key] = (counts[key] ?? 0) + 1\n",
      "cache.set(req.query.key, value)\n",
      "const headers = Headers.merge(defaults, request.headers)\n",
      "_.set(config, path, req.headers.host)\n"
    ]
  },
  "javascript/timing-attack": {
    vulnerable: [
      'app.post("/hook", (req, res) => {\n  const signature = req.get("x-signature")\n  if (signature !== hmac(req.rawBody)) return res.sendStatus(401)\n})\n',
      "function check(token, stored) {\n  return token === stored.token\n}\n",
      'if (apiKey !== process.env.API_KEY) throw new Error("denied")\n',
      "const ok = computeDigest(body) == digest\n",
      "if (user.passwordHash === hashed) login(user)\n",
      'if (token === req.headers["x-token"]) next()\n',
      "const ok = apiKey == provided\n"
    ],
    safe: [
      "if (token === undefined) return next()\n",
      'if (typeof secret !== "string") throw new TypeError("secret")\n',
      "if (hash !== undefined) url.hash = hash\n",
      'if (tokenType === "Bearer") use(token)\n',
      "if (token.length === 0) return\n",
      "const same = crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))\n"
    ]
  },
  "javascript/weak-hash": {
    vulnerable: [
      'const digest = crypto.createHash("md5").update(password).digest("hex")\n',
      "const passwordHash = createHash('sha1').update(input).digest('hex')\n",
      'user.hash = crypto.createHash("SHA1").update(user.password + salt).digest("base64")\n',
      "const hashed = md5(req.body.password)\n"
    ],
    safe: [
      'const digest = crypto.createHash("sha256").update(password).digest("hex")\n',
      'const checksum = createHash("sha1").update(body).digest()\n',
      'const etag = crypto.createHash("md5").update(content).digest("hex")\n',
      'const mac = crypto.createHmac("sha1", secret)\n'
    ]
  },
  "javascript/weak-cipher": {
    vulnerable: [
      'const cipher = crypto.createCipheriv("des-ede3-cbc", key, iv)\n',
      'const cipher = createCipheriv("aes-128-ecb", key, null)\n',
      "const decipher = crypto.createDecipheriv('rc4', key, '')\n",
      'crypto.createCipheriv("bf-cbc", key, iv)\n'
    ],
    safe: [
      'const cipher = crypto.createCipheriv("aes-256-gcm", key, iv)\n',
      'const cipher = crypto.createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 })\n',
      "const cipher = crypto.createCipheriv(algorithm, key, iv)\n"
    ]
  },
  "javascript/gcm-fixed-nonce": {
    vulnerable: [
      'const cipher = crypto.createCipheriv("aes-256-gcm", key, Buffer.alloc(12))\n',
      'const cipher = crypto.createCipheriv("aes-256-gcm", key, Buffer.from("000000000000"))\n'
    ],
    safe: [
      'const cipher = crypto.createCipheriv("aes-256-gcm", key, crypto.randomBytes(12))\n',
      'const cipher = crypto.createCipheriv("aes-256-cbc", key, iv)\n'
    ]
  },
  "javascript/create-cipher": {
    vulnerable: [
      'const cipher = crypto.createCipher("aes-256-cbc", password)\n',
      "const decipher = crypto.createDecipher(algorithm, secret)\n",
      "const cipher = createCipher('aes192', key)\n"
    ],
    safe: [
      'const cipher = crypto.createCipheriv("aes-256-gcm", key, iv)\n',
      "const chacha20 = createCipher(chachaCore, { counterLength: 8 })\n"
    ]
  },
  "javascript/insecure-random": {
    vulnerable: [
      "const token = Math.random().toString(36).slice(2)\n",
      "user.resetToken = Math.floor(Math.random() * 1e9).toString()\n",
      "const session = { sessionId: Math.random().toString(16) }\n",
      "let apiKey = String(Math.random())\n"
    ],
    safe: [
      'const token = crypto.randomBytes(32).toString("hex")\n',
      "const delay = Math.random() * 1000\n",
      "const id = Math.random().toString(36).slice(2)\n",
      "const tokenCount = Math.floor(Math.random() * 10)\n"
    ]
  },
  "javascript/hardcoded-credential": {
    vulnerable: [
      'const password = "hunter2!"\n',
      'const API_KEY = "sk-live-4f9a8b7c6d5e"\n',
      'export const apiKey = "sk-live-4f9a8b7c"\n',
      'const db = createPool({ user: "admin", password: "s3cr3t-passw0rd" })\n',
      'config.clientSecret = "9f8e7d6c5b4a"\n',
      'const headers = { "api_key": "AKIA1234567890" }\n'
    ],
    safe: [
      "const password = process.env.DB_PASSWORD\n",
      'const token = process.env.TOKEN ?? ""\n',
      'const password = ""\n',
      'const tokenEnv = "GITHUB_TOKEN"\n',
      'const apiKey = "OPENAI_API_KEY"\n',
      'const ACCESS_TOKEN = "access_token"\n',
      'const labels = { password: "Password", token: "token" }\n',
      'const form = { name: "password", type: "password" }\n',
      'const masked = { password: "********" }\n',
      'const bypass = "admin-override-2"\n',
      'lastSignificantToken = "?InterpolationInTemplate"\n',
      'const tokenType = "Bearer"\n'
    ]
  },
  "javascript/jwt-hardcoded-secret": {
    vulnerable: [
      'const signed = jwt.sign({ sub: user.id }, "my-super-secret")\n',
      "const claims = jwt.verify(token, 'shhhhh', { algorithms: ['HS256'] })\n"
    ],
    safe: [
      "const signed = jwt.sign({ sub: user.id }, process.env.JWT_SECRET)\n",
      'const claims = jwt.verify(token, publicKey, { algorithms: ["RS256"] })\n',
      'const signature = signer.sign(payload, "utf8")\n'
    ]
  },
  "javascript/jwt-none-algorithm": {
    vulnerable: [
      'const claims = jwt.verify(token, key, { algorithms: ["none"] })\n',
      "const signed = jwt.sign(payload, '', { algorithm: 'none' })\n",
      'jwt.verify(token, key, { algorithms: ["HS256", "None"] })\n'
    ],
    safe: ['const claims = jwt.verify(token, key, { algorithms: ["RS256"] })\n', 'const style = { border: "none" }\n']
  },
  "javascript/jwt-verify-without-secret": {
    vulnerable: [
      "const claims = jwt.verify(token)\n",
      "const claims = jsonwebtoken.verify(token, null)\n",
      'jwt.verify(token, "", { algorithms: ["HS256"] })\n'
    ],
    safe: [
      "const claims = jwt.verify(token, publicKey)\n",
      "const claims = jwt.decode(token)\n",
      "const ok = signature.verify(data)\n"
    ]
  },
  "javascript/unsafe-deserialization": {
    vulnerable: [
      "const obj = serialize.unserialize(req.cookies.profile)\n",
      "const value = v8.deserialize(buffer)\n",
      "const fn = funcster.deepDeserialize(payload)\n"
    ],
    safe: ["const obj = JSON.parse(req.cookies.profile)\n", "const buffer = v8.serialize(value)\n"]
  },
  "javascript/yaml-unsafe-load": {
    vulnerable: [
      "const doc = yaml.load(text, { schema: yaml.DEFAULT_FULL_SCHEMA })\n",
      "const docs = jsyaml.loadAll(text, null, { schema: FULL_SCHEMA })\n"
    ],
    safe: [
      "const doc = yaml.load(text)\n",
      "const doc = yaml.load(text, { schema: yaml.JSON_SCHEMA })\n",
      "const doc = YAML.parse(text)\n"
    ]
  },
  "javascript/inner-html": {
    vulnerable: [
      "element.innerHTML = message\n",
      "list.innerHTML += `<li>${item.name}</li>`\n",
      'node.outerHTML = "<div>" + html + "</div>"\n'
    ],
    safe: [
      'element.innerHTML = ""\n',
      "element.textContent = message\n",
      "element.innerHTML = DOMPurify.sanitize(message)\n",
      "element.innerHTML = `<p>static</p>`\n"
    ]
  },
  "javascript/document-write": {
    vulnerable: ["document.write(location.hash)\n", 'document.writeln("<p>" + name + "</p>")\n'],
    safe: ['document.write("<p>loading</p>")\n', "stream.write(chunk)\n"]
  },
  "javascript/insert-adjacent-html": {
    vulnerable: [
      'container.insertAdjacentHTML("beforeend", `<li>${item}</li>`)\n',
      "const fragment = range.createContextualFragment(html)\n"
    ],
    safe: [
      'container.insertAdjacentHTML("beforeend", "<hr>")\n',
      'container.insertAdjacentText("beforeend", item)\n',
      'container.insertAdjacentHTML("beforeend", escapeHtml(item))\n'
    ]
  },
  "javascript/dangerously-set-inner-html": {
    vulnerable: [
      "const Comment = ({ body }) => <div dangerouslySetInnerHTML={{ __html: body }} />\n",
      "export function Post(props: { html: string }) {\n  return <article dangerouslySetInnerHTML={{ __html: props.html }} />\n}\n",
      'React.createElement("div", { dangerouslySetInnerHTML: { __html: markdown.render(text) } })\n'
    ],
    safe: [
      "const Comment = ({ body }) => <div>{body}</div>\n",
      "const Comment = ({ body }) => <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(body) }} />\n",
      'const Logo = () => <span dangerouslySetInnerHTML={{ __html: "<svg></svg>" }} />\n'
    ]
  },
  "javascript/reflected-xss": {
    vulnerable: [
      "res.send(`<h1>Hello ${req.query.name}</h1>`)\n",
      'res.write("<p>" + req.body.comment + "</p>")\n',
      "res.send(req.query.q)\n"
    ],
    safe: [
      "res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`)\n",
      "res.json({ name: req.query.name })\n",
      "res.send(req.body)\n",
      "reply.send(`Hello ${req.query.name}`)\n",
      'res.send("<h1>Hello</h1>")\n'
    ]
  },
  "javascript/redos": {
    vulnerable: [
      "const email = /^([a-zA-Z0-9]+)*@example\\.com$/\n",
      "const words = /^(\\w+\\s?)+$/\n",
      "const spaced = /^(?:\\s*\\w+)*$/\n",
      'const pattern = new RegExp("(a+)+b")\n',
      "const any = /(.*)*x/\n",
      "const identifier = /^(\\w|\\d)+$/\n",
      "const body = /<p>(.|\\s)*<\\/p>/\n",
      'const name = new RegExp("^(?:.|_)+$")\n'
    ],
    safe: [
      "const number = /^([+-]?\\d)+$/\n",
      "const domain = /^(\\w+\\.)*\\w+$/\n",
      "const parens = /\\(\\d+\\)*/\n",
      'const pattern = new RegExp("^a+b$")\n',
      "const constant = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/\n",
      "const list = /^(\\s*,\\s*\\w+)*$/\n",
      'const quoted = /"(?:[^"\\\\]|\\\\.)*"/\n',
      "const lines = /^(.|\\n)*$/\n",
      "const csv = /^(\\d|,)+$/\n"
    ]
  },
  "javascript/regex-backtracking": {
    vulnerable: [
      "const decimal = /-?\\d+(?:\\.\\d+)?/\n",
      "const host = /^(?:\\[[0-9a-f:.]+\\]|[a-z0-9._-]+)(?::\\d{1,5})?$/i\n",
      "const params = /;\\s*(?:[^\\\\;]|\\\\.)*/\n",
      'const quality = new RegExp("^(?:;q=(0(?:\\\\.[0-9]{0,3})?|1))?$")\n'
    ],
    safe: [
      "const words = /^(\\w+\\s?)+$/\n",
      "const plain = /^[a-z]+(-[a-z]+)$/\n",
      "const choice = /^(get|post|put)$/\n",
      "const optional = /^v(\\d)?$/\n",
      "const escaped = /\\(\\d+\\)*/\n"
    ]
  },
  "javascript/non-literal-regexp": {
    vulnerable: [
      'const route = new RegExp("^" + parts.join("/") + "$")\n',
      'const search = (term) => new RegExp(term, "i")\n',
      "const byName = RegExp(`^${name}$`)\n"
    ],
    safe: [
      'const route = new RegExp("^/users/(\\\\d+)$")\n',
      'const search = (term) => new RegExp(escapeRegExp(term), "i")\n',
      'const global = new RegExp(pattern.source, "g")\n',
      "const id = new RegExp(ID_PATTERN)\n"
    ]
  },
  "javascript/sync-io-in-async": {
    vulnerable: [
      'async function load(path) {\n  return JSON.parse(fs.readFileSync(path, "utf8"))\n}\n',
      "const handler = async (req, res) => {\n  if (existsSync(file)) res.send(readFileSync(file))\n}\n",
      "class Store {\n  async save(data) {\n    fs.writeFileSync(this.path, data)\n  }\n}\n",
      'const build = async () => {\n  execSync("npm run build")\n}\n'
    ],
    safe: [
      'async function load(path) {\n  return JSON.parse(await fs.promises.readFile(path, "utf8"))\n}\n',
      'function load(path) {\n  return JSON.parse(fs.readFileSync(path, "utf8"))\n}\n',
      'async function watch() {\n  fs.watch(dir, () => {\n    cache = fs.readFileSync(file, "utf8")\n  })\n}\n',
      "async function prepare(dir) {\n  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true })\n}\n"
    ]
  },
  "javascript/await-in-loop": {
    vulnerable: [
      "async function sendAll(users) {\n  const receipts = []\n  for (const user of users) {\n    receipts.push(await sendMail(user))\n  }\n  return receipts\n}\n",
      "async function sizes(files) {\n  const result = {}\n  for (const file in files) result[file] = await size(file)\n  return result\n}\n",
      "async function previews(posts) {\n  const byId = new Map()\n  for (const post of posts) byId.set(post.id, await render(post))\n  return byId\n}\n"
    ],
    safe: [
      "async function sendAll(users) {\n  await Promise.all(users.map((user) => sendMail(user)))\n}\n",
      "async function sendAll(users) {\n  for (const user of users) {\n    queue.push(async () => {\n      await sendMail(user)\n    })\n  }\n}\n",
      "async function drain(stream) {\n  for await (const chunk of stream) {\n    await write(chunk)\n  }\n}\n",
      "async function poll() {\n  while (!done) {\n    await sleep(100)\n  }\n}\n",
      "async function retry(run) {\n  for (let attempt = 0; attempt < 3; attempt++) {\n    results.push(await run())\n  }\n}\n",
      "async function removeDeepestFirst(folders) {\n  for (const folder of folders) {\n    await fs.rmdir(folder)\n  }\n}\n",
      "async function walk(path) {\n  let node = root\n  for (const name of path) node = await child(node, name)\n  return node\n}\n",
      "async function find(places) {\n  for (const place of places) {\n    result.config = await load(place)\n    if (result.config) break\n  }\n}\n",
      "async function configure(hooks) {\n  for (const hook of hooks) post.push(await hook.call(context, server))\n}\n",
      "async function load(ids) {\n  for (const id of ids) {\n    rows.push(await db.query(sql, [id]))\n  }\n}\n"
    ]
  },
  "javascript/query-in-loop": {
    vulnerable: [
      "async function load(ids) {\n  for (const id of ids) {\n    rows.push(await db.query(sql, [id]))\n  }\n}\n",
      "async function owners(posts) {\n  for (const post of posts) {\n    post.author = await prisma.user.findUnique({ where: { id: post.authorId } })\n  }\n}\n",
      "async function pages(urls) {\n  for (const url of urls) {\n    bodies.push(await fetch(url))\n  }\n}\n"
    ],
    safe: [
      "async function load(ids) {\n  return db.query(sql, [ids])\n}\n",
      "async function owners(posts) {\n  const users = await prisma.user.findMany({ where: { id: { in: posts.map((post) => post.authorId) } } })\n  return users\n}\n",
      "function pick(items) {\n  for (const item of items) {\n    const found = others.find((other) => other.id === item.id)\n  }\n}\n",
      "async function all(cursor) {\n  while (cursor) {\n    cursor = (await fetch(cursor)).next\n  }\n}\n",
      "async function run(commands) {\n  for (const command of commands) await command.execute()\n}\n"
    ]
  },
  "javascript/nested-loop-same-collection": {
    vulnerable: [
      "for (const a of items) {\n  for (const b of items) {\n    compare(a, b)\n  }\n}\n",
      "const duplicates = users.filter((user) => users.some((other) => other.email === user.email && other !== user))\n"
    ],
    safe: [
      "for (const a of items) {\n  for (const b of others) {\n    compare(a, b)\n  }\n}\n",
      "const names = users.map((user) => user.name)\n",
      "const emails = new Set(users.map((user) => user.email))\n",
      "const program = Effect.flatMap(load, (config) => Effect.map(save(config), () => config))\n"
    ]
  },
  "javascript/regexp-in-loop": {
    vulnerable: [
      'for (const line of lines) {\n  if (new RegExp("^\\\\s*#").test(line)) count++\n}\n',
      "while (i < n) {\n  const re = new RegExp(`\\\\d+`, 'g')\n  i++\n}\n"
    ],
    safe: [
      "const comment = /^\\s*#/\nfor (const line of lines) {\n  if (comment.test(line)) count++\n}\n",
      "for (const word of words) {\n  const re = new RegExp(`\\\\b${word}\\\\b`)\n  matches.push(re.test(text))\n}\n",
      'for (const line of lines) {\n  rules.push(() => new RegExp("x"))\n}\n'
    ]
  },
  "javascript/json-deep-clone": {
    vulnerable: ["const copy = JSON.parse(JSON.stringify(state))\n"],
    safe: [
      "const copy = structuredClone(state)\n",
      "const data = JSON.parse(text)\n",
      "const plain = JSON.parse(JSON.stringify(state, replacer))\n"
    ]
  },
  "javascript/dedupe-with-includes": {
    vulnerable: [
      "for (const tag of tags) {\n  if (!unique.includes(tag)) unique.push(tag)\n}\n",
      "items.forEach((item) => {\n  if (item.ok && seen.indexOf(item.id) === -1) {\n    seen.push(item.id)\n  }\n})\n",
      "while (i < n) {\n  if (names.indexOf(name) == -1) names.push(name)\n  i++\n}\n"
    ],
    safe: [
      "const unique = [...new Set(tags)]\n",
      "for (const tag of tags) {\n  if (!allowed.includes(tag)) rejected.push(tag)\n}\n",
      "if (!unique.includes(tag)) unique.push(tag)\n",
      "for (const tag of tags) {\n  if (unique.indexOf(tag) > -1) unique.push(tag)\n}\n",
      'for (const line of lines) {\n  if (!line.includes("#")) kept.push(line)\n}\n'
    ]
  }
}
