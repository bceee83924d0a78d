import type { ExampleTable } from "./Examples.ts"

export const pythonExamples: ExampleTable = {
  "python/timing-attack": {
    vulnerable: [
      'if token != request.headers.get("X-Token"):\n    abort(403)\n',
      "ok = api_key == provided\n",
      "if expected_signature == header_signature:\n    accept()\n",
      "if user.password_hash == hashed.encode():\n    login(user)\n",
      "allowed = request.args['key'] == settings.API_TOKEN\n",
      "def check(token):\n    return token == ADMIN_TOKEN\n",
      "handler = lambda key: key == settings.API_KEY\n",
      "if token.encode() == provided:\n    accept()\n",
      "if secret.strip() != provided:\n    abort(403)\n"
    ],
    safe: [
      "ok = hmac.compare_digest(api_key, provided)\n",
      "if token is None or token == '':\n    abort(401)\n",
      "if len(signature) != 64:\n    abort(400)\n",
      "if token_type == 'Bearer':\n    use(token)\n",
      "ok = secrets.compare_digest(token.encode(), expected.encode())\n",
      "class Signature:\n    def __eq__(self, other):\n        return self.signature == other.signature\n"
    ]
  },
  "python/pickle-load": {
    vulnerable: ["data = pickle.loads(payload)\n", "obj = pickle.load(handle)\n"],
    safe: ["data = json.loads(payload)\n", "blob = pickle.dumps(obj)\n"]
  },
  "python/marshal-load": {
    vulnerable: ["code = marshal.loads(blob)\n", 'db = shelve.open("cache")\n'],
    safe: ["blob = marshal.dumps(code)\n", 'db = dbm.open("cache")\n']
  },
  "python/yaml-load": {
    vulnerable: [
      "config = yaml.load(text)\n",
      "config = yaml.load(text, Loader=yaml.FullLoader)\n",
      "doc = yaml.unsafe_load(text)\n"
    ],
    safe: ["config = yaml.safe_load(text)\n", "config = yaml.load(text, Loader=yaml.SafeLoader)\n"]
  },
  "python/xxe": {
    vulnerable: [
      "parser = etree.XMLParser(resolve_entities=True)\n",
      "parser.setFeature(xml.sax.handler.feature_external_ges, True)\n"
    ],
    safe: [
      "parser = etree.XMLParser(resolve_entities=False, no_network=True)\n",
      "parser.setFeature(xml.sax.handler.feature_external_ges, False)\n"
    ]
  },
  "python/path-traversal": {
    vulnerable: [
      'path = os.path.join(UPLOADS, request.args["name"])\n',
      "return send_file(request.args.get('file'))\n",
      "handle = open(input('file? '))\n"
    ],
    safe: ['path = os.path.join(UPLOADS, "report.pdf")\n', 'handle = open(settings.LOG_FILE, "a")\n']
  },
  "python/weak-hash": {
    vulnerable: ["digest = hashlib.md5(password).hexdigest()\n", "digest = hashlib.sha1(data).digest()\n"],
    safe: [
      "digest = hashlib.sha256(data).hexdigest()\n",
      "etag = hashlib.md5(body, usedforsecurity=False).hexdigest()\n"
    ]
  },
  "python/weak-cipher": {
    vulnerable: [
      "cipher = DES.new(key, DES.MODE_CBC, iv)\n",
      "algorithm = algorithms.TripleDES(key)\n",
      "cipher = ARC4.new(key)\n"
    ],
    safe: ["cipher = AES.new(key, AES.MODE_GCM)\n", "algorithm = algorithms.AES(key)\n"]
  },
  "python/ecb-mode": {
    vulnerable: ["cipher = AES.new(key, AES.MODE_ECB)\n", "mode = modes.ECB()\n"],
    safe: ["cipher = AES.new(key, AES.MODE_GCM)\n", "mode = modes.GCM(iv)\n"]
  },
  "python/gcm-fixed-nonce": {
    vulnerable: [
      'sealed = AESGCM(key).encrypt(b"000000000000", data, None)\n',
      "cipher = Cipher(algorithms.AES(key), modes.GCM(bytes(12)))\n",
      'cipher = AES.new(key, AES.MODE_GCM, nonce=b"fixed-nonce!")\n',
      'NONCE = b"\\x00" * 12\n'
    ],
    safe: [
      "sealed = AESGCM(key).encrypt(os.urandom(12), data, None)\n",
      "cipher = Cipher(algorithms.AES(key), modes.GCM(nonce))\n",
      "cipher = AES.new(key, AES.MODE_GCM)\n",
      "nonce = os.urandom(12)\n"
    ]
  },
  "python/insecure-random": {
    vulnerable: [
      "token = ''.join(random.choice(ALPHABET) for _ in range(32))\n",
      "reset_password = str(random.randint(100000, 999999))\n"
    ],
    safe: ["token = secrets.token_urlsafe(32)\n", "delay = random.random() * 5\n"]
  },
  "python/tls-verify-disabled": {
    vulnerable: ["response = requests.get(url, verify=False)\n", "client = httpx.Client(verify=False)\n"],
    safe: ["response = requests.get(url, verify=True)\n", "response = requests.get(url, timeout=10)\n"]
  },
  "python/ssl-unverified-context": {
    vulnerable: [
      "context = ssl._create_unverified_context()\n",
      "context.verify_mode = ssl.CERT_NONE\n",
      "ssl._create_default_https_context = ssl._create_unverified_context\n",
      "conn = ssl.wrap_socket(sock, cert_reqs=ssl.CERT_NONE)\n",
      'client.run_forever(sslopt={"cert_reqs": ssl.CERT_NONE})\n',
      "def connect(host, cert_reqs=ssl.CERT_NONE):\n    return open_tls(host, cert_reqs)\n",
      "context.check_hostname = False\n"
    ],
    safe: [
      "context = ssl.create_default_context()\n",
      "context.verify_mode = ssl.CERT_REQUIRED\n",
      "checks_peer = ctx.verify_mode != ssl.CERT_NONE\n",
      "if ctx.verify_mode == ssl.CERT_NONE:\n    warn_unverified()\n",
      "context.check_hostname = True\n"
    ]
  },
  "python/tls-old-version": {
    vulnerable: [
      "context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n",
      "context.minimum_version = ssl.TLSVersion.TLSv1_1\n"
    ],
    safe: ["context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n", "context.minimum_version = ssl.TLSVersion.TLSv1_2\n"]
  },
  "python/cors-credentials-any-origin": {
    vulnerable: [
      "CORS(app, supports_credentials=True)\n",
      '@cross_origin(origins="*", supports_credentials=True)\ndef me():\n    return session["user"]\n',
      'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\n',
      'app.add_middleware(CORSMiddleware, allow_origin_regex=".*", allow_credentials=True)\n',
      "CORS_ALLOW_CREDENTIALS = True\nCORS_ORIGIN_ALLOW_ALL = True\n"
    ],
    safe: [
      'CORS(app, origins=["https://app.acme.com"], supports_credentials=True)\n',
      'CORS(app, resources={r"/api/*": {"origins": "https://app.acme.com"}}, supports_credentials=True)\n',
      "CORS(app)\n",
      'app.add_middleware(CORSMiddleware, allow_origins=["https://app.acme.com"], allow_credentials=True)\n',
      'app.add_middleware(CORSMiddleware, allow_origins=["*"])\n',
      "CORS_ALLOW_ALL_ORIGINS = True\n"
    ]
  },
  "python/cookie-insecure": {
    vulnerable: [
      'response.set_cookie("sid", sid)\n',
      'response.set_cookie("sid", sid, httponly=True, secure=False)\n',
      "response.set_cookie(key=SESSION_COOKIE, value=sid)\n",
      'response.set_cookie("theme")\n'
    ],
    safe: [
      'response.set_cookie("sid", sid, httponly=True, secure=True, samesite="Lax")\n',
      'response.set_cookie("sid", sid, secure=not app.debug, httponly=True)\n',
      "class Jar:\n    def store(self, received):\n        for cookie in received:\n            self.set_cookie(cookie)\n",
      "session.cookies.set_cookie(make_cookie(name, value))\n"
    ]
  },
  "python/world-writable": {
    vulnerable: ["os.chmod(path, 0o777)\n", "os.makedirs(upload_dir, mode=0o777, exist_ok=True)\n"],
    safe: ["os.chmod(path, 0o600)\n", "os.makedirs(upload_dir, mode=0o750, exist_ok=True)\n"]
  },
  "python/hardcoded-credential": {
    vulnerable: [
      'password = "hunter2"\n',
      'API_KEY = "sk-1234567890"\n',
      'self.db_password = "s3cret"\n',
      'client = Client(api_key="sk-1234567890")\n'
    ],
    safe: ['password = os.environ["DB_PASSWORD"]\n', 'password = ""\n', 'password_label = "Password"\n']
  },
  "python/mark-safe": {
    vulnerable: ["html = mark_safe(comment)\n", 'html = Markup("<b>" + name + "</b>")\n'],
    safe: ['html = mark_safe("<br>")\n', 'html = format_html("<b>{}</b>", name)\n']
  },
  "python/template-injection": {
    vulnerable: [
      "return render_template_string(request.args['page'])\n",
      'page = Template("Hello " + name)\n',
      'from jinja2 import Template\n\ndef greet(name):\n    return Template("Hello " + name).render()\n',
      "from mako.template import Template\n\nclass Page:\n    @cached\n    def render(self, text):\n        return Template(text).render()\n",
      "html = jinja2.Template(source).render(user=user)\n",
      "env = Environment(loader=loader)\nhtml = env.from_string(body).render()\n"
    ],
    safe: [
      'return render_template("page.html", name=name)\n',
      'page = Template("Hello {{ name }}")\n',
      "from string import Template\n\nclass Style:\n    def __init__(self, fmt):\n        self.tpl = Template(fmt)\n",
      "from string import (\n    Formatter,\n    Template,\n)\n\ndef fill(text, values):\n    return Template(text).substitute(values)\n",
      "line = string.Template(pattern).safe_substitute(name=name)\n",
      'from string import Template\n\ndef page(text, values):\n    return jinja2.Template("<p>{{ body }}</p>").render(body=Template(text).substitute(values))\n',
      'template = env.from_string("Hello {{ name }}")\n'
    ]
  },
  "python/redos": {
    vulnerable: ['EMAIL = re.compile(r"^([a-z0-9]+)+@example\\.com$")\n', 'match = re.match("(a*)*b", text)\n'],
    safe: ['EMAIL = re.compile(r"^[a-z0-9]+@example\\.com$")\n', 'match = re.match("(ab)+c", text)\n']
  },
  "python/mktemp": {
    vulnerable: ["path = tempfile.mktemp()\n"],
    safe: ["handle, path = tempfile.mkstemp()\n"]
  },
  "python/debug-server": {
    vulnerable: ["app.run(host=host, debug=True)\n"],
    safe: ["app.run(debug=settings.DEBUG)\n", "thread.run()\n"]
  },
  "python/await-in-loop": {
    vulnerable: ["async def load(ids):\n    for item_id in ids:\n        await fetch(item_id)\n"],
    safe: [
      "async def load(ids):\n    await asyncio.gather(*(fetch(item_id) for item_id in ids))\n",
      "async def load(ids):\n    for item_id in ids:\n        tasks.append(lambda: fetch(item_id))\n    await run(tasks)\n"
    ]
  },
  "python/blocking-call-in-async": {
    vulnerable: [
      "async def read(path):\n    with open(path) as handle:\n        return handle.read()\n",
      "async def wait():\n    time.sleep(1)\n",
      "async def get(url):\n    return requests.get(url, timeout=5)\n"
    ],
    safe: [
      "def read(path):\n    with open(path) as handle:\n        return handle.read()\n",
      "async def wait():\n    await asyncio.sleep(1)\n"
    ]
  },
  "python/nested-loop-same-collection": {
    vulnerable: ["for a in users:\n    for b in users:\n        compare(a, b)\n"],
    safe: ["for a in users:\n    for b in groups:\n        compare(a, b)\n"]
  },
  "python/regex-in-loop": {
    vulnerable: ['for line in lines:\n    pattern = re.compile(r"\\d+")\n    pattern.match(line)\n'],
    safe: ['PATTERN = re.compile(r"\\d+")\nfor line in lines:\n    PATTERN.match(line)\n']
  },
  "python/string-concat-in-loop": {
    vulnerable: [
      'text = ""\nfor word in words:\n    text += " "\n',
      "out = ''\nwhile queue:\n    out += str(queue.pop())\n"
    ],
    safe: ['text = " ".join(words)\n', "total = 0\nfor value in values:\n    total += value\n"]
  },
  "python/query-in-loop": {
    vulnerable: ['for user_id in ids:\n    cursor.execute("SELECT * FROM t WHERE id = %s", (user_id,))\n'],
    safe: ['cursor.execute("SELECT * FROM t WHERE id = ANY(%s)", (ids,))\n']
  },
  "python/deepcopy-in-loop": {
    vulnerable: ["for row in rows:\n    item = copy.deepcopy(template)\n"],
    safe: ["base = copy.deepcopy(template)\nfor row in rows:\n    item = dict(base)\n"]
  }
}
