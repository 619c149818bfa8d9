//! Integration tests: one binary, modules named by behaviour.
