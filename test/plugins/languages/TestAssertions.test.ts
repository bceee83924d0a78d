/**
 * The static check of a model's tests, per language: every assertion form real test files use
 * counts as asserting (a false "asserts nothing" would block a good run), and each way of
 * asserting nothing is caught with the test's name and line.
 */

import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { AssertionCheck } from "../../../core/services/LanguageRegistry.ts"
import { Go } from "../../../plugins/languages/go/index.ts"
import { Java } from "../../../plugins/languages/java/index.ts"
import { JavaScript } from "../../../plugins/languages/javascript/index.ts"
import { Python } from "../../../plugins/languages/python/index.ts"
import { Rust } from "../../../plugins/languages/rust/index.ts"
import { TypeScript } from "../../../plugins/languages/typescript/index.ts"

const checkOf = (check: AssertionCheck | undefined): AssertionCheck => {
  if (check === undefined) throw new Error("the pack has no assertion check")
  return check
}

const unasserted = async (check: AssertionCheck, path: string, source: string) => {
  const found = await Effect.runPromise(check.read(source, path))
  // Every test caught is one of those counted.
  expect(found.count).toBeGreaterThanOrEqual(found.unasserted.length)
  return found.unasserted
}

interface Case {
  readonly form: string
  readonly source: string
}

interface Vacuous extends Case {
  /** The tests caught, as `name:line`. */
  readonly caught: ReadonlyArray<string>
}

const suite = (
  language: string,
  check: AssertionCheck,
  path: string,
  asserting: ReadonlyArray<Case>,
  vacuous: ReadonlyArray<Vacuous>
) =>
  describe(`${language}: tests that assert nothing`, () => {
    it.each(asserting)("counts $form as asserting", async ({ source }) => {
      expect(await unasserted(check, path, source)).toEqual([])
    })
    it.each(vacuous)("catches $form", async ({ source, caught }) => {
      const found = await unasserted(check, path, source)
      expect(found.map((test) => `${test.name}:${test.line}`)).toEqual(caught)
    })
  })

// --- TypeScript and JavaScript -------------------------------------------------------------

const vitestHead = 'import { describe, expect, it, test } from "vitest"\nimport { add, load } from "../src/add"\n\n'

const jsAsserting: ReadonlyArray<Case> = [
  {
    form: "expect(…).toBe",
    source: `${vitestHead}describe("add", () => {\n  it("adds", () => {\n    expect(add(1, 2)).toBe(3)\n  })\n})\n`
  },
  {
    form: "expect(…).rejects / .resolves",
    source: `${vitestHead}it("fails on a missing file", async () => {\n  await expect(load("nope")).rejects.toThrow("ENOENT")\n  await expect(load("ok")).resolves.toEqual({})\n})\n`
  },
  {
    form: "expect.assertions and expect inside a callback",
    source: `${vitestHead}test("calls back", () => {\n  expect.assertions(1)\n  return load("x").then((value) => {\n    expect(value).toBeDefined()\n  })\n})\n`
  },
  {
    form: "node:assert",
    source: `import assert from "node:assert/strict"\nimport { test } from "node:test"\nimport { add } from "../src/add.js"\n\ntest("adds", () => {\n  assert.equal(add(1, 2), 3)\n})\n`
  },
  {
    form: "node:test's t.assert",
    source: `import { test } from "node:test"\nimport { add } from "../src/add.js"\n\ntest("adds", (t) => {\n  t.assert.strictEqual(add(1, 2), 3)\n})\n`
  },
  {
    form: "ava's t.is and t.deepEqual",
    source: `import test from "ava"\nimport { add, pair } from "../src/add.js"\n\ntest("adds", (t) => {\n  t.is(add(1, 2), 3)\n})\n\ntest("pairs", async (t) => {\n  t.deepEqual(await pair(1), [1, 1])\n})\n`
  },
  {
    form: "chai's should",
    source: `import "chai/register-should"\nimport { add } from "../src/add.js"\n\ndescribe("add", function () {\n  it("adds", function () {\n    add(1, 2).should.equal(3)\n  })\n})\n`
  },
  {
    form: "chai's expect and assert through the namespace",
    source: `import * as chai from "chai"\nimport { add } from "../src/add.js"\n\ndescribe("add", function () {\n  it("adds", function () {\n    chai.expect(add(1, 2)).to.equal(3)\n  })\n  it("adds again", function () {\n    chai.assert.strictEqual(add(2, 2), 4)\n  })\n})\n`
  },
  {
    form: "mocha's done callback",
    source: `import { load } from "../src/add.js"\n\ndescribe("load", function () {\n  it("calls back", function (done) {\n    load("x", (err) => done(err))\n  })\n})\n`
  },
  {
    form: "a throw when the result is wrong",
    source: `import { test } from "node:test"\nimport { add } from "../src/add.js"\n\ntest("adds", () => {\n  if (add(1, 2) !== 3) throw new Error("add(1, 2) is not 3")\n})\n`
  },
  {
    form: "it.each with a table and test.each with a template",
    source: `${vitestHead}it.each([\n  [1, 2, 3],\n  [2, 2, 4]\n])("add(%i, %i) is %i", (a, b, sum) => {\n  expect(add(a, b)).toBe(sum)\n})\n\ntest.each\`\n  a    | b    | sum\n  \${1} | \${1} | \${2}\n\`("add($a, $b)", ({ a, b, sum }) => {\n  expect(add(a, b)).toBe(sum)\n})\n`
  },
  {
    form: "a helper of the file that asserts",
    source: `${vitestHead}function expectSum(a: number, b: number, sum: number) {\n  expect(add(a, b)).toBe(sum)\n}\nconst checkZero = (a: number) => {\n  expect(add(a, 0)).toBe(a)\n}\n\nit("adds", () => {\n  expectSum(1, 2, 3)\n})\nit("keeps zero", () => checkZero(4))\n`
  },
  {
    form: "expectTypeOf and it.todo beside a real test",
    source: `${vitestHead}import { expectTypeOf } from "vitest"\n\nit("is typed", () => {\n  expectTypeOf(add).returns.toEqualTypeOf<number>()\n})\nit.todo("adds big numbers")\nit.skip("is skipped", () => {})\n`
  },
  {
    form: "test.fails, whose passing is its body throwing",
    source: `${vitestHead}test.fails("rejects text", () => {\n  add("1" as never, 2)\n})\n`
  }
]

