package app

import "testing"

func TestGrade(t *testing.T) {
	cases := map[int]string{95: "A", 90: "A", 85: "B", 72: "C", 10: "F"}
	for score, want := range cases {
		if got := Grade(score); got != want {
			t.Errorf("Grade(%d) = %q, want %q", score, got, want)
		}
	}
}
