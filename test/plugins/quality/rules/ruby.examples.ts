import type { ExampleTable } from "./Examples.ts"

export const rubyExamples: ExampleTable = {
  "ruby/command-injection": {
    vulnerable: [
      'system("tar -czf #{archive} #{params[:dir]}")\n',
      'exec "rm -rf #{path}"\n',
      'output, status = Open3.capture2("git log #{branch}")\n',
      'IO.popen("grep #{term} log/production.log") { |io| io.read }\n',
      "system(params[:command])\n",
      'pid = Process.spawn("ffmpeg -i " + params[:file])\n'
    ],
    safe: [
      'system("tar", "-czf", archive, dir)\n',
      'system("make clean")\n',
      'output, status = Open3.capture2("git", "log", branch)\n',
      'system("convert #{Shellwords.escape(path)} out.png")\n',
      'system("#{BIN_PATH} --version")\n',
      'logger.info("system #{name} started")\n'
    ]
  },
  "ruby/backtick-interpolation": {
    vulnerable: ["files = `ls #{params[:dir]}`\n", "size = %x(du -sh #{path})\n"],
    safe: ["revision = `git rev-parse HEAD`.strip\n", "files = `ls #{dir.shellescape}`\n"]
  },
  "ruby/kernel-open": {
    vulnerable: ["data = open(params[:url]).read\n", 'Kernel.open("#{params[:file]}") { |f| f.read }\n'],
    safe: ["data = File.open(params[:path]).read\n", 'open("config/settings.yml") { |f| f.read }\n']
  },
  "ruby/code-injection": {
    vulnerable: [
      "result = eval(params[:expression])\n",
      "value = eval(code)\n",
      'model.instance_eval("self.#{params[:attr]}")\n',
      "klass.class_eval(params[:body])\n"
    ],
    safe: [
      'value = eval("1 + 2")\n',
      'klass.class_eval <<~RUBY, __FILE__, __LINE__ + 1\n  def name = "x"\nRUBY\n',
      "klass.class_eval do\n  attr_reader :name\nend\n",
      "value = JSON.parse(params[:expression])\n"
    ]
  },
  "ruby/unsafe-reflection": {
    vulnerable: [
      "@user.send(params[:method])\n",
      "value = record.public_send(params[:field])\n",
      'result = report.send("#{params[:kind]}_summary")\n'
    ],
    safe: [
      "@user.public_send(:name)\n",
      "value = record.public_send(ALLOWED_FIELDS.fetch(field))\n",
      "UserMailer.welcome(user).deliver_later\n"
    ]
  },
  "ruby/constantize-input": {
    vulnerable: ["klass = params[:type].constantize\n", "klass = Object.const_get(params[:class_name])\n"],
    safe: [
      'klass = "Reports::#{kind.camelize}".safe_constantize\n',
      'klass = { "admin" => Admin, "user" => User }.fetch(params[:type])\n'
    ]
  },
  "ruby/template-injection": {
    vulnerable: [
      "render inline: params[:template]\n",
      'render inline: "<h1>#{@page.title}</h1>"\n',
      "html = ERB.new(params[:template]).result(binding)\n"
    ],
    safe: [
      'render template: "pages/show", locals: { page: @page }\n',
      'html = ERB.new(File.read("app/views/mailer.erb")).result(binding)\n',
      'render inline: "<h1><%= title %></h1>", locals: { title: @page.title }\n'
    ]
  },
  "ruby/marshal-load": {
    vulnerable: ["session_data = Marshal.load(Base64.decode64(cookies[:state]))\n", "obj = Marshal.load(payload)\n"],
    safe: ["blob = Marshal.dump(obj)\n", "copy = Marshal.load(Marshal.dump(original))\n"]
  },
  "ruby/yaml-unsafe-load": {
    vulnerable: ["config = YAML.unsafe_load(text)\n", "data = YAML.load(params[:document])\n"],
    safe: [
      "config = YAML.safe_load(text, permitted_classes: [Date])\n",
      'config = YAML.load_file(Rails.root.join("config", "app.yml"))\n',
      "data = YAML.safe_load(params[:document])\n"
    ]
  },
  "ruby/oj-object-load": {
    vulnerable: [
      "data = Oj.load(request.body.read)\n",
      "data = Oj.load(json, mode: :object)\n",
      "obj = Oj.object_load(json)\n"
    ],
    safe: [
      "data = Oj.load(json, mode: :strict)\n",
      "data = Oj.safe_load(json)\n",
      "json = Oj.dump(data, mode: :compat)\n"
    ]
  },
  "ruby/sql-interpolation": {
    vulnerable: [
      "User.where(\"name = '#{params[:name]}'\")\n",
      'Order.find_by_sql("SELECT * FROM orders WHERE status = #{status}")\n',
      'ActiveRecord::Base.connection.execute("DELETE FROM sessions WHERE user_id = #{user_id}")\n',
      'User.where("email = \'" + email + "\'")\n',
      'scope.order("#{sort_column} #{sort_direction}")\n'
    ],
    safe: [
      'User.where("name = ?", params[:name])\n',
      "User.where(name: params[:name])\n",
      'Order.where("status = #{STATUS_OPEN}")\n',
      'Post.joins("INNER JOIN #{Comment.table_name} ON comments.post_id = posts.id")\n',
      'User.where("id > #{min_id.to_i}")\n',
      'Post.where("id IN (#{ids.map(&:to_i).join(",")})")\n',
      'logger.info("where #{user_id}")\n'
    ]
  },
  "ruby/sql-input": {
    vulnerable: [
      "@users = User.order(params[:sort])\n",
      "User.where(params[:query])\n",
      "emails = User.pluck(params[:column])\n",
      "totals = Order.group(params[:by]).sum(:amount)\n"
    ],
    safe: [
      "@users = User.order(created_at: :desc)\n",
      "User.where(id: params[:id])\n",
      "User.where(params.require(:filter).permit(:name, :email))\n",
      "@users = User.order(sort_column)\n",
      "@user = User.find(params[:id])\n"
    ]
  },
  "ruby/mass-assignment": {
    vulnerable: [
      "@user = User.new(params.require(:user).permit!)\n",
      "params.permit!\n",
      "@user.update(params.to_unsafe_h)\n"
    ],
    safe: [
      "@user = User.new(params.require(:user).permit(:name, :email))\n",
      "@user.update(user_params)\n",
      "query = request.query_parameters.to_h\n"
    ]
  },
  "ruby/path-traversal": {
    vulnerable: [
      "send_file params[:path]\n",
      'content = File.read(Rails.root.join("uploads", params[:filename]))\n',
      'path = Rails.root.join("exports", params[:name])\n',
      'FileUtils.rm_rf("tmp/#{params[:dir]}")\n',
      "render file: params[:page]\n"
    ],
    safe: [
      'send_file Rails.root.join("public", "report.pdf")\n',
      'content = File.read(Rails.root.join("uploads", File.basename(params[:filename])))\n',
      'File.read("config/settings.yml")\n',
      "send_file @document.file_path, disposition: :inline\n",
      "rows = File.readlines(params[:upload].tempfile)\n"
    ]
  },
  "ruby/xss-html-safe": {
    vulnerable: [
      '"<p>#{@comment.body}</p>".html_safe\n',
      "params[:bio].html_safe\n",
      'raw "<b>#{user.name}</b>"\n',
      "raw(params[:message])\n",
      '("<span>" + title + "</span>").html_safe\n'
    ],
    safe: [
      '"<p>#{h(@comment.body)}</p>".html_safe\n',
      '"<br>".html_safe\n',
      "sanitize(params[:bio])\n",
      "raw(sanitize(params[:message]))\n",
      'content_tag(:p, @comment.body, class: "comment")\n',
      "safe_join([tag.b(user.name), tag.br])\n"
    ]
  },
  "ruby/open-redirect": {
    vulnerable: [
      "redirect_to params[:return_to]\n",
      'redirect_to "#{params[:host]}/dashboard"\n',
      "redirect params[:next]\n"
    ],
    safe: [
      "redirect_to root_path\n",
      'redirect_to "/users/#{params[:id]}"\n',
      "redirect_to params[:return_to], allow_other_host: false\n",
      "redirect_to @user, notice: 'Saved'\n"
    ]
  },
  "ruby/ssrf": {
    vulnerable: [
      "response = HTTParty.get(params[:url])\n",
      "body = Net::HTTP.get(URI(params[:feed_url]))\n",
      "conn = Faraday.new(params[:endpoint])\n"
    ],
    safe: [
      'response = HTTParty.get("https://api.example.com/users", query: { q: params[:q] })\n',
      'body = Net::HTTP.get(URI(ENV.fetch("FEED_URL")))\n',
      "uri = URI.parse(params[:url])\n"
    ]
  },
  "ruby/csrf-disabled": {
    vulnerable: [
      "class WebhooksController < ApplicationController\n  skip_before_action :verify_authenticity_token\nend\n",
      "class ApiController < ApplicationController\n  protect_from_forgery except: :create\nend\n",
      "class HooksController < ApplicationController\n  skip_forgery_protection\nend\n"
    ],
    safe: [
      "class ApplicationController < ActionController::Base\n  protect_from_forgery with: :exception\nend\n",
      "class PostsController < ApplicationController\n  skip_before_action :authenticate_user!, only: [:index]\nend\n"
    ]
  },
  "ruby/weak-hash": {
    vulnerable: [
      "digest = Digest::MD5.hexdigest(password)\n",
      'self.crypted_password = Digest::SHA1.hexdigest("#{salt}--#{password}--")\n',
      "password_hash = OpenSSL::Digest::MD5.hexdigest(params[:pin])\n"
    ],
    safe: [
      "etag = Digest::MD5.hexdigest(response_body)\n",
      "digest = Digest::SHA256.hexdigest(password)\n",
      "self.password_digest = BCrypt::Password.create(password)\n"
    ]
  },
  "ruby/insecure-random": {
    vulnerable: [
      "user.reset_password_token = rand(36**32).to_s(36)\n",
      "@api_key = Array.new(32) { CHARS.sample }.join\n",
      "session[:otp] = Random.rand(100_000..999_999)\n",
      "token = Random.new.bytes(16).unpack1('H*')\n"
    ],
    safe: [
      "user.reset_password_token = SecureRandom.urlsafe_base64(32)\n",
      "@api_key = SecureRandom.hex(32)\n",
      "delay = rand(1..5)\n",
      "token = CHARS.sample(32, random: SecureRandom).join\n"
    ]
  },
  "ruby/tls-verify-disabled": {
    vulnerable: [
      "http.verify_mode = OpenSSL::SSL::VERIFY_NONE\n",
      "conn = Faraday.new(url, ssl: { verify: false })\n",
      "RestClient::Request.execute(method: :get, url: url, verify_ssl: false)\n"
    ],
    safe: [
      "http.verify_mode = OpenSSL::SSL::VERIFY_PEER\n",
      'conn = Faraday.new(url, ssl: { verify: true, ca_file: "/etc/ssl/certs/ca.pem" })\n'
    ]
  },
  "ruby/hardcoded-credential": {
    vulnerable: [
      'DB_PASSWORD = "s3cr3t-pa55"\n',
      'config.api_key = "sk_live_51H8xyz"\n',
      'client = Octokit::Client.new(access_token: "ghp_abcdef123456")\n',
      '{ "client_secret" => "a1b2c3d4e5" }\n'
    ],
    safe: [
      'DB_PASSWORD = ENV.fetch("DB_PASSWORD")\n',
      "config.api_key = Rails.application.credentials.dig(:stripe, :api_key)\n",
      'label = { password: "Password" }\n',
      'token_type = "bearer"\n',
      'param_key = { token: "reset_password_token" }\n',
      'password = ""\n'
    ]
  },
  "ruby/jwt-verify-disabled": {
    vulnerable: [
      "payload, header = JWT.decode(token, nil, false)\n",
      'payload = JWT.decode(token, secret, true, algorithm: "none")\n',
      'token = JWT.encode(payload, nil, "none")\n'
    ],
    safe: [
      'payload, header = JWT.decode(token, secret, true, algorithm: "HS256")\n',
      'token = JWT.encode(payload, secret, "HS256")\n'
    ]
  },
  "ruby/weak-cipher": {
    vulnerable: [
      'cipher = OpenSSL::Cipher.new("des-ede3-cbc")\n',
      'cipher = OpenSSL::Cipher.new("aes-128-ecb")\n',
      "cipher = OpenSSL::Cipher::AES.new(128, :ECB)\n",
      "cipher = OpenSSL::Cipher::RC4.new\n"
    ],
    safe: ['cipher = OpenSSL::Cipher.new("aes-256-gcm")\n', "cipher = OpenSSL::Cipher::AES.new(256, :GCM)\n"]
  },
  "ruby/redos": {
    vulnerable: [
      "EMAIL = /^([a-zA-Z0-9]+)*@example\\.com$/\n",
      "pattern = %r{(\\w+\\s?)*$}\n",
      'matcher = Regexp.new("(a+)+b")\n'
    ],
    safe: ["VERSION = /\\A(\\d+\\.)+\\d+\\z/\n", "WORD = /\\A\\w+\\z/\n", 'matcher = Regexp.new("a+b")\n']
  },
  "ruby/query-in-loop": {
    vulnerable: [
      "users.each do |user|\n  posts = Post.where(user_id: user.id)\nend\n",
      "orders.map { |order| Customer.find(order.customer_id) }\n",
      "for id in ids\n  User.find_by(id: id)\nend\n",
      "users.each { |user| puts user.posts.exists? }\n"
    ],
    safe: [
      "posts = Post.where(user_id: users.map(&:id)).group_by(&:user_id)\n",
      "users.each { |user| puts user.name }\n",
      "users.find { |user| user.admin? }\n",
      "users.each { |user| user.roles.find(&:admin?) }\n",
      "loop do\n  batch = Job.where(state: :queued).limit(100)\n  break if batch.empty?\nend\n",
      "paths.each { |path| warn path unless File.exists?(path) }\n"
    ]
  },
  "ruby/count-in-loop": {
    vulnerable: [
      "users.each do |user|\n  puts user.posts.count\nend\n",
      "stats = days.map { |day| Order.on(day).count }\n",
      "Team.all.each { |team| puts Member.count }\n"
    ],
    safe: [
      "users.each { |user| puts user.posts.size }\n",
      "counts = Post.group(:user_id).count\n",
      "rows.each { |row| total += row.values.count }\n",
      "days.each { |day| puts Order.where(day: day).count }\n"
    ]
  },
  "ruby/all-each": {
    vulnerable: [
      "User.all.each { |user| user.touch }\n",
      "emails = User.all.map(&:email)\n",
      "Admin::Account.all.each do |a|\n  a.sync\nend\n"
    ],
    safe: [
      "User.find_each { |user| user.touch }\n",
      "emails = User.pluck(:email)\n",
      "User.where(active: true).each(&:touch)\n"
    ]
  },
  "ruby/nested-loop-same-collection": {
    vulnerable: [
      "users.each do |a|\n  users.each do |b|\n    pair(a, b)\n  end\nend\n",
      "items.map { |x| items.count { |y| y.group == x.group } }\n",
      "for a in nodes\n  for b in nodes\n    link(a, b)\n  end\nend\n"
    ],
    safe: [
      "users.each do |user|\n  user.roles.each { |role| grant(role) }\nend\n",
      "by_group = items.group_by(&:group)\nitems.map { |x| by_group[x.group].size }\n",
      "3.times { 3.times { tick } }\n"
    ]
  },
  "ruby/regexp-in-loop": {
    vulnerable: [
      'lines.each do |line|\n  pattern = Regexp.new("^ERROR")\n  puts line if pattern.match?(line)\nend\n',
      'while (line = io.gets)\n  Regexp.compile("\\\\d+").match(line)\nend\n'
    ],
    safe: [
      'PATTERN = Regexp.new("^ERROR")\nlines.each { |line| puts line if PATTERN.match?(line) }\n',
      'words.each { |word| Regexp.new("\\\\b#{Regexp.escape(word)}\\\\b") }\n'
    ]
  },
  "ruby/string-concat-in-loop": {
    vulnerable: [
      'html = ""\nitems.each { |item| html += "<li>#{item}</li>" }\n',
      "out = ''\nfor row in rows\n  out += row.to_s\nend\n",
      'csv = ""\ncsv += "#{line}\\n" while (line = io.gets)\n',
      'def render_list\n  @html = ""\n  items.each.with_index do |item, i|\n    @html += "<li>#{i}</li>" if item.visible?\n  end\nend\n'
    ],
    safe: [
      'html = +""\nitems.each { |item| html << "<li>#{item}</li>" }\n',
      "total = 0\nitems.each { |item| total += item.price }\n",
      'message += " (retry)"\n',
      'rows.each do |row|\n  line = row.name\n  line += " (#{row.note})" if row.note\n  puts line\nend\n'
    ]
  },
  "ruby/select-first": {
    vulnerable: ["admin = users.select { |u| u.admin? }.first\n", "admin = users.select(&:admin?).first\n"],
    safe: [
      "admin = users.find(&:admin?)\n",
      "admin = users.detect { |u| u.admin? }\n",
      "ids = User.select(:id).first\n"
    ]
  },
  "ruby/map-flatten": {
    vulnerable: ["tags = posts.map { |post| post.tags }.flatten(1)\n", "ids = groups.map(&:member_ids).flatten(1)\n"],
    safe: ["tags = posts.flat_map(&:tags)\n", "cells = rows.map(&:cells).flatten\n"]
  },
  "ruby/shuffle-first": {
    vulnerable: ["winner = entries.shuffle.first\n", "pick = %w[a b c].shuffle.last\n"],
    safe: ["winner = entries.sample\n", "deck = cards.shuffle\n"]
  },
  "ruby/reverse-each": {
    vulnerable: ["steps.reverse.each { |step| step.undo }\n"],
    safe: ["steps.reverse_each { |step| step.undo }\n", "latest = steps.reverse.first(3)\n"]
  },
  "ruby/relation-present": {
    vulnerable: ["if User.where(email: email).present?\n  notify\nend\n", "return if Order.where(user: user).blank?\n"],
    safe: [
      "if User.where(email: email).exists?\n  notify\nend\n",
      "return if params[:email].blank?\n",
      "return if options.merge(overrides).blank?\n"
    ]
  }
}
