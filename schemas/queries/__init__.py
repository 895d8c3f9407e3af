"""Data kg reads with importlib.resources; installed inside the package (see pyproject.toml)."""
