"""Test-wide set-up lives in the test-support package (`reciproca/testing/plugin.py`): French
first, plain static files, the reference data and charter loaded once per session, personas."""

pytest_plugins = ["reciproca.testing.plugin"]
