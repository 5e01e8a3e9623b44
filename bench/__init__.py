"""Benchmarks of sapar at university and national scale (`make bench`, `make bench-quick`).

A folder of scripts, not a package the service imports: run as `python -m bench`.
"""