const jsVacuous: ReadonlyArray<Vacuous> = [
  {
    form: "a call with nothing asserted",
    source: `${vitestHead}describe("add", () => {\n  it("works", () => {\n    add(1, 2)\n  })\n  it("adds", () => {\n    expect(add(1, 2)).toBe(3)\n  })\n})\n`,
    caught: ["works:5"]
  },
  { form: "an empty body", source: `${vitestHead}test("adds", () => {})\n`, caught: ["adds:4"] },
  {
    form: "a result logged, and a helper that does not assert",
    source: `${vitestHead}const run = () => add(1, 2)\n\nit.only("logs", () => {\n  console.log(add(1, 2))\n})\nit("runs", async () => {\n  run()\n})\n`,
    caught: ["logs:6", "runs:9"]
  },
  {
    form: "a context that is never asked to assert",
    source: `import test from "ava"\nimport { add } from "../src/add.js"\n\ntest("adds", (t) => {\n  t.log(add(1, 2))\n})\n`,
    caught: ["adds:4"]
  },
  {
    form: "a name that only starts like expect, and an expect with no matcher",
    source: `${vitestHead}it("logs its expected value", () => {\n  const expected = 3\n  console.log(expected.toFixed(), add(1, 2))\n})\nit("expects", () => {\n  expect(add(1, 2))\n})\n`,
    caught: ["logs its expected value:4", "expects:8"]
  },
  {
    form: "chai's expect through the namespace with no matcher",
    source: `${vitestHead}it("expects", () => {\n  chai.expect(add(1, 2))\n})\n`,
    caught: ["expects:4"]
  }
]

suite("TypeScript", checkOf(TypeScript.pack.assertionCheck), "test/add.test.ts", jsAsserting, jsVacuous)

describe("TypeScript in .tsx", () => {
  it("reads JSX and catches a render with nothing asserted", async () => {
    const source = `import { render, screen } from "@testing-library/react"\nimport { expect, it } from "vitest"\nimport { Button } from "../src/Button"\n\nit("renders", () => {\n  render(<Button label="Go" />)\n})\nit("shows its label", () => {\n  render(<Button label="Go" />)\n  expect(screen.getByText("Go")).toBeTruthy()\n})\n`
    const found = await unasserted(checkOf(TypeScript.pack.assertionCheck), "test/Button.test.tsx", source)
    expect(found).toEqual([{ name: "renders", line: 5 }])
  })
})

suite(
  "JavaScript",
  checkOf(JavaScript.pack.assertionCheck),
  "test/add.test.js",
  jsAsserting.filter((c) => !/[:<]\s*number|as never|expectTypeOf/.test(c.source)),
  jsVacuous
)

// --- Python -------------------------------------------------------------------------------

const pyHead = "import pytest\n\nfrom app.calc import add, parse\n\n\n"

