package app

// Stack is a last-in, first-out stack of ints.
type Stack struct {
	items []int
}

// Push puts v on top of the stack.
func (s *Stack) Push(v int) {
	s.items = append(s.items, v)
}

// Pop takes the top of the stack; ok is false when it is empty.
func (s *Stack) Pop() (v int, ok bool) {
	if len(s.items) == 0 {
		return 0, false
	}
	v = s.items[0]
	s.items = s.items[1:]
	return v, true
}
