"""Evaluation: datasets, metrics as pure functions, runners, and the evaluation gate."""