suite(
  "Python",
  checkOf(Python.pack.assertionCheck),
  "tests/test_calc.py",
  [
    { form: "assert", source: `${pyHead}def test_add():\n    assert add(1, 2) == 3\n` },
    {
      form: "pytest.raises and pytest.warns",
      source: `${pyHead}def test_rejects_text():\n    with pytest.raises(ValueError, match="number"):\n        parse("x")\n\n\ndef test_warns():\n    with pytest.warns(DeprecationWarning):\n        parse("1.0")\n`
    },
    {
      form: "pytest.approx inside assert",
      source: `${pyHead}def test_halves():\n    assert add(0.1, 0.2) == pytest.approx(0.3)\n`
    },
    {
      form: "a parametrized test",
      source: `${pyHead}@pytest.mark.parametrize(("a", "b", "total"), [(1, 2, 3), (2, 2, 4)])\ndef test_add(a, b, total):\n    assert add(a, b) == total\n`
    },
    {
      form: "unittest's self.assert… and self.fail",
      source: `import unittest\n\nfrom app.calc import add, parse\n\n\nclass CalcTest(unittest.TestCase):\n    def setUp(self):\n        self.base = 1\n\n    def test_add(self):\n        self.assertEqual(add(self.base, 2), 3)\n\n    def test_parse(self):\n        try:\n            parse("1")\n        except ValueError:\n            self.fail("parse refused a number")\n\n    def test_raises(self):\n        with self.assertRaises(ValueError):\n            parse("x")\n`
    },
    {
      form: "a helper of a base class in another file",
      source: `from app.calc import add\nfrom tests.base import CalcCase\n\n\nclass TestAdd(CalcCase):\n    def test_add(self):\n        self.check_sum(add(1, 2), 3)\n`
    },
    {
      form: "a mock's assert_called_once_with",
      source: `from unittest import mock\n\nfrom app.calc import notify\n\n\ndef test_notifies():\n    sender = mock.Mock()\n    notify(sender, 3)\n    sender.send.assert_called_once_with(3)\n`
    },
    {
      form: "a helper of the file that asserts, and a skipped test",
      source: `${pyHead}def check_sum(a, b, total):\n    assert add(a, b) == total\n\n\ndef test_add():\n    check_sum(1, 2, 3)\n\n\nclass TestParse:\n    def _check(self, text):\n        assert parse(text) is not None\n\n    def test_parse(self):\n        self._check("1")\n\n    @pytest.mark.skip(reason="later")\n    def test_later(self):\n        pass\n`
    }
  ],
  [
    {
      form: "a call with nothing asserted, and a body of pass",
      source: `${pyHead}def test_add():\n    add(1, 2)\n\n\ndef test_ok():\n    assert add(1, 1) == 2\n\n\ndef test_nothing():\n    pass\n`,
      caught: ["test_add:6", "test_nothing:14"]
    },
    {
      form: "a print in a unittest method, and a helper that does not assert",
      source: `import unittest\n\nfrom app.calc import add\n\n\ndef run():\n    return add(1, 2)\n\n\nclass CalcTest(unittest.TestCase):\n    def test_add(self):\n        print(add(1, 2))\n\n    def test_run(self):\n        run()\n`,
      caught: ["test_add:11", "test_run:14"]
    },
    {
      form: "a parametrized test whose body asserts nothing",
      source: `${pyHead}@pytest.mark.parametrize("a", [1, 2])\ndef test_add(a):\n    add(a, a)\n`,
      caught: ["test_add:7"]
    },
    {
      form: "unittest's own methods that assert nothing: subTest, addCleanup, id",
      source: `import unittest\n\nfrom app.calc import add\n\n\nclass CalcTest(unittest.TestCase):\n    def test_add(self):\n        for a in (1, 2):\n            with self.subTest(a=a):\n                add(a, 1)\n\n    def test_cleanup(self):\n        self.addCleanup(print, self.id())\n        add(1, 2)\n`,
      caught: ["test_add:7", "test_cleanup:12"]
    }
  ]
)

// --- Go -----------------------------------------------------------------------------------

const goHead = 'package calc\n\nimport (\n\t"testing"\n)\n\n'

