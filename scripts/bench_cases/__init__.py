"""Benchmark cases, one module per op family; see scripts/bench.py."""
