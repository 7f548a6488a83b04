"""Benchmarks: one script per figure an issue asks for; see the README."""
