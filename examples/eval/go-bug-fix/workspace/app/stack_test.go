package app

import "testing"

func TestPopTakesTheLastPushed(t *testing.T) {
	var s Stack
	s.Push(1)
	s.Push(2)
	if v, ok := s.Pop(); !ok || v != 2 {
		t.Fatalf("Pop() = %d, %v; want 2, true", v, ok)
	}
	if v, ok := s.Pop(); !ok || v != 1 {
		t.Fatalf("Pop() = %d, %v; want 1, true", v, ok)
	}
	if _, ok := s.Pop(); ok {
		t.Fatal("Pop() on an empty stack reports ok")
	}
}
