import type { ExampleTable } from "./Examples.ts"

/** A snippet as a PHP file: the grammar reads text before `<?php` as inline HTML. */
const php = (code: string): string => `<?php\n${code}\n`

export const phpExamples: ExampleTable = {
  "php/command-injection": {
    vulnerable: [
      php(`exec("convert " . $_FILES["image"]["tmp_name"] . " out.png");`),
      php(`$output = shell_exec("ping -c 1 $host");`),
      php(`system($command, $status);`),
      php(`$handle = popen("tail -f " . $logFile, "r");`),
      php(`\\passthru("gzip -d {$archive}");`),
      php(
        `final class Thumbnails {\n    public function make(string $path): void {\n        exec("convert $path -resize 200x200 thumb.png");\n    }\n}`
      )
    ],
    safe: [
      php(`exec("convert " . escapeshellarg($path) . " out.png", $output, $status);`),
      php(`$output = shell_exec('ls -la /var/log');`),
      php(
        `function backup(string $db, string $target): int {\n    $command = sprintf("mysqldump %s > %s", escapeshellarg($db), escapeshellarg($target));\n    exec($command, $output, $status);\n    return $status;\n}`
      ),
      php(`$process = proc_open(["ping", "-c", "1", $host], $descriptors, $pipes);`),
      php(`$statement = $pdo->exec("DELETE FROM sessions WHERE expired = 1");`)
    ]
  },
  "php/backtick-command": {
    vulnerable: [php("$listing = `ls -la $directory`;"), php("$size = `du -sh {$_GET['dir']}`;")],
    safe: [php("$uptime = `uptime`;"), php("$listing = shell_exec('ls -la ' . escapeshellarg($directory));")]
  },
  "php/eval": {
    vulnerable: [php(`eval($_POST["code"]);`), php(`$result = eval("return " . $expression . ";");`)],
    safe: [php(`$data = json_decode($payload, true, 512, JSON_THROW_ON_ERROR);`), php(`eval('return 1 + 2;');`)]
  },
  "php/assert-string": {
    vulnerable: [php(`assert("is_numeric($id)");`), php(`assert('$count > 0' . $extra);`)],
    safe: [php(`assert($count > 0);`), php(`assert(is_int($id), "id must be an integer");`)]
  },
  "php/create-function": {
    vulnerable: [php(`$double = create_function('$x', 'return $x * 2;');`)],
    safe: [php(`$double = fn (int $x): int => $x * 2;`), php(`$double = function ($x) { return $x * 2; };`)]
  },
  "php/preg-replace-eval": {
    vulnerable: [
      php(`$html = preg_replace('/\\[b\\](.*?)\\[\\/b\\]/e', '"<b>" . strtoupper("$1") . "</b>"', $text);`),
      php(`$out = preg_replace("#\\{(\\w+)\\}#ie", '$vars["$1"]', $template);`)
    ],
    safe: [
      php(
        `$html = preg_replace_callback('/\\[b\\](.*?)\\[\\/b\\]/', fn ($m) => "<b>" . strtoupper($m[1]) . "</b>", $text);`
      ),
      php(`$slug = preg_replace('/[^a-z0-9]+/i', '-', $title);`),
      php(`$clean = preg_replace('/some/', 'none', $value);`)
    ]
  },
  "php/dynamic-call-from-input": {
    vulnerable: [
      php(`$result = $_GET["action"]($payload);`),
      php(`call_user_func($request->input("handler"), $data);`),
      php(`$report = new $_POST["report"]();`)
    ],
    safe: [
      php(`$handler = match ($_GET["action"]) { "list" => $this->list(...), default => throw new NotFound() };`),
      php(`call_user_func([$this, "handle"], $request->input("payload"));`),
      php(`$items = array_map("intval", $_GET["ids"]);`)
    ]
  },
  "php/unsafe-deserialization": {
    vulnerable: [
      php(`$cart = unserialize($_COOKIE["cart"]);`),
      php(`$session = unserialize(base64_decode($payload));`)
    ],
    safe: [
      php(`$cart = json_decode($_COOKIE["cart"], true);`),
      php(`$session = unserialize($payload, ["allowed_classes" => false]);`),
      php(`$defaults = unserialize('a:0:{}');`)
    ]
  },
  "php/sql-injection": {
    vulnerable: [
      php(`$result = mysqli_query($conn, "SELECT * FROM users WHERE id = " . $_GET["id"]);`),
      php(`$rows = $pdo->query("SELECT * FROM orders WHERE customer = '$customer'");`),
      php(`$stmt = $db->prepare("UPDATE users SET name = '{$name}' WHERE id = 1");`),
      php(`$users = DB::select("select * from users where email = '" . $email . "'");`),
      php(`$sql = "DELETE FROM posts WHERE author_id = $authorId";`),
      php(`$sql .= " AND status = '" . $status . "'";`),
      php(`$query = <<<SQL
SELECT id FROM items WHERE name LIKE '%$term%'
SQL;`)
    ],
    safe: [
      php(`$stmt = $pdo->prepare("SELECT * FROM users WHERE id = ?");\n$stmt->execute([$id]);`),
      php(`$stmt = $pdo->prepare("SELECT * FROM users WHERE email = :email");`),
      php(`$rows = $pdo->query("SELECT * FROM " . self::TABLE . " WHERE active = 1");`),
      php(`$sql = "SELECT * FROM posts WHERE id IN ($placeholders)";`),
      php(`$sql = "SELECT * FROM users WHERE id = " . (int) $id;`),
      php(`$message = "Welcome back, $name";`),
      php(`$users = DB::select("select * from users where email = ?", [$email]);`)
    ]
  },
  "php/file-inclusion": {
    vulnerable: [
      php(`include $_GET["page"] . ".php";`),
      php(`require_once("modules/" . $_REQUEST["module"] . "/init.php");`),
      php(`include_once __DIR__ . "/lang/" . $request->input("lang") . ".php";`)
    ],
    safe: [
      php(`require_once __DIR__ . "/vendor/autoload.php";`),
      php(
        `$page = match ($_GET["page"] ?? "home") { "about" => "about.php", default => "home.php" };\ninclude __DIR__ . "/pages/" . $page;`
      )
    ]
  },
  "php/extract-input": {
    vulnerable: [
      php(`extract($_POST);`),
      php(`extract($request->all());`),
      php(`parse_str($_SERVER["QUERY_STRING"]);`)
    ],
    safe: [php(`extract(["title" => $title, "body" => $body]);`), php(`parse_str($_SERVER["QUERY_STRING"], $params);`)]
  },
  "php/mass-assignment": {
    vulnerable: [
      php(`$user = User::create($request->all());`),
      php(`$post->fill($request->all())->save();`),
      php(`$account->update($_POST);`)
    ],
    safe: [
      php(`$user = User::create($request->validated());`),
      php(`$post->fill($request->only(["title", "body"]))->save();`),
      php(`$account->update(["name" => $request->input("name")]);`)
    ]
  },
  "php/path-traversal": {
    vulnerable: [
      php(`echo file_get_contents("/var/www/uploads/" . $_GET["file"]);`),
      php(`readfile($_REQUEST["path"]);`),
      php(`unlink(storage_path("exports/" . $request->input("name")));`),
      php(`return response()->download(storage_path("reports/" . $request->query("report")));`)
    ],
    safe: [
      php(`readfile("/var/www/uploads/" . basename($_GET["file"]));`),
      php(`$contents = file_get_contents(__DIR__ . "/config.json");`),
      php(`$image = file_get_contents($_FILES["avatar"]["tmp_name"]);`),
      php(`return response()->download(storage_path("reports/{$report->id}.pdf"));`)
    ]
  },
  "php/ssrf": {
    vulnerable: [
      php(`$ch = curl_init($_GET["url"]);`),
      php(`curl_setopt($ch, CURLOPT_URL, $request->input("webhook"));`),
      php(`$preview = file_get_contents($_POST["image_url"]);`),
      php(`$response = Http::get($request->input("callback"));`),
      php(`$response = $this->client->request("GET", $request->query("feed"));`)
    ],
    safe: [
      php(`$ch = curl_init("https://api.example.com/v1/status");`),
      php(`curl_setopt($ch, CURLOPT_URL, self::ENDPOINT . "?id=" . urlencode($id));`),
      php(`$response = Http::get("https://api.example.com/users", ["id" => $request->input("id")]);`),
      php(`$value = $cache->get($request->input("key"));`)
    ]
  },
  "php/open-redirect": {
    vulnerable: [
      php(`header("Location: " . $_GET["next"]);`),
      php(`header("Location: {$_GET['return']}");`),
      php(`return redirect($request->input("redirect_to"));`),
      php(`return redirect()->away($request->query("url"));`)
    ],
    safe: [
      php(`header("Location: /dashboard");`),
      php(`header("Location: /orders?id=" . urlencode($_GET["id"]));`),
      php(`return redirect()->route("orders.show", ["order" => $request->input("order")]);`),
      php(`return redirect()->intended("/home");`)
    ]
  },
  "php/reflected-xss": {
    vulnerable: [
      php(`echo $_GET["name"];`),
      php(`echo "<p>Results for " . $_GET["q"] . "</p>";`),
      php(`print "Hello {$_POST['user']}";`),
      php(`printf("<h1>%s</h1>", $_REQUEST["title"]);`),
      "<p>Search: <?= $_GET['q'] ?></p>\n",
      "<?php $title = 'Search'; ?>\n<h1><?= $request->input('term') ?></h1>\n",
      php(`echo $_SERVER["PHP_SELF"];`)
    ],
    safe: [
      php(`echo htmlspecialchars($_GET["name"], ENT_QUOTES, "UTF-8");`),
      php(`echo "<p>Page " . (int) $_GET["page"] . "</p>";`),
      php(`echo isset($_GET["debug"]) ? "on" : "off";`),
      "<p>Search: <?= htmlspecialchars($_GET['q']) ?></p>\n",
      php(`echo $title;`)
    ]
  },
  "php/upload-client-filename": {
    vulnerable: [
      php(`move_uploaded_file($_FILES["doc"]["tmp_name"], "uploads/" . $_FILES["doc"]["name"]);`),
      php(`$path = $request->file("avatar")->storeAs("avatars", $request->file("avatar")->getClientOriginalName());`)
    ],
    safe: [
      php(`move_uploaded_file($_FILES["doc"]["tmp_name"], "uploads/" . bin2hex(random_bytes(16)) . ".pdf");`),
      php(`$path = $request->file("avatar")->store("avatars");`),
      php(`$original = $request->file("avatar")->getClientOriginalName();`)
    ]
  },
  "php/tls-verify-disabled": {
    vulnerable: [
      php(`curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);`),
      php(`curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 0);`),
      php(`curl_setopt_array($ch, [CURLOPT_URL => $url, CURLOPT_SSL_VERIFYPEER => false]);`),
      php(`$context = stream_context_create(["ssl" => ["verify_peer" => false, "verify_peer_name" => false]]);`),
      php(`$client = new Client(["base_uri" => $base, "verify" => false]);`),
      php(`$response = Http::withoutVerifying()->get($url);`)
    ],
    safe: [
      php(`curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);`),
      php(`curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);`),
      php(`$context = stream_context_create(["ssl" => ["verify_peer" => true, "cafile" => $caFile]]);`),
      php(`$client = new Client(["base_uri" => $base, "verify" => $caBundle]);`)
    ]
  },
  "php/xxe": {
    vulnerable: [
      php(`$doc->loadXML($xml, LIBXML_NOENT | LIBXML_DTDLOAD);`),
      php(`$feed = simplexml_load_string($body, "SimpleXMLElement", LIBXML_NOENT);`),
      php(`libxml_disable_entity_loader(false);`)
    ],
    safe: [
      php(`$doc->loadXML($xml, LIBXML_NONET);`),
      php(`$feed = simplexml_load_string($body, "SimpleXMLElement", LIBXML_NOCDATA);`)
    ]
  },
  "php/weak-password-hash": {
    vulnerable: [
      php(`$hash = md5($password);`),
      php(`$stored = sha1($salt . $_POST["password"]);`),
      php(`$digest = hash("md5", $user->password);`),
      php(`$user->password = md5($input);`),
      php(`$row = ["email" => $email, "password" => sha1($plain)];`)
    ],
    safe: [
      php(`$hash = password_hash($password, PASSWORD_DEFAULT);`),
      php(`$etag = md5($body);`),
      php(`$digest = hash("sha256", $passwordResetToken);`),
      php(`$key = sha1($passport->number);`)
    ]
  },
  "php/weak-cipher": {
    vulnerable: [
      php(`$cipher = openssl_encrypt($data, "des-ede3-cbc", $key, 0, $iv);`),
      php(`$plain = openssl_decrypt($blob, 'aes-128-ecb', $key);`),
      php(`$out = mcrypt_encrypt(MCRYPT_RIJNDAEL_128, $key, $data, MCRYPT_MODE_ECB);`)
    ],
    safe: [
      php(`$cipher = openssl_encrypt($data, "aes-256-gcm", $key, 0, $iv, $tag);`),
      php(`$plain = openssl_decrypt($blob, 'aes-256-cbc', $key, OPENSSL_RAW_DATA, $iv);`)
    ]
  },
  "php/insecure-random": {
    vulnerable: [
      php(`$token = md5(uniqid(rand(), true));`),
      php(`$this->resetToken = (string) mt_rand(100000, 999999);`),
      php(`$user->update(["remember_token" => str_shuffle("abcdefghijklmnop")]);`),
      php(`$csrf = sha1(microtime());`)
    ],
    safe: [
      php(`$token = bin2hex(random_bytes(32));`),
      php(`$otp = random_int(100000, 999999);`),
      php(`$color = $palette[mt_rand(0, count($palette) - 1)];`),
      php(`$token = Str::random(40);`)
    ]
  },
  "php/hash-timing-compare": {
    vulnerable: [
      php(`if (hash_hmac("sha256", $payload, $secret) === $_SERVER["HTTP_X_SIGNATURE"]) { process($payload); }`),
      php(`$valid = $signature == hash("sha256", $body . $key);`),
      php(`if (md5($password) != $user->password) { fail(); }`)
    ],
    safe: [
      php(`if (hash_equals(hash_hmac("sha256", $payload, $secret), $signature)) { process($payload); }`),
      php(`$unchanged = md5($newContents) === $cachedChecksum;`),
      php(`$ok = password_verify($password, $user->password);`)
    ]
  },
  "php/hardcoded-credential": {
    vulnerable: [
      php(`$password = "S3cr3t!2024";`),
      php(`define("DB_PASSWORD", "hunter2hunter2");`),
      php(`class Mailer { private $apiKey = 'sk_live_51HqLyjWDarjtT1zdp7dc'; }`),
      php(`$config = ["host" => "db", "password" => "changeme123"];`),
      php(`$pdo = new PDO($dsn, "root", "toor1234");`),
      php(`class Stripe { const SECRET = "whsec_abc123def456"; }`)
    ],
    safe: [
      php(`$password = getenv("DB_PASSWORD");`),
      php(`$config = ["host" => "db", "password" => env("DB_PASSWORD")];`),
      php(`$rules = ["email" => "required|email", "password" => "required|string|min:8|confirmed"];`),
      php(`class User extends Model { protected $casts = ["password" => "hashed"]; }`),
      php(`$pdo = new PDO($dsn, $user, $_ENV["DB_PASS"]);`),
      php(`define("PASSWORD_FIELD", "password");`)
    ]
  },
  "php/phpinfo": {
    vulnerable: [php(`phpinfo();`), php(`Route::get("/info", function () { phpinfo(); });`)],
    safe: [php(`$version = phpversion();`), php(`echo PHP_VERSION;`)]
  },
  "php/query-in-loop": {
    vulnerable: [
      php(
        `foreach ($orderIds as $id) {\n    $rows[] = $pdo->query("SELECT * FROM items WHERE order_id = " . (int) $id)->fetchAll();\n}`
      ),
      php(`foreach ($posts as $post) {\n    $post->author = User::find($post->user_id);\n}`),
      php(
        `while ($row = mysqli_fetch_assoc($result)) {\n    $details = mysqli_query($conn, "SELECT * FROM details WHERE id = " . (int) $row["id"]);\n}`
      ),
      php(`for ($i = 0; $i < $n; $i++) {\n    $stmt->execute([$ids[$i]]);\n    $rows[] = $stmt->fetch();\n}`),
      php(`$names = $users->map(fn ($user) => DB::table("profiles")->where("user_id", $user->id)->value("name"));`)
    ],
    safe: [
      php(
        `$stmt = $pdo->prepare("SELECT * FROM items WHERE order_id IN ($placeholders)");\n$stmt->execute($orderIds);\nforeach ($stmt->fetchAll() as $row) {\n    $items[$row["order_id"]][] = $row;\n}`
      ),
      php(`$posts = Post::with("author")->get();\nforeach ($posts as $post) {\n    echo $post->author->name;\n}`),
      php(
        `$insert = $pdo->prepare("INSERT INTO log (message) VALUES (?)");\nforeach ($messages as $message) {\n    $insert->execute([$message]);\n}`
      ),
      php(`foreach ($rows as $row) {\n    $values[] = Arr::where($row, fn ($value) => $value !== null);\n}`)
    ]
  },
  "php/count-in-loop-condition": {
    vulnerable: [
      php(`for ($i = 0; $i < count($items); $i++) {\n    $total += $items[$i];\n}`),
      php(`for ($i = 0; strlen($text) > $i; $i++) {\n    $chars[] = $text[$i];\n}`)
    ],
    safe: [
      php(`for ($i = 0, $n = count($items); $i < $n; $i++) {\n    $total += $items[$i];\n}`),
      php(`while ($i < count($queue)) {\n    $i++;\n}`)
    ]
  },
  "php/nested-loop-same-array": {
    vulnerable: [
      php(
        `foreach ($users as $a) {\n    foreach ($users as $b) {\n        if ($a->email === $b->email && $a !== $b) { $duplicates[] = $a; }\n    }\n}`
      ),
      php(`foreach ($this->items as $item)\n    foreach ($this->items as $other)\n        compare($item, $other);`)
    ],
    safe: [
      php(
        `foreach ($users as $user) {\n    foreach ($user->roles as $role) {\n        $names[] = $role->name;\n    }\n}`
      ),
      php(
        `$byEmail = array_column($users, null, "email");\nforeach ($users as $user) {\n    $match = $byEmail[$user->email] ?? null;\n}`
      )
    ]
  },
  "php/array-merge-in-loop": {
    vulnerable: [
      php(`foreach ($pages as $page) {\n    $results = array_merge($results, $page->items);\n}`),
      php(`while ($batch = $cursor->next()) {\n    $all = [...$all, ...$batch];\n}`)
    ],
    safe: [
      php(`foreach ($pages as $page) {\n    $parts[] = $page->items;\n}\n$results = array_merge(...$parts);`),
      php(`$settings = array_merge($defaults, $overrides);`),
      php(`foreach ($pages as $page) {\n    $merged = array_merge($defaults, $page->options);\n}`)
    ]
  },
  "php/in-array-dedupe": {
    vulnerable: [
      php(`foreach ($tags as $tag) {\n    if (!in_array($tag, $unique)) {\n        $unique[] = $tag;\n    }\n}`),
      php(
        `foreach ($emails as $email) {\n    if (in_array($email, $seen, true) === false) array_push($seen, $email);\n}`
      )
    ],
    safe: [
      php(`foreach ($tags as $tag) {\n    $unique[$tag] = true;\n}`),
      php(`$unique = array_unique($tags);`),
      php(`if (!in_array($role, $roles, true)) {\n    $roles[] = $role;\n}`)
    ]
  },
  "php/fixed-file-read-in-loop": {
    vulnerable: [
      php(
        `foreach ($users as $user) {\n    $config = json_decode(file_get_contents(__DIR__ . "/config.json"), true);\n}`
      ),
      php(`while ($job = $queue->pop()) {\n    $settings = parse_ini_file("settings.ini");\n}`)
    ],
    safe: [
      php(
        `$config = json_decode(file_get_contents(__DIR__ . "/config.json"), true);\nforeach ($users as $user) {\n    notify($user, $config);\n}`
      ),
      php(`foreach ($files as $file) {\n    $contents[] = file_get_contents($file);\n}`),
      php(`while (($line = fgets(STDIN)) !== false) {\n    $lines[] = trim($line);\n}`)
    ]
  },
  "php/sleep-per-item": {
    vulnerable: [
      php(`foreach ($recipients as $recipient) {\n    mail($recipient, $subject, $body);\n    sleep(1);\n}`),
      php(`$users->each(function ($user) {\n    $user->notify(new Digest());\n    usleep(200000);\n});`)
    ],
    safe: [
      php(`while (!$job->isDone()) {\n    sleep(2);\n}`),
      php(`for ($attempt = 1; $attempt <= 3; $attempt++) {\n    if (send($message)) break;\n    sleep($attempt);\n}`)
    ]
  },
  "php/http-request-in-loop": {
    vulnerable: [
      php(
        `foreach ($urls as $url) {\n    $ch = curl_init($url);\n    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);\n    $bodies[] = curl_exec($ch);\n}`
      ),
      php(`foreach ($ids as $id) {\n    $users[] = Http::get("https://api.example.com/users/{$id}")->json();\n}`),
      php(`foreach ($ids as $id) {\n    $responses[] = $this->client->get("/users/" . $id);\n}`)
    ],
    safe: [
      php(
        `$responses = Http::pool(fn ($pool) => array_map(fn ($id) => $pool->get("https://api.example.com/users/{$id}"), $ids));`
      ),
      php(`$body = curl_exec($ch);`),
      php(
        `for ($attempt = 1; $attempt <= 3; $attempt++) {\n    $response = $client->get($url);\n    if ($response->getStatusCode() === 200) break;\n}`
      ),
      php(`foreach ($keys as $key) {\n    $values[] = $cache->get($key);\n}`)
    ]
  }
}
