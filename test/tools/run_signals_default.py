#!/usr/bin/env python3
"""Runs a command with SIGINT and SIGTERM at their default actions (a test
runner may start us with SIGINT ignored, which a child inherits), and prints
"status N" with N = 128 + signal when the command died by a signal.

  run_signals_default.py COMMAND [ARG...]
"""
import signal
import subprocess
import sys

signal.signal(signal.SIGINT, signal.SIG_DFL)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
rc = subprocess.call(sys.argv[1:])
sys.stdout.flush()
print("status %d" % (128 - rc if rc < 0 else rc))