suite(
  "Go",
  checkOf(Go.pack.assertionCheck),
  "calc_test.go",
  [
    {
      form: "if got != want { t.Errorf }",
      source: `${goHead}func TestAdd(t *testing.T) {\n\tif got := Add(1, 2); got != 3 {\n\t\tt.Errorf("Add(1, 2) = %d, want 3", got)\n\t}\n}\n`
    },
    {
      form: "t.Fatal on an error",
      source: `${goHead}func TestParse(t *testing.T) {\n\tif _, err := Parse("1"); err != nil {\n\t\tt.Fatal(err)\n\t}\n}\n`
    },
    {
      form: "a table-driven test with t.Run",
      source: `${goHead}func TestAdd(t *testing.T) {\n\tcases := []struct {\n\t\tname    string\n\t\ta, b, want int\n\t}{\n\t\t{"small", 1, 2, 3},\n\t\t{"zero", 0, 0, 0},\n\t}\n\tfor _, tc := range cases {\n\t\tt.Run(tc.name, func(t *testing.T) {\n\t\t\tif got := Add(tc.a, tc.b); got != tc.want {\n\t\t\t\tt.Errorf("got %d, want %d", got, tc.want)\n\t\t\t}\n\t\t})\n\t}\n}\n`
    },
    {
      form: "testify's assert and require",
      source: `package calc\n\nimport (\n\t"testing"\n\n\t"github.com/stretchr/testify/assert"\n\t"github.com/stretchr/testify/require"\n)\n\nfunc TestAdd(t *testing.T) {\n\tassert.Equal(t, 3, Add(1, 2))\n}\n\nfunc TestParse(t *testing.T) {\n\tv, err := Parse("1")\n\trequire.NoError(t, err)\n\t_ = v\n}\n`
    },
    {
      form: "a testify suite's methods",
      source: `package calc\n\nimport (\n\t"testing"\n\n\t"github.com/stretchr/testify/suite"\n)\n\ntype CalcSuite struct{ suite.Suite }\n\nfunc (s *CalcSuite) TestAdd() {\n\ts.Equal(3, Add(1, 2))\n}\n\nfunc (s *CalcSuite) TestParse() {\n\t_, err := Parse("1")\n\ts.Require().NoError(err)\n}\n\nfunc TestCalcSuite(t *testing.T) {\n\tsuite.Run(t, new(CalcSuite))\n}\n`
    },
    {
      form: "a helper of the file that asserts, a skip, and an example",
      source: `${goHead}func checkAdd(t *testing.T, a, b, want int) {\n\tt.Helper()\n\tif got := Add(a, b); got != want {\n\t\tt.Errorf("Add(%d, %d) = %d", a, b, got)\n\t}\n}\n\nfunc TestAdd(t *testing.T) {\n\tcheckAdd(t, 1, 2, 3)\n}\n\nfunc TestSlow(t *testing.T) {\n\tt.Skip("slow")\n}\n\nfunc ExampleAdd() {\n\tfmt.Println(Add(1, 2))\n\t// Output: 3\n}\n`
    },
    {
      form: "TestMain, and a fuzz test that asserts in its target",
      source: `package calc\n\nimport (\n\t"os"\n\t"testing"\n)\n\nfunc TestMain(m *testing.M) {\n\tos.Exit(m.Run())\n}\n\nfunc FuzzParse(f *testing.F) {\n\tf.Add("1")\n\tf.Fuzz(func(t *testing.T, s string) {\n\t\tif _, err := Parse(s); err != nil && s == "1" {\n\t\t\tt.Fatalf("Parse(%q): %v", s, err)\n\t\t}\n\t})\n}\n`
    },
    {
      form: "a panic when the result is wrong",
      source: `${goHead}func TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tpanic("Add(1, 2) is not 3")\n\t}\n}\n`
    }
  ],
  [
    {
      form: "a call with nothing asserted",
      source: `${goHead}func TestAdd(t *testing.T) {\n\tAdd(1, 2)\n}\n\nfunc TestOk(t *testing.T) {\n\tif Add(1, 1) != 2 {\n\t\tt.Fail()\n\t}\n}\n`,
      caught: ["TestAdd:7"]
    },
    {
      form: "an empty body, a log, and an error read but not reported",
      source: `${goHead}func TestEmpty(t *testing.T) {}\n\nfunc TestLog(t *testing.T) {\n\tt.Logf("sum %d", Add(1, 2))\n}\n\nfunc TestErr(t *testing.T) {\n\tif _, err := Parse("x"); err != nil {\n\t\t_ = err.Error()\n\t}\n}\n`,
      caught: ["TestEmpty:7", "TestLog:9", "TestErr:13"]
    },
    {
      form: "a table-driven test that never compares",
      source: `${goHead}func TestAdd(t *testing.T) {\n\tfor _, n := range []int{1, 2} {\n\t\tt.Run("n", func(t *testing.T) {\n\t\t\t_ = Add(n, n)\n\t\t})\n\t}\n}\n`,
      caught: ["TestAdd:7"]
    },
    {
      form: "a helper of the file that is handed t and asserts nothing",
      source: `${goHead}func sum(t *testing.T, a, b int) int {\n\tt.Helper()\n\treturn Add(a, b)\n}\n\nfunc TestSum(t *testing.T) {\n\tsum(t, 1, 2)\n}\n`,
      caught: ["TestSum:12"]
    }
  ]
)

// --- Rust ---------------------------------------------------------------------------------

