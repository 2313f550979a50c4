"""The cases app's screens, one module per page group."""
