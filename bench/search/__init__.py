"""The archive search benchmark: ``python -m bench.search [--quick | --size N]``."""