suite(
  "Rust",
  checkOf(Rust.pack.assertionCheck),
  "tests/calc.rs",
  [
    {
      form: "assert_eq!, assert! and assert_ne!",
      source: `use calc::{add, parse};\n\n#[test]\nfn adds() {\n    assert_eq!(add(1, 2), 3);\n}\n\n#[test]\nfn positive() {\n    assert!(add(1, 2) > 0);\n    assert_ne!(add(1, 2), 0);\n}\n`
    },
    {
      form: "debug_assert! and panic!",
      source: `use calc::add;\n\n#[test]\nfn adds() {\n    debug_assert!(add(1, 2) == 3);\n}\n\n#[test]\nfn panics_when_wrong() {\n    if add(1, 2) != 3 {\n        panic!("wrong sum");\n    }\n}\n`
    },
    {
      form: "#[should_panic]",
      source: `use calc::divide;\n\n#[test]\n#[should_panic(expected = "divide by zero")]\nfn divides_by_zero() {\n    divide(1, 0);\n}\n`
    },
    {
      form: ".unwrap(), .expect(…) and ? on the code's Result",
      source: `use calc::parse;\n\n#[test]\nfn parses() {\n    parse("1").unwrap();\n}\n\n#[test]\nfn parses_with_a_message() {\n    parse("2").expect("a number parses");\n}\n\n#[test]\nfn parses_in_a_result() -> Result<(), calc::ParseError> {\n    parse("3")?;\n    Ok(())\n}\n`
    },
    {
      form: "tests in a cfg(test) module, async and parametrized",
      source: `pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    fn check(a: i64, b: i64, sum: i64) {\n        assert_eq!(add(a, b), sum);\n    }\n\n    #[test]\n    fn adds() {\n        check(1, 2, 3);\n    }\n\n    #[tokio::test]\n    async fn adds_later() {\n        assert_eq!(add(2, 2), 4);\n    }\n\n    #[rstest]\n    #[case(1, 1, 2)]\n    fn adds_cases(#[case] a: i64, #[case] b: i64, #[case] sum: i64) {\n        assert_eq!(add(a, b), sum);\n    }\n\n    #[test]\n    #[ignore]\n    fn later() {}\n}\n`
    }
  ],
  [
    {
      form: "a call with nothing asserted, and an empty body",
      source: `use calc::add;\n\n#[test]\nfn add_works() {\n    add(1, 2);\n}\n\n#[test]\nfn nothing() {}\n\n#[test]\nfn adds() {\n    assert_eq!(add(1, 2), 3);\n}\n`,
      caught: ["add_works:4", "nothing:9"]
    },
    {
      form: "a print, and a helper that does not assert",
      source: `pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    fn run() -> i64 {\n        add(1, 2)\n    }\n\n    #[test]\n    fn prints() {\n        println!("{}", add(1, 2));\n    }\n\n    #[test]\n    fn runs() {\n        let _ = run();\n    }\n}\n`,
      caught: ["prints:14", "runs:19"]
    }
  ]
)

// --- Java ---------------------------------------------------------------------------------

const javaHead = `package com.example.calc;\n\nimport static org.junit.jupiter.api.Assertions.*;\n\nimport org.junit.jupiter.api.Test;\n\n`

