"""What the tests share besides fixtures: paths, issue writers, and helpers for each wing."""
