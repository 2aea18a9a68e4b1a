"""The side-by-side benchmark harness behind bench/run.sh (standard library only)."""