suite(
  "Java",
  checkOf(Java.pack.assertionCheck),
  "src/test/java/com/example/calc/CalcTest.java",
  [
    {
      form: "assertEquals, assertTrue and assertThrows",
      source: `${javaHead}class CalcTest {\n    private final Calc calc = new Calc();\n\n    @Test\n    void adds() {\n        assertEquals(3, calc.add(1, 2));\n        assertTrue(calc.add(1, 2) > 0);\n    }\n\n    @Test\n    void rejectsText() {\n        assertThrows(NumberFormatException.class, () -> calc.parse("x"));\n    }\n}\n`
    },
    {
      form: "fail and Assertions.assertAll",
      source: `${javaHead}class CalcTest {\n    @Test\n    void parses() {\n        try {\n            new Calc().parse("1");\n        } catch (NumberFormatException e) {\n            fail("a number did not parse");\n        }\n    }\n\n    @Test\n    void addsAll() {\n        Assertions.assertAll(() -> assertEquals(2, new Calc().add(1, 1)));\n    }\n}\n`
    },
    {
      form: "AssertJ's assertThat and BDD then",
      source: `package com.example.calc;\n\nimport static org.assertj.core.api.Assertions.assertThat;\nimport static org.assertj.core.api.BDDAssertions.then;\n\nimport org.junit.jupiter.api.Test;\n\nclass CalcTest {\n    @Test\n    void adds() {\n        assertThat(new Calc().add(1, 2)).isEqualTo(3);\n    }\n\n    @Test\n    void addsAgain() {\n        then(new Calc().add(2, 2)).isEqualTo(4);\n    }\n}\n`
    },
    {
      form: "Hamcrest's assertThat",
      source: `package com.example.calc;\n\nimport static org.hamcrest.MatcherAssert.assertThat;\nimport static org.hamcrest.Matchers.is;\n\nimport org.junit.Test;\n\npublic class CalcTest {\n    @Test\n    public void adds() {\n        assertThat(new Calc().add(1, 2), is(3));\n    }\n}\n`
    },
    {
      form: "Mockito's verify",
      source: `package com.example.calc;\n\nimport static org.mockito.Mockito.*;\n\nimport org.junit.jupiter.api.Test;\n\nclass NotifierTest {\n    @Test\n    void sends() {\n        Sender sender = mock(Sender.class);\n        new Notifier(sender).notify(3);\n        verify(sender).send(3);\n    }\n}\n`
    },
    {
      form: "@Test(expected = …), a parametrized test, a helper, and a disabled test",
      source: `package com.example.calc;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Disabled;\nimport org.junit.jupiter.params.ParameterizedTest;\nimport org.junit.jupiter.params.provider.CsvSource;\n\nclass CalcTest {\n    @org.junit.Test(expected = NumberFormatException.class)\n    public void rejectsText() {\n        new Calc().parse("x");\n    }\n\n    @ParameterizedTest\n    @CsvSource({"1, 2, 3", "2, 2, 4"})\n    void adds(int a, int b, int sum) {\n        checkSum(a, b, sum);\n    }\n\n    private void checkSum(int a, int b, int sum) {\n        assertEquals(sum, new Calc().add(a, b));\n    }\n\n    @org.junit.jupiter.api.Test\n    @Disabled("later")\n    void later() {}\n}\n`
    }
  ],
  [
    {
      form: "a call with nothing asserted, and an empty body",
      source: `${javaHead}class CalcTest {\n    private final Calc calc = new Calc();\n\n    @Test\n    void add() {\n        calc.add(1, 2);\n    }\n\n    @Test\n    void nothing() {}\n\n    @Test\n    void adds() {\n        assertEquals(3, calc.add(1, 2));\n    }\n}\n`,
      caught: ["add:11", "nothing:16"]
    },
    {
      form: "a print in a parametrized test, and a helper that does not assert",
      source: `package com.example.calc;\n\nimport org.junit.jupiter.params.ParameterizedTest;\nimport org.junit.jupiter.params.provider.ValueSource;\nimport org.junit.jupiter.api.RepeatedTest;\n\nclass CalcTest {\n    @ParameterizedTest\n    @ValueSource(ints = {1, 2})\n    void adds(int a) {\n        System.out.println(new Calc().add(a, a));\n    }\n\n    private int run() {\n        return new Calc().add(1, 2);\n    }\n\n    @RepeatedTest(3)\n    void runs() {\n        run();\n    }\n}\n`,
      caught: ["adds:10", "runs:19"]
    },
    {
      form: "a call on an object whose name only starts like verify",
      source: `${javaHead}class CalcTest {\n    private final Key verifyingKey = new Key();\n\n    @Test\n    void runs() {\n        verifyingKey.sign("x");\n    }\n}\n`,
      caught: ["runs:11"]
    }
  ]
)

describe("a file the check cannot read", () => {
  it("finds nothing in a file that does not parse, so the compiler reports it", async () => {
    const source = `${vitestHead}it("adds", () => {\n  add(1, 2\n})\n`
    expect(await unasserted(checkOf(TypeScript.pack.assertionCheck), "test/add.test.ts", source)).toEqual([])
  })
})

// --- Helpers imported from another file, and tests inside macros --------------------------

