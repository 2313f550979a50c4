"""Statistics for satisfaction measurement: pure NumPy/SciPy, no Django."""
