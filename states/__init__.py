"""The state-machine core: case kinds, guards and the regulation's rules. Imports nothing of ours."""