describe("a test that asserts through a helper of another file", () => {
  const ts = checkOf(TypeScript.pack.assertionCheck)
  const js = checkOf(JavaScript.pack.assertionCheck)
  const caught = async (check: AssertionCheck, path: string, source: string, files: Record<string, string> = {}) => {
    const found = await Effect.runPromise(check.read(source, path, (module) => Effect.succeed(files[module])))
    return found.unasserted.map((test) => `${test.name}:${test.line}`)
  }
  const expecting = 'import { expect } from "vitest"\n'

  it("counts a call of a function imported from the project's test helpers", async () => {
    const source = `import { it } from "vitest"\nimport { expectTotals } from "./support/totals"\nimport * as check from "../test-helpers"\nimport verifyCart from "./cart.fixture"\nimport { cart } from "../src/cart"\n\nit("totals", () => {\n  expectTotals(cart(1))\n})\nit("checks", async () => {\n  await check.totals(cart(2))\n})\nit("verifies", () => {\n  verifyCart(cart(3))\n})\n`
    const helpers = (dir: string) => ({
      [`${dir}/support/totals.ts`]: `${expecting}export const expectTotals = (n: number) => expect(n).toBe(1)\n`,
      "test-helpers.ts": `${expecting}export function totals(n: number) {\n  expect(n).toBe(2)\n}\n`,
      [`${dir}/cart.fixture.ts`]: `${expecting}export default function verify(n: number) {\n  expect(n).toBe(3)\n}\n`
    })
    expect(await caught(ts, "test/cart.test.ts", source, helpers("test"))).toEqual([])
    // Beside the code the same: each helper is read and its body asserts.
    expect(await caught(ts, "src/cart.test.ts", source.replace("../src/cart", "./cart"), helpers("src"))).toEqual([])
  })

  it("counts CommonJS requires of test helpers", async () => {
    const source = `const { assertTotals, sumOf: checkSum } = require("./helpers/totals")\nconst support = require("../support")\nconst { cart } = require("../src/cart")\n\ntest("totals", () => {\n  assertTotals(cart(1))\n})\ntest("sums", () => {\n  checkSum(cart(2))\n})\ntest("supports", () => {\n  support.same(cart(3), 3)\n})\n`
    const files = {
      "test/helpers/totals.js": 'const assert = require("node:assert")\nexports.sumOf = (n) => assert.ok(n)\n',
      "support.js": 'const assert = require("node:assert")\nmodule.exports = { same: (a, b) => assert.equal(a, b) }\n'
    }
    expect(await caught(js, "test/cart.test.js", source, files)).toEqual([])
  })

  it("still catches a test that only calls the code under test, imported or not", async () => {
    const source = `import { it } from "vitest"\nimport { totals } from "../src/cart"\nimport { sum } from "./sum"\nimport { log } from "some-package"\n\nit("totals", () => {\n  totals([1])\n})\nit("sums", () => {\n  sum(1, 2)\n})\nit("logs", () => {\n  log(1)\n})\n`
    // Under test/, `./sum` is test/sum: read, its body asserts nothing.
    const files = { "test/sum.ts": "export const sum = (a: number, b: number) => a + b\n" }
    expect(await caught(ts, "test/cart.test.ts", source, files)).toEqual(["totals:6", "sums:9", "logs:12"])
    expect(await caught(ts, "src/cart.test.ts", source.replace("../src/cart", "./cart"))).toEqual([
      "totals:6",
      "sums:9",
      "logs:12"
    ])
  })
})

