package app

// Grade is the letter for a score out of 100.
func Grade(score int) string {
	if score >= 90 {
		return "A"
	} else {
		if score >= 80 {
			return "B"
		} else {
			if score >= 70 {
				return "C"
			} else {
				return "F"
			}
		}
	}
}
