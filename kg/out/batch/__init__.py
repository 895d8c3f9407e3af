"""Batch builds: streaming input, progress, incremental state, parallel and cluster extraction."""