describe("a helper imported from another file is judged by its body", () => {
  const ts = checkOf(TypeScript.pack.assertionCheck)
  const js = checkOf(JavaScript.pack.assertionCheck)
  /** The workspace's files as the check reads them; every path asked for is kept. */
  const workspace = (files: Record<string, string>) => {
    const asked: Array<string> = []
    const read = (path: string) =>
      Effect.sync(() => {
        asked.push(path)
        return files[path]
      })
    return { asked, read }
  }
  const caught = async (check: AssertionCheck, path: string, source: string, files?: Record<string, string>) => {
    const found = await Effect.runPromise(
      check.read(source, path, files === undefined ? undefined : workspace(files).read)
    )
    return found.unasserted.map((test) => `${test.name}:${test.line}`)
  }
  const threeTests = `import { it } from "vitest"\nimport { formatPrice } from "../src/helpers/format"\nimport { verifyToken } from "../src/verifyToken"\nimport { noop } from "./support/totals"\n\nit("formats", () => {\n  formatPrice(3)\n})\nit("verifies", () => {\n  verifyToken("x")\n})\nit("totals", () => {\n  noop(1)\n})\n`

  it("catches code under test named like a helper, and an empty helper beside the tests", async () => {
    const files = {
      "src/helpers/format.ts": "export const formatPrice = (n: number) => n.toFixed(2)\n",
      "src/verifyToken.ts": "export function verifyToken(token: string) {\n  return token.length > 0\n}\n",
      "test/support/totals.ts": "export const noop = (_n: number) => {}\n"
    }
    expect(await caught(ts, "test/format.test.ts", threeTests, files)).toEqual(["formats:6", "verifies:9", "totals:12"])
  })

  it("without the modules, counts only a helper under the tests' folder, by its name", async () => {
    expect(await caught(ts, "test/format.test.ts", threeTests)).toEqual(["formats:6", "verifies:9"])
  })

  it("counts a helper whose body asserts, however it is imported", async () => {
    const source = `import { it } from "vitest"\nimport { expectTotals } from "./support/totals.js"\nimport * as check from "./helpers"\nimport sameCart from "./cart.fixture"\nimport { cart } from "../src/cart"\n\nit("totals", () => {\n  expectTotals(cart(1))\n})\nit("checks", async () => {\n  await check.totals(cart(2))\n})\nit("same", () => {\n  sameCart(cart(3))\n})\n`
    const files = {
      "src/cart.ts": "export const cart = (n: number) => n\n",
      "test/support/totals.ts":
        'import { expect } from "vitest"\nexport function expectTotals(n: number) {\n  expect(n).toBeGreaterThan(0)\n}\n',
      "test/helpers/index.ts":
        'import assert from "node:assert"\nexport const totals = async (n: number) => {\n  assert.ok(n > 0)\n}\n',
      "test/cart.fixture.ts":
        'import { expect } from "vitest"\nexport default function (n: number) {\n  expect(n).toBe(3)\n}\n'
    }
    expect(await caught(ts, "test/cart.test.ts", source, files)).toEqual([])
    // Its helper may itself assert through a helper of the tests' folder, judged by its name.
    const through = {
      ...files,
      "test/support/totals.ts":
        'import { same } from "./same"\nexport function expectTotals(n: number) {\n  same(n, 1)\n}\n'
    }
    expect(await caught(ts, "test/cart.test.ts", source, through)).toEqual([])
    // Or through a function of its own module that asserts; one that asserts nothing still fails.
    const wrapped = (check: string) => ({
      ...files,
      "test/support/totals.ts": `import { expect } from "vitest"\nconst positive = (n: number) => {\n  ${check}\n}\nexport function expectTotals(n: number) {\n  positive(n)\n}\n`
    })
    expect(await caught(ts, "test/cart.test.ts", source, wrapped("expect(n).toBeGreaterThan(0)"))).toEqual([])
    expect(await caught(ts, "test/cart.test.ts", source, wrapped("console.log(n)"))).toEqual(["totals:7"])
  })

  it("catches a required helper that asserts nothing, and counts one that does", async () => {
    const source = `const { assertTotals } = require("./helpers/totals")\nconst support = require("../support")\n\ntest("totals", () => {\n  assertTotals(1)\n})\ntest("supports", () => {\n  support.same(3, 3)\n})\n`
    const files = {
      "test/helpers/totals.js": "exports.assertTotals = function assertTotals(n) {\n  return n\n}\n",
      "support.js":
        'const assert = require("node:assert")\nfunction same(a, b) {\n  assert.equal(a, b)\n}\nmodule.exports = { same }\n'
    }
    expect(await caught(js, "test/cart.test.js", source, files)).toEqual(["totals:4"])
  })

  it("counts a helper of the file that asserts through an imported helper", async () => {
    const source = `import { it } from "vitest"\nimport { expectTotals } from "./support/totals"\n\nconst checkCart = (n: number) => {\n  expectTotals(n)\n}\n\nit("totals", () => {\n  checkCart(1)\n})\n`
    const files = {
      "test/support/totals.ts":
        'import { expect } from "vitest"\nexport const expectTotals = (n: number) => expect(n).toBe(1)\n'
    }
    expect(await caught(ts, "test/cart.test.ts", source, files)).toEqual([])
    expect(await caught(ts, "test/cart.test.ts", source)).toEqual([])
  })

  it("never reads a module outside the workspace, nor counts it", async () => {
    const source = `import { it } from "vitest"\nimport { expectTotals } from "../../test/support/totals"\n\nit("totals", () => {\n  expectTotals(1)\n})\n`
    const { asked, read } = workspace({})
    const found = await Effect.runPromise(ts.read(source, "test/cart.test.ts", read))
    expect(found.unasserted.map((test) => test.name)).toEqual(["totals"])
    expect(asked).toEqual([])
  })
})

describe("Rust: tests inside proptest!", () => {
  const rust = checkOf(Rust.pack.assertionCheck)
  const head = "use proptest::prelude::*;\n\nuse crate::calc::add;\n\n"

  it("counts prop_assert…!, .unwrap(), ? and an asserting helper of the file inside the macro", async () => {
    const source = `${head}fn check(a: i32, b: i32) {\n    assert_eq!(add(a, b), a + b);\n}\n\nproptest! {\n    #![proptest_config(ProptestConfig::with_cases(10))]\n    #[test]\n    fn adds(a in 0..10i32, b in 0..10i32) {\n        prop_assert_eq!(add(a, b), a + b);\n    }\n\n    #[test]\n    fn parses(s in "[0-9]{1,3}") {\n        s.parse::<i32>().unwrap();\n    }\n\n    #[test]\n    fn tries(s in "[0-9]{1,3}") {\n        let _n: i32 = s.parse()?;\n    }\n\n    #[test]\n    fn checks(a in 0..10i32) {\n        check(a, 1)\n    }\n}\n`
    const found = await Effect.runPromise(rust.read(source, "src/calc_tests.rs"))
    expect(found).toEqual({ count: 4, unasserted: [] })
  })

  it("catches a property test that asserts nothing, by name and line", async () => {
    const source = `${head}proptest! {\n    #[test]\n    fn adds(a in 0..10i32) {\n        let _ = add(a, 1);\n    }\n\n    #[test]\n    #[should_panic]\n    fn overflows(a in 0..10i32) {\n        add(i32::MAX, a);\n    }\n}\n`
    const found = await unasserted(rust, "src/calc_tests.rs", source)
    expect(found.map((test) => `${test.name}:${test.line}`)).toEqual(["adds:7"])
  })
})
