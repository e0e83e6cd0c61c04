"""Mock departments built from docs/wire-format.md alone; they import nothing from the hub."""
