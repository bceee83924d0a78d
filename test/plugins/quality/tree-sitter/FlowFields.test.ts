/**
 * How the data-flow analysis follows fields, and what a macro's tokens hold: the exact finding
 * (rule, level, sink, source and steps) for short handlers, each beside the look-alike that
 * must stay clean. The corpus measures recall; these pin the origin and the path it reports.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { go } from "../../../../plugins/languages/go/SecurityRules.ts"
import { python } from "../../../../plugins/languages/python/SecurityRules.ts"
import { rust } from "../../../../plugins/languages/rust/SecurityRules.ts"
import { typescript } from "../../../../plugins/languages/typescript/SecurityRules.ts"
import type { Grammar } from "../../../../plugins/quality/tree-sitter/Grammar.ts"
import type { RuleSet } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"

/** The flow findings of `code`: rule, level, sink line and the lines of its flow. */
const flowsOf = (ruleSet: RuleSet, grammar: Grammar, code: string) =>
  Effect.gen(function* () {
    const issues = yield* RuleEngine.make(ruleSet, grammar).check(code, `handler.${grammar}`)
    return issues
      .filter((issue) => issue.flow !== undefined)
      .map((issue) => ({
        rule: issue.rule,
        level: issue.level,
        sink: issue.sink,
        flow: (issue.flow ?? []).map((step) => `${step.role} ${step.line}`)
      }))
  })

const goHandler = (body: string) => `package orders

import (
	"database/sql"
	"net/http"
)

type query struct {
	sql  string
	args []any
}

func List(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
${body}
	}
}
`

describe("flow through fields", () => {
  it.effect("Go: a field assigned request data reaches the query; a literal field beside bound values does not", () =>
    Effect.gen(function* () {
      const built = goHandler(`		var q query
		q.sql = "SELECT id FROM orders WHERE status = '" + r.URL.Query().Get("status") + "'"
		rows, _ := db.Query(q.sql)
		defer rows.Close()`)
      expect(yield* flowsOf(go, "go", built)).toEqual([
        { rule: "go/sql-injection", level: "critical", sink: 17, flow: ["source 16"] }
      ])
      const bound = goHandler(`		var q query
		q.sql = "SELECT id FROM orders WHERE status = $1"
		q.args = append(q.args, r.URL.Query().Get("status"))
		rows, _ := db.Query(q.sql, q.args...)
		defer rows.Close()`)
      expect(yield* flowsOf(go, "go", bound)).toEqual([])
    })
  )

  it.effect("Go: a struct literal's fields are read apart, through & and a later +=", () =>
    Effect.gen(function* () {
      const built = goHandler(`		status := r.URL.Query().Get("status")
		q := &query{sql: "SELECT id FROM orders"}
		q.sql += " WHERE status = '" + status + "'"
		rows, _ := db.Query(q.sql)
		defer rows.Close()`)
      expect(yield* flowsOf(go, "go", built)).toEqual([
        { rule: "go/sql-injection", level: "critical", sink: 18, flow: ["source 15", "propagation 17"] }
      ])
      const bound = goHandler(`		status := r.URL.Query().Get("status")
		q := &query{sql: "SELECT id FROM orders WHERE status = $1", args: []any{status}}
		rows, _ := db.Query(q.sql, q.args...)
		defer rows.Close()`)
      expect(yield* flowsOf(go, "go", bound)).toEqual([])
    })
  )

  it.effect("Rust: setting one field of an extractor leaves the others request data", () =>
    Effect.gen(function* () {
      const code = `async fn customers(pool: web::Data<PgPool>, mut page: web::Query<Page>) -> HttpResponse {
    page.limit = 50;
    let sql = format!("SELECT id FROM customers WHERE name = '{}' LIMIT {}", page.name, page.limit);
    let rows = sqlx::query(&sql).fetch_all(pool.get_ref()).await;
    HttpResponse::Ok().finish()
}
`
      expect(yield* flowsOf(rust, "rust", code)).toEqual([
        { rule: "rust/sql-injection", level: "critical", sink: 4, flow: ["source 1", "propagation 3"] }
      ])
    })
  )

  it.effect("Rust: a struct expression's SQL field is a sink's argument; a turbofish call is still the sink", () =>
    Effect.gen(function* () {
      const code = (sql: string) => `async fn report(pool: web::Data<PgPool>, path: web::Path<Region>) -> HttpResponse {
    let report = Report { sql: ${sql}, region: path.region.clone(), ..Default::default() };
    let total = sqlx::query_scalar::<_, f64>(&report.sql).bind(&report.region).fetch_one(pool.get_ref()).await;
    HttpResponse::Ok().finish()
}
`
      expect(
        yield* flowsOf(rust, "rust", code(`format!("SELECT SUM(amount) FROM sales WHERE region = '{}'", path.region)`))
      ).toEqual([{ rule: "rust/sql-injection", level: "critical", sink: 3, flow: ["source 1", "propagation 2"] }])
      expect(
        yield* flowsOf(rust, "rust", code(`"SELECT SUM(amount) FROM sales WHERE region = $1".to_string()`))
      ).toEqual([])
    })
  )

  it.effect("Rust: a sanitiser called inside format! cleans its argument", () =>
    Effect.gen(function* () {
      const code = (
        value: string
      ) => `async fn find(lookup: web::Query<Lookup>, ldap: web::Data<Ldap>) -> HttpResponse {
    let filter = format!("(uid={})", ${value});
    let found = ldap.search("ou=people,dc=acme,dc=com", Scope::Subtree, &filter, vec!["cn"]).await;
    HttpResponse::Ok().finish()
}
`
      expect(yield* flowsOf(rust, "rust", code("lookup.uid"))).toEqual([
        { rule: "rust/ldap-injection", level: "high", sink: 3, flow: ["source 1", "propagation 2"] }
      ])
      expect(yield* flowsOf(rust, "rust", code("ldap3::ldap_escape(&lookup.uid)"))).toEqual([])
    })
  )

  it.effect("JavaScript: request data added to a query object's values is bound, added to its text is not", () =>
    Effect.gen(function* () {
      const code = (line: string) => `router.get("/invoices", async (req, res) => {
  const query = { text: "SELECT id FROM invoices WHERE customer_id = $1", values: [req.user.id] }
  ${line}
  const { rows } = await pool.query(query)
  res.json(rows)
})
`
      expect(
        yield* flowsOf(typescript, "javascript", code(`query.text += " AND status = '" + req.query.status + "'"`))
      ).toEqual([{ rule: "javascript/sql-injection", level: "critical", sink: 4, flow: ["source 3"] }])
      expect(
        yield* flowsOf(typescript, "javascript", code("query.values = [...query.values, req.query.status]"))
      ).toEqual([])
    })
  )

  it.effect("Python: an attribute built by += is followed; one a builder appends bound values to is not", () =>
    Effect.gen(function* () {
      const code = (line: string) => `def sales(request):
    report = Report()
    region = request.GET.get("region")
    ${line}
    with connection.cursor() as cursor:
        cursor.execute(report.sql, report.params)
`
      expect(yield* flowsOf(python, "python", code(`report.sql += f" WHERE region = '{region}'"`))).toEqual([
        {
          rule: "python/sql-injection",
          level: "critical",
          sink: 6,
          flow: ["source 1", "propagation 3", "propagation 4"]
        }
      ])
      expect(yield* flowsOf(python, "python", code("report.params.append(region)"))).toEqual([])
    })
  )
})
