"""The djust peer of our example server: counter, 1,000-row table, home page (bench/run.sh)."""
